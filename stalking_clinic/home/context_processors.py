from django.conf import settings

from .navigation import areas_for


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    current = getattr(getattr(request, "resolver_match", None), "namespace", "")
    return {
        "service_name": "Stalking Clinic",
        "force_name": settings.FORCE_NAME,
        "nav_areas": areas_for(user) if signed_in else [],
        "current_area": current,
    }
