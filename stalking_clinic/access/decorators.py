"""How a view declares who may use it. A system check refuses any view that declares nothing."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from .rules import can


@dataclass(frozen=True)
class AccessDeclaration:
    perm: str | None  # None: open to anyone, signed in or not
    shows_personal_data: bool = False


def require(perm: str, *, shows_personal_data: bool = False):
    """Only signed-in users whose roles give ``perm`` may use the view; others get 403.

    ``shows_personal_data=True`` declares that the page shows a person's details: the view must
    then log a consultation (``request.audit.consulted(obj)``) on every successful response, or
    the request fails loudly, so no page can forget the audit trail.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                # Imported here: auth's views import its models, not loadable at app start.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not can(request.user, perm):
                raise PermissionDenied
            response = view(request, *args, **kwargs)
            if (
                shows_personal_data
                and response.status_code == 200
                and not request.audit.consultations
            ):
                raise ImproperlyConfigured(
                    f"{view.__module__}.{view.__name__} shows personal data but logged no "
                    "consultation; call request.audit.consulted(obj)."
                )
            return response

        wrapped.access = AccessDeclaration(perm, shows_personal_data)
        return wrapped

    return decorate


def public(view):
    """Open to anyone (sign-in page, health check). Say so explicitly."""
    view.access = AccessDeclaration(None)
    return view
