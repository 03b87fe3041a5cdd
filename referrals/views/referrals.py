"""Referrals in: the area's hub page, the referral form, "my referrals" and a referral's page.

Who may use these views:
- ``index`` and a referral's page: everyone in the area (``Perm.REFERRALS``); a referral only by
  whoever made it and those who triage (``access.get_referral_for_user``), else 404.
- the referral form and "my referrals": those who may refer (``Perm.REFERRAL_CREATE``).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.accounts.models import Role
from stalking_clinic.service_forms import save_through_service

from ..access import get_referral_for_user
from ..forms.referrals import ReferralForm
from ..models import Referral
from ..selectors.referrals import referral_page, referrals_made_by
from ..services.referrals import referral_submit_with_people


@require(Perm.REFERRALS)
def index(request):
    """The area's front page: where each kind of user starts."""
    user = request.user
    if can(user, Perm.TRIAGE):
        return redirect("referrals:queue")
    if can(user, Perm.CASES_VIEW):
        return redirect("referrals:case_list")
    return redirect("referrals:mine")


def _source_for(user) -> str:
    for role, source in (
        (Role.PARTNER, Referral.Source.PARTNER),
        (Role.ISAC, Referral.Source.ISAC),
        (Role.CHAMPION, Referral.Source.CHAMPION),
    ):
        if role in user.roles:
            return source
    return Referral.Source.OFFICER


@require(Perm.REFERRAL_CREATE, methods=POSTS)
def referral_new(request):
    outcome = save_through_service(
        request,
        ReferralForm(request.POST or None),
        referral_submit_with_people,
        by=request.user,
        source=_source_for(request.user),
    )
    if outcome.saved:
        referral = outcome.result
        messages.success(
            request,
            f"Referral {referral.reference} sent. The clinic will triage it and you will "
            "see their decision here.",
        )
        return redirect("referrals:referral_detail", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": outcome.form})


@require(Perm.REFERRAL_CREATE, shows_personal_data=True)
def mine(request):
    """The referrals this user made, with the clinic's decision and advice."""
    referrals = list(referrals_made_by(request.user))
    request.audit.listed(
        referrals,
        what="My referrals",
        people=[person for r in referrals for person in (r.victim, r.suspect)],
    )
    return render(request, "referrals/mine.html", {"referrals": referrals})


@require(Perm.REFERRALS, shows_personal_data=True)
def referral_detail(request, pk):
    referral = get_referral_for_user(request.user, pk)
    request.audit.consulted(referral)
    return render(
        request, "referrals/referral_detail.html", referral_page(referral, user=request.user)
    )


urlpatterns = [
    path("", index, name="index"),
    path("new/", referral_new, name="referral_new"),
    path("mine/", mine, name="mine"),
    path("<int:pk>/", referral_detail, name="referral_detail"),
]
