"""How a meetings page answers a POST, through a service called with ``by=request.user``:
``form_saved`` for a form (``stalking_clinic.service_forms.save_through_service``: a refusal
shows on the form), ``button_pressed`` for a button with no form (a refusal shows as a message).
On success each gives the view's message and redirect; the view says what they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from stalking_clinic.service_forms import save_through_service
from stalking_clinic.services import ServiceError

# A message or an address, or a function making it from what the service returned.
type FromResult = str | Callable[[Any], str]


def _made(value: FromResult, result) -> str:
    return value(result) if callable(value) else value


def form_saved(
    request,
    form: forms.Form,
    service: Callable[..., Any],
    /,
    *,
    done: FromResult,
    to: FromResult,
    page: Callable[[forms.Form], HttpResponse],
    record=None,
    field_aliases: dict[str, str] | None = None,
    **given,
) -> HttpResponse:
    """On a valid POST that ``service`` accepts: the success message ``done`` and a redirect to
    ``to``. Otherwise ``page(form)``: the form again, with the refusal on it (``record`` and
    ``field_aliases`` as for ``save_through_service``)."""
    outcome = save_through_service(
        request,
        form,
        service,
        record=record,
        field_aliases=field_aliases,
        by=request.user,
        **given,
    )
    if not outcome.saved:
        return page(outcome.form)
    messages.success(request, _made(done, outcome.result))
    return redirect(_made(to, outcome.result))


def button_pressed(
    request,
    service: Callable[..., Any],
    /,
    *,
    to: str,
    done: FromResult = "",
    **given,
) -> HttpResponse:
    """A button's POST: ``service``'s refusal as an error message, or ``done`` (if any) as a
    success message; then a redirect to ``to`` either way."""
    try:
        result = service(by=request.user, **given)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if message := _made(done, result):
            messages.success(request, message)
    return redirect(to)
