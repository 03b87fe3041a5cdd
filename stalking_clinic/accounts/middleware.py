"""Every page needs a session that has passed the second factor, except the pages that get it
there: open pages (sign-in, sign-out, password reset, the health check) and those marked with
``second_factor_step`` (entering a code, setting up the app)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import session_verified


def second_factor_step(view):
    """Mark a view as a step towards the second factor: a signed-in session that has not passed
    it yet may use it."""
    view.second_factor_step = True
    return view


def _open_to_anyone(view) -> bool:
    access = getattr(view, "access", None)
    return access is not None and access.perm is None


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or session_verified(request):
            return None
        if _open_to_anyone(view_func) or getattr(view_func, "second_factor_step", False):
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:verify')}?{query}")
