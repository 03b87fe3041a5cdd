"""The protection orders area's contribution to the case page: its panel (the case's SPO
applications and their stage, and starting one), registered with ``@case_panel`` into the case
page's panel registry, ``referrals.case_panels``. This module is not a registry: it is one entry
in that one, imported from ``SpoConfig.ready``; what it shows is read by
``selectors.applications.applications_panel``.
"""

from referrals.case_panels import case_panel

from .selectors.applications import applications_panel


@case_panel
def spo_applications(request, case) -> dict | None:
    return applications_panel(case, user=request.user)
