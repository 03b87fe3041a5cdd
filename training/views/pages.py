"""What the training pages share: a page whose form is saved through a service
(``form_page``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render

from stalking_clinic.service_forms import save_through_service


def form_page(
    request,
    form,
    service: Callable[..., Any],
    /,
    *,
    done: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    template: str,
    context: dict | Callable[[], dict] | None = None,
    consulted=None,
    record=None,
    field_aliases: dict[str, str] | None = None,
    **given,
):
    """The page of ``form``: on a valid POST, ``service`` is called with ``by`` (the user),
    ``given`` and the form's input (``save_through_service``); once it has saved, the message
    ``done`` and a redirect to ``then`` (each text, or a function of what the service returned).
    Otherwise ``template`` with the form (and any refusal on it), ``context`` (a function when
    it is only worth reading for the page) and, when the page shows a record's personal data,
    its consultation logged (``consulted``)."""
    outcome = save_through_service(
        request,
        form,
        service,
        record=record,
        field_aliases=field_aliases,
        by=request.user,
        **given,
    )
    if outcome.saved:
        messages.success(request, done(outcome.result) if callable(done) else done)
        return redirect(then(outcome.result) if callable(then) else then)
    if consulted is not None:
        request.audit.consulted(consulted)
    extra = context() if callable(context) else context or {}
    return render(request, template, {"form": outcome.form, **extra})
