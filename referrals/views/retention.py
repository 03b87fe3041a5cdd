"""Reviewing closed cases' records: the list of those due, and the decision on one (keep or
dispose of). For those who review records (``Perm.RECORDS_REVIEW``: the coordinator and the
tactical lead). The list names no one: a case reference, its group and dates."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_or_show

from ..access import cases_visible_to
from ..forms.retention import RecordReviewForm
from ..models import Case, RetentionReview
from ..retention import retention_group_for
from ..selectors.retention import records_due
from ..services.retention import record_review

LIST_LIMIT = 200


@require(Perm.RECORDS_REVIEW)
def due(request):
    shown = list(records_due(cases_visible_to(request.user))[: LIST_LIMIT + 1])
    return render(
        request,
        "referrals/retention/due.html",
        {"cases": shown[:LIST_LIMIT], "more": len(shown) > LIST_LIMIT, "limit": LIST_LIMIT},
    )


@require(Perm.RECORDS_REVIEW, methods=POSTS)
def review(request, pk):
    case = cases_visible_to(request.user).filter(pk=pk, status=Case.Status.CLOSED).first()
    if case is None:
        raise Http404("No such closed case")
    group, why = retention_group_for(case)
    form = RecordReviewForm(request.POST or None, initial={"version": case.version})

    def page(shown):
        return render(
            request,
            "referrals/retention/review.html",
            {
                "case": case,
                "form": shown,
                "group": group,
                "why": why,
                "reviews": case.retention_reviews.select_related("by"),
            },
        )

    def done(result: RetentionReview) -> str:
        if result.decision == RetentionReview.Decision.DISPOSE:
            return f"The record of case {case.reference} was disposed of."
        return f"The record of case {case.reference} is kept."

    return save_or_show(
        request,
        form,
        record_review,
        case=case,
        record=case,
        done=done,
        then=reverse("referrals:records_due"),
        page=page,
    )


urlpatterns = [
    path("records-due-for-review/", due, name="records_due"),
    path("cases/<int:pk>/record-review/", review, name="record_review"),
]
