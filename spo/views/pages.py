"""What the protection orders pages share: a page that changes an application (or a part of it)
through a service (``change_page``), the form page it shows (``form_page``) and the way back to
the application (``to_application``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import redirect, render
from django.urls import reverse

from stalking_clinic.service_forms import save_or_show


def to_application(application, anchor: str = ""):
    """Back to the application's page, at ``anchor`` (e.g. "#orders")."""
    return redirect(reverse("spo:application_detail", args=[application.pk]) + anchor)


def form_page(request, application, form, *, title, intro="", saved_now=None, extra=None):
    """A form about ``application`` (its reference, kind and defendant above it); with
    ``saved_now``, the record as it is saved now, shown above the user's kept input."""
    request.audit.consulted(application)
    context = {
        "application": application,
        "form": form,
        "title": title,
        "intro": intro,
        "saved_now": saved_now,
    }
    context.update(extra or {})
    return render(request, "spo/form.html", context)


def change_page(
    request,
    application,
    form,
    service: Callable[..., Any],
    /,
    *,
    done: str | Callable[[Any], str],
    anchor="",
    title,
    intro="",
    record=None,
    saved_now_template="",
    **given,
):
    """A page that changes ``application`` (or a part of it) through ``service``: on a saved
    POST, the message ``done`` (text, or a function of what the service returned) and back to
    the application at ``anchor``; otherwise the form again. After a refused stale save of
    ``record``, the record as it is now is shown above the form (``saved_now_template``)."""

    def page(form):
        conflict = request.method == "POST" and record is not None and form.non_field_errors()
        return form_page(
            request,
            application,
            form,
            title=title,
            intro=intro,
            saved_now=record if conflict and saved_now_template else None,
            extra={"saved_now_template": saved_now_template},
        )

    url = reverse("spo:application_detail", args=[application.pk]) + anchor
    return save_or_show(
        request, form, service, done=done, then=url, page=page, record=record, **given
    )
