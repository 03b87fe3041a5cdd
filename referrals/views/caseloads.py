"""Caseloads: each case owner's and each ISAC advocate's open cases by risk, and the cases
waiting for an advocate, each count a link to those cases.

For the coordinator and the tactical lead, who allocate the clinic's work (``Perm.TRIAGE``);
anyone else gets 403. It names the clinic's staff only, never a victim or a suspect, so it logs
no consultation.
"""

from django.shortcuts import render
from django.urls import path

from stalking_clinic.access import Perm, require

from ..selectors.allocation import RISKS, caseloads
from ..selectors.cases import NO_ADVOCATE


@require(Perm.TRIAGE)
def caseload_list(request):
    return render(
        request,
        "referrals/caseloads.html",
        {**caseloads(), "risks": RISKS, "no_advocate": NO_ADVOCATE},
    )


urlpatterns = [path("caseloads/", caseload_list, name="caseloads")]
