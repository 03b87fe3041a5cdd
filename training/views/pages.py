"""What the training pages share: a page whose form is saved through a service
(``form_page``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import render

from stalking_clinic.service_forms import save_or_show


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
    """The page of ``form``, saved through ``service`` (``save_or_show``: once saved, the
    message ``done`` and a redirect to ``then``). Otherwise ``template`` with the form (and any
    refusal on it), ``context`` (a function when it is only worth reading for the page) and,
    when the page shows a record's personal data, its consultation logged (``consulted``)."""

    def page(form):
        if consulted is not None:
            request.audit.consulted(consulted)
        extra = context() if callable(context) else context or {}
        return render(request, template, {"form": form, **extra})

    return save_or_show(
        request,
        form,
        service,
        done=done,
        then=then,
        page=page,
        record=record,
        field_aliases=field_aliases,
        **given,
    )
