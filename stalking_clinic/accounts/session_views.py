"""The session warning's two requests: how long is left, and "Stay signed in"."""

from django.http import JsonResponse

from stalking_clinic.access import POST_ONLY, Perm, require

from .sessions import background_request, record_activity, seconds_left


@background_request
@require(Perm.HOME)
def status(request):
    """How long the session has left. Asked by the page itself, so not activity: another tab in
    use keeps the session going, and this tells the warning so."""
    return JsonResponse({"seconds_left": seconds_left(request.session)})


@require(Perm.HOME, methods=POST_ONLY)
def keep_alive(request):
    """The warning's "Stay signed in": counts as activity, and says how long is left now (the
    limit since signing in still applies)."""
    record_activity(request.session)
    return JsonResponse({"seconds_left": seconds_left(request.session)})
