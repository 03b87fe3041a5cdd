"""Forms that feed a service, and saving through one: what every area's change pages share.

A form parses what one service takes; the service decides, raising an error that names the form
field it is about. Forms that change an existing record carry the ``version`` the user saw, so a
save made after someone else's is refused rather than silently overwriting it (the service
compares versions and raises ``ChangedByAnotherUser``, see ``stalking_clinic.services``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from .services import ChangedByAnotherUser, ServiceError

OUT_OF_DATE = "This form is out of date. Go back, open it again and make your changes."
CHANGED_BY_ANOTHER_USER = (
    "Someone else saved changes to this after you opened it. Their changes are shown; "
    "your input is kept below. Check it and save again."
)


class VersionField(forms.IntegerField):
    """The version of the record the user saw, sent back so a stale save can be refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class VersionCheckMixin:
    """A bad hidden version is shown at the top of the form: its field has nowhere to show it."""

    version_field = "version"

    def clean(self):
        cleaned = super().clean()
        if self.version_field in self._errors:
            del self._errors[self.version_field]
            self.add_error(None, OUT_OF_DATE)
        return cleaned


class ServiceForm(VersionCheckMixin, forms.Form):
    """A GOV.UK form: fields in declaration order (or ``layout_fields``), then one button.

    Its cleaned data are the service's keyword arguments (``service_kwargs``): fields named as
    the service names them, less ``not_for_service`` (such as a confirmation box); a form that
    builds one argument from several fields (a date and a time) overrides ``service_kwargs``.

    A subclass taking keyword arguments of its own keeps them in ``_init_kwargs``, so that
    ``with_version`` can build it again.
    """

    submit_label = "Save"
    not_for_service: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        self._init_kwargs = getattr(self, "_init_kwargs", {})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        # The button's name (and so its id) carries the form's prefix: two forms on one page
        # never share an id.
        self.helper.layout = Layout(
            *self.layout_fields(), Button(self.add_prefix("submit"), self.submit_label)
        )

    def layout_fields(self):
        return list(self.fields)

    def service_kwargs(self) -> dict[str, Any]:
        """What the service is given from this form (after ``is_valid``)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.not_for_service
        }

    def with_version(self, version: int) -> ServiceForm:
        """The same input bound again against the version now saved (after a refused save)."""
        data = self.data.copy()
        data[self.add_prefix(self.version_field)] = str(version)
        fresh = type(self)(data, prefix=self.prefix, **self._init_kwargs)
        fresh.is_valid()
        return fresh


def error_message(error: Exception) -> str:
    return getattr(error, "message", None) or str(error)


@dataclass
class Saved:
    """What ``save_through_service`` did: ``saved`` (the service ran and returned ``result``),
    and the ``form`` to show again when it did not (with the refusal on it)."""

    saved: bool
    form: forms.Form
    result: Any = None


def save_through_service(
    request,
    form,
    service: Callable[..., Any],
    /,
    *,
    record=None,
    field_aliases: dict[str, str] | None = None,
    **given,
) -> Saved:
    """On a valid POST, call ``service`` with ``given`` (what the view knows: the record, the
    user) and the form's ``service_kwargs`` (what the user typed); return what it returned in a
    ``Saved``. ``service`` is any callable taking keyword arguments, usually a service itself::

        outcome = save_through_service(request, form, services.hearing_update,
                                       hearing=hearing, by=request.user, record=hearing)
        if outcome.saved:
            ...redirect...
        ...render outcome.form...

    A ``ServiceError`` becomes an error on the field it names, or at the top of the form when the
    form has no such field (``field_aliases``, and a form's own ``field_aliases``, map a service's
    name for a field to the form's). A
    ``ChangedByAnotherUser`` (someone saved first) becomes a message at the top, with ``record``,
    the versioned row the form edits, read again and the form bound against the version now
    saved, so that saving again is a decision taken knowing the other change. The user's input
    is kept either way.
    """
    if request.method != "POST" or not form.is_valid():
        return Saved(False, form)
    typed = form.service_kwargs() if hasattr(form, "service_kwargs") else dict(form.cleaned_data)
    try:
        result = service(**given, **typed)
    except ChangedByAnotherUser as error:
        if record is not None:
            record.refresh_from_db()
            form = form.with_version(record.version)
        form.add_error(None, error_message(error) or CHANGED_BY_ANOTHER_USER)
        return Saved(False, form)
    except ServiceError as error:
        aliases = {**getattr(form, "field_aliases", {}), **(field_aliases or {})}
        field = aliases.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error_message(error))
        return Saved(False, form)
    return Saved(True, form, result)


# A message or an address, or a function making it from what the service returned.
type FromResult = str | Callable[[Any], str]


def _made(value: FromResult, result) -> str:
    return value(result) if callable(value) else value


def save_or_show(
    request,
    form,
    service: Callable[..., Any],
    /,
    *,
    done: FromResult,
    then: FromResult,
    page: Callable[[Any], HttpResponse],
    record=None,
    field_aliases: dict[str, str] | None = None,
    **given,
) -> HttpResponse:
    """A page's answer to its form: ``service`` called by the user (``save_through_service``);
    once it has saved, the success message ``done`` and a redirect to ``then`` (each text, or a
    function of what the service returned); otherwise ``page(form)``, the view's page with the
    form and its refusal. This is the one "save, tell, redirect" every area's pages share."""
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
    return redirect(_made(then, outcome.result))


def press_button(request, service: Callable[..., Any], /, *, done: FromResult = "", **given):
    """A button's POST with no form: ``service`` called by the user; its refusal becomes an error
    message, else ``done`` (if any) a success message. Whether it was done."""
    try:
        result = service(by=request.user, **given)
    except ServiceError as error:
        messages.error(request, error_message(error))
        return False
    if message := _made(done, result):
        messages.success(request, message)
    return True
