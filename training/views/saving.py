"""Saving a training form through its service: the training area's refusal and conflict errors,
given once for every page (``stalking_clinic.service_forms.save_through_service``)."""

from stalking_clinic.service_forms import save_through_service

from ..services.errors import ChangedByAnotherUser, TrainingError


def save(request, form, call, *, record=None, field_aliases=None):
    return save_through_service(
        request,
        form,
        call,
        refused=TrainingError,
        conflict=ChangedByAnotherUser,
        record=record,
        field_aliases=field_aliases,
    )
