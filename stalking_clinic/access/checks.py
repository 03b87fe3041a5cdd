"""System check: every URL's view must declare who may use it (``require`` or ``public``)."""

from django.core.checks import Error, register
from django.urls import URLPattern, URLResolver, get_resolver

# Django's own admin checks is_staff on every view itself.
_SELF_GUARDED_NAMESPACES = {"admin"}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def undeclared_views():
    found = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace in _SELF_GUARDED_NAMESPACES:
            continue
        if not hasattr(pattern.callback, "access"):
            found.append(f"{pattern.pattern} ({pattern.lookup_str})")
    return found


@register()
def check_views_declare_access(app_configs, **kwargs):
    return [
        Error(
            f"View for {where} does not declare who may use it.",
            hint="Wrap it in stalking_clinic.access.require(...) or public(...).",
            id="access.E001",
        )
        for where in undeclared_views()
    ]
