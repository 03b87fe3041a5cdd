"""Writes in the referrals area: one named operation per act, one transaction, one audit entry."""
