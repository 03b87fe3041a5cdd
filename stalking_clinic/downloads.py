"""Files the clinic's pages hand over (PDFs, CSVs, calendar files): one response for them all.

None is ever kept by a browser or a proxy, since every one is about people at risk; a file name
holds references only, because a name in a file name travels in download lists and logs.
"""

from __future__ import annotations

from django.http import HttpResponse


def download(content: bytes = b"", *, content_type: str, filename: str = "") -> HttpResponse:
    """``content`` to save as ``filename`` (or, without one, for a program to read, such as a
    calendar subscription)."""
    response = HttpResponse(content, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
