"""Management commands of the referrals area."""
