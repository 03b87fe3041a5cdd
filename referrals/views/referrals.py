"""Referrals in: the area's hub page, the referral form, "my referrals" and a referral's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import Perm, can, require
from stalking_clinic.accounts.models import Role
from stalking_clinic.services import ServiceError

from ..access import cases_visible_to, get_referral_for_user
from ..forms.referrals import ReferralForm
from ..models import Referral
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


@require(Perm.REFERRAL_CREATE)
def referral_new(request):
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_submit_with_people(
                by=request.user, source=_source_for(request.user), **form.submission()
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                f"Referral {referral.reference} sent. The clinic will triage it and you will "
                "see their decision here.",
            )
            return redirect("referrals:referral_detail", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form})


@require(Perm.REFERRAL_CREATE)
def mine(request):
    """The referrals this user made, with the clinic's decision and advice."""
    referrals = (
        Referral.objects.filter(referred_by=request.user)
        .select_related("decision", "victim", "suspect")
        .order_by("-submitted_at")[:200]
    )
    return render(request, "referrals/mine.html", {"referrals": referrals})


@require(Perm.REFERRALS, shows_personal_data=True)
def referral_detail(request, pk):
    referral = get_referral_for_user(request.user, pk)
    request.audit.consulted(referral)
    decision = getattr(referral, "decision", None)
    sdash = []
    if referral.sdash_question_set:
        sdash = [
            (q["text"], referral.sdash_answers.get(q["key"], ""))
            for q in referral.sdash_question_set.questions
        ]
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "decision": decision,
            "sdash": sdash,
            "sdash_yes": sum(1 for _, a in sdash if a == "yes"),
            "can_triage": can(request.user, Perm.TRIAGE),
            "can_see_case": referral.linked_case_id is not None
            and cases_visible_to(request.user).filter(pk=referral.linked_case_id).exists(),
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("new/", referral_new, name="referral_new"),
    path("mine/", mine, name="mine"),
    path("<int:pk>/", referral_detail, name="referral_detail"),
]
