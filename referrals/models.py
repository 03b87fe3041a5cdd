"""Models of the referrals and cases area."""
