"""Management commands of the referrals area: question sets, police log import, scan and export."""
