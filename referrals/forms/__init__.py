"""Forms of the referrals area, one module per subject.

Each form parses what one service takes (its cleaned data, or ``service_kwargs()``, are the
service's keyword arguments) or what one selector filters on; the service decides and its refusals
come back as errors on the field they name (``stalking_clinic.service_forms``).

- ``referrals``: the referral form (officers, champions, ISACs, partners; and from a log finding).
- ``triage``: the triage queue's filters and search, the triage decision, assigning a referral.
- ``cases``: the case list's filters, a case note, sharing with a partner agency, ISAC referral.
- ``assessments``: S-DASH, DASH and Stalking Risk Profile, built from the current wording.
- ``safety``: the safety plan's actions and the victim's voice.
- ``people``: a victim's or suspect's recorded details.
- ``logs``: uploading a police log export, and the findings review (filters, link, dismiss).
- ``filters``: what every list filter shares (sent by GET, an "Apply filters" button).
"""
