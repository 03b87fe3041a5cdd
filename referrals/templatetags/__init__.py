"""Template tags of the referrals area."""
