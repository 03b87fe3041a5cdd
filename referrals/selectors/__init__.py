"""Reads of the referrals area, one module per subject: querysets and the data of pages that show
more than one record.

- ``referrals``: the triage queue (filters, name search, waiting time), who may be given a referral,
  "my referrals" and a referral's page.
- ``cases``: the case list and the prompt to refer a high-risk case to the ISAC service.
- ``case_page``: everything the case page shows a user, assembled from each part's panel.
- ``assessments``: the current wording of each instrument, the case page's assessments panel and
  an assessment's page.
- ``safety``: the case page's safety plan and victim's voice panel.
- ``people``: how far a suspect's stalking reaches (possible serial stalkers), person pages and the
  case page's suspects panel.
- ``logs``: police log imports, the findings queue, a finding's page and the referral it prefills.
"""
