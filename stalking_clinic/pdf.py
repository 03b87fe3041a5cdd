"""The one PDF renderer every app uses.

Templates live under ``templates/<app>/pdf/``. Only files from our own static folders are fetched:
anything else a template points at is refused, so producing a PDF never reaches the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

from .downloads import download

_weasyprint = None
_fetcher_class = None


def warm_up() -> None:
    """Import WeasyPrint now (about a second), so the first PDF request does not pay for it."""
    global _weasyprint, _fetcher_class
    if _weasyprint is not None:
        return
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = local_static_path(url)
            if path is None:
                # WeasyPrint skips the resource and carries on without it.
                raise ValueError(f"PDFs may only use local static files, not {url!r}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    _weasyprint = weasyprint
    _fetcher_class = LocalStaticFetcher


def local_static_path(url: str) -> Path | None:
    """The file behind a /static/ URL of this site, or None for anything else."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    same_site = parts.scheme == "" or (parts.scheme, parts.netloc) == (site.scheme, site.netloc)
    if not same_site or not parts.path.startswith(settings.STATIC_URL):
        return None
    relative = parts.path.removeprefix(settings.STATIC_URL)
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    if not settings.STATIC_ROOT:
        return None
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    """A rendered PDF for the browser to save (``stalking_clinic.downloads``)."""
    return download(content, content_type="application/pdf", filename=filename)


def render_pdf(template_name: str, context: dict[str, Any], *, request=None) -> bytes:
    """Render a Django template to PDF bytes (with the request, context processors apply)."""
    warm_up()
    html = render_to_string(template_name, context, request=request)
    document = _weasyprint.HTML(
        string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher_class()
    )
    return document.write_pdf()
