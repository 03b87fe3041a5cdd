"""Giving a case to someone, from the case page's allocation panel: a named advocate of the ISAC
service, or a new owner.

Who may use these views:
- ``allocate_advocate``: the coordinator and tactical lead on any case referred to the ISAC
  service; an ISAC on the cases referred to their own service (``Perm.CASE_ALLOCATE`` and its
  record rule); others who see the case get 403, those who do not 404.
- ``owner_change``: the coordinator and tactical lead (``Perm.TRIAGE``).

Each posts to itself; asked for with GET, it shows the case page. A refused save shows the case
page again with the form, its input and the reason.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.service_forms import save_or_show

from ..access import get_case_for_user
from ..forms.allocation import AdvocateForm, OwnerForm
from ..selectors.allocation import isac_referral
from ..services.allocation import case_allocate_advocate, case_owner_change
from .cases import _case_page


def _case_page_again(request, case, **form):
    request.audit.consulted(case)
    return _case_page(request, case, **form)


def _allocated(allocation) -> str:
    return f"Case {allocation.case.reference} allocated to {allocation.to.display_name}."


@require(Perm.CASE_ALLOCATE, shows_personal_data=True, methods=POSTS)
def allocate_advocate(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.CASE_ALLOCATE)
    if not can(request.user, Perm.CASE_ALLOCATE, case):
        raise PermissionDenied
    referral = isac_referral(case)
    form = AdvocateForm(
        request.POST or None,
        prefix="advocate",
        agency=referral.agency if referral else None,
        initial={"previous_advocate": referral.advocate_id if referral else None},
    )

    def page(form):
        if form.non_field_errors():
            # Refused: someone allocated the case meanwhile. Allocating again is a decision taken
            # knowing it, so the form now stands for the advocate the case has now.
            current = isac_referral(case)
            form.data = form.data.copy()
            form.data[form.add_prefix("previous_advocate")] = str(
                current.advocate_id or "" if current else ""
            )
        return _case_page_again(request, case, advocate_form=form)

    return save_or_show(
        request,
        form,
        case_allocate_advocate,
        case=case,
        done=_allocated,
        then=reverse("referrals:case_detail", args=[case.pk]),
        page=page,
    )


def _owner_changed(allocation) -> str:
    return f"Case {allocation.case.reference} is now owned by {allocation.to.display_name}."


@require(Perm.TRIAGE, shows_personal_data=True, methods=POSTS)
def owner_change(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.TRIAGE)
    form = OwnerForm(request.POST or None, prefix="owner")
    return save_or_show(
        request,
        form,
        case_owner_change,
        case=case,
        record=case,
        done=_owner_changed,
        then=reverse("referrals:case_detail", args=[case.pk]),
        page=lambda form: _case_page_again(request, case, owner_form=form),
    )


urlpatterns = [
    path("cases/<int:pk>/allocate-advocate/", allocate_advocate, name="allocate_advocate"),
    path("cases/<int:pk>/owner/", owner_change, name="owner_change"),
]
