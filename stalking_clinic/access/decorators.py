"""How a view declares who may use it, and how: the HTTP methods it takes. A system check refuses
any view that declares nothing.

A view takes GET (and HEAD) only unless it says otherwise: ``require(perm, methods=POSTS)`` for a
page that shows a form and saves it, ``methods=POST_ONLY`` for a button's endpoint. Anything else
is refused with 405, so a form posting to a page that only shows things fails loudly instead of
silently dropping what the user typed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponseNotAllowed

from .rules import can

READS = frozenset({"GET"})
POSTS = frozenset({"GET", "POST"})  # a page with a form that posts back to it
POST_ONLY = frozenset({"POST"})  # a button's endpoint: a GET is 405

_KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _methods(methods: Iterable[str]) -> frozenset[str]:
    if isinstance(methods, str):
        raise TypeError("methods is a collection of HTTP methods, e.g. POSTS or {'GET', 'POST'}")
    declared = frozenset(m.upper() for m in methods)
    unknown = declared - _KNOWN_METHODS
    if unknown or not declared:
        raise ValueError(f"Unknown or no HTTP methods declared: {sorted(unknown)}")
    # HEAD is GET without the body: whatever may be read may be asked about.
    return declared | {"HEAD"} if "GET" in declared else declared


_GETS = _methods(READS)


@dataclass(frozen=True)
class AccessDeclaration:
    perm: str | None  # None: open to anyone, signed in or not
    shows_personal_data: bool = False
    methods: frozenset[str] = _GETS  # the HTTP methods the view takes

    def accepts(self, method: str) -> bool:
        return method.upper() in self.methods


def _refused(request, methods: frozenset[str]):
    if request.method in methods:
        return None
    return HttpResponseNotAllowed(sorted(methods))


def _django_methods(view) -> frozenset[str] | None:
    """What a view wrapped in Django's ``require_POST`` (or ``require_http_methods``) allows: such
    a view declares its methods that way, and keeps working inside ``require``."""
    code = getattr(view, "__code__", None)
    if code is None or "request_method_list" not in code.co_freevars:
        return None
    cell = view.__closure__[code.co_freevars.index("request_method_list")]
    return frozenset(m.upper() for m in cell.cell_contents)


def require(perm: str, *, shows_personal_data: bool = False, methods: Iterable[str] | None = None):
    """Only signed-in users whose roles give ``perm`` may use the view; others get 403.

    ``methods``: the HTTP methods the view takes (GET and HEAD unless said: ``POSTS`` for a page
    that saves its own form, ``POST_ONLY`` for a button's endpoint; a view wrapped in Django's
    ``require_POST`` takes what that allows); any other is 405, after the user is known to be
    allowed (so an outsider learns nothing from the status).

    ``shows_personal_data=True`` declares that the page shows a person's details (or a list or
    search results naming people): the view must then log a consultation
    (``request.audit.consulted(obj)``, or ``request.audit.listed(rows, what=..., terms=...)`` for
    a list) on every successful response, or the request fails loudly, so no page can forget the
    audit trail.
    """
    declared = _methods(methods) if methods is not None else None

    def decorate(view):
        allowed = declared or _django_methods(view) or _GETS

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                # Imported here: auth's views import its models, not loadable at app start.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not can(request.user, perm):
                raise PermissionDenied
            if refused := _refused(request, allowed):
                return refused
            response = view(request, *args, **kwargs)
            if (
                shows_personal_data
                and response.status_code == 200
                and not request.audit.consultations
            ):
                raise ImproperlyConfigured(
                    f"{view.__module__}.{view.__name__} shows personal data but logged no "
                    "consultation; call request.audit.consulted(obj) or request.audit.listed(rows)."
                )
            return response

        wrapped.access = AccessDeclaration(perm, shows_personal_data, allowed)
        return wrapped

    return decorate


def _class_methods(view) -> frozenset[str] | None:
    """The methods a class-based view (``as_view()``) has a handler for, as it dispatches them."""
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return None
    return frozenset(
        m.upper() for m in view_class.http_method_names if m != "head" and hasattr(view_class, m)
    )


def public(view=None, *, methods: Iterable[str] | None = None):
    """Open to anyone (sign-in page, health check). Say so explicitly: ``@public`` (GET only),
    ``@public(methods=...)``; a class-based view takes the methods it has handlers for."""

    declared = _methods(methods) if methods is not None else None

    def decorate(view):
        allowed = declared or _django_methods(view) or _methods(_class_methods(view) or READS)

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if refused := _refused(request, allowed):
                return refused
            return view(request, *args, **kwargs)

        wrapped.access = AccessDeclaration(None, methods=allowed)
        return wrapped

    return decorate(view) if view is not None else decorate
