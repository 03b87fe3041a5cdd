from django.conf import settings

from stalking_clinic.accounts.second_factor import session_verified

from .navigation import areas_for


def navigation(request):
    user = getattr(request, "user", None)
    # Until the second factor is passed, there is nowhere to go but the code page.
    signed_in = bool(user and user.is_authenticated) and session_verified(request)
    current = getattr(getattr(request, "resolver_match", None), "namespace", "")
    return {
        "service_name": "Stalking Clinic",
        "force_name": settings.FORCE_NAME,
        "nav_areas": areas_for(user) if signed_in else [],
        "current_area": current,
    }
