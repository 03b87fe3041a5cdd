"""The referrals area: referrals, triage, cases, risk assessments, safety plans and police logs."""
