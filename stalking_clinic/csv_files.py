"""CSV downloads and exports, guarded against spreadsheet formulas.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) is
read by a spreadsheet as a formula, which can run commands or send data away when the file is
opened (CSV injection). Police exports and names come from outside the clinic, so every text cell
written here gets a leading apostrophe when it would start a formula, and stays text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from .downloads import download

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """``value``, with a leading apostrophe if it is text a spreadsheet would read as a formula;
    None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(out, header: Iterable[str], rows: Iterable[Iterable[Any]], **options) -> None:
    """Write ``header`` and ``rows`` to the file-like ``out``, every cell guarded."""
    writer = csv.writer(out, **options)
    writer.writerow(header)
    writer.writerows([formula_safe(value) for value in row] for row in rows)


def csv_download(filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]]):
    """A CSV file for the browser to save (``stalking_clinic.downloads``)."""
    response = download(content_type="text/csv; charset=utf-8", filename=filename)
    write_rows(response, header, rows)
    return response
