"""Panels other areas add to the case page, without the referrals app importing them.

An area registers ``fn(request, case) -> dict | None`` with ``@case_panel`` (from its
``AppConfig.ready``). The dict names the ``template`` that renders it, plus whatever that template
needs; ``None`` means the panel is not shown to this user. Panels render in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], dict | None]
_panels: list[Panel] = []


def case_panel(fn: Panel) -> Panel:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def panels_for(request, case) -> list[dict]:
    return [panel for fn in _panels if (panel := fn(request, case)) is not None]
