"""Saving a training form through its service: the training area's refusal and conflict errors,
given once for every page (``stalking_clinic.service_forms.save_through_service``)."""

from stalking_clinic.service_forms import save_through_service


def save(request, form, call, *, record=None, field_aliases=None):
    # Until this area's views call save_through_service with their service directly.
    outcome = save_through_service(
        request, form, lambda **data: call(data), record=record, field_aliases=field_aliases
    )
    return outcome.saved, outcome.form
