"""The case page's panel registry: where other areas add their panels to the case page.

This module is the registry. An area registers ``fn(request, case) -> dict | None`` with
``@case_panel`` (from its ``AppConfig.ready``; protection orders do so in ``spo``), and the case
page shows every registered panel through ``panels_for``, so the referrals app never imports the
areas that add to it. The dict names the ``template`` that renders the panel, plus whatever that
template needs; ``None`` means the panel is not shown to this user. Panels render in registration
order, after the case's own panels (assessments, safety plan) and before its timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], dict | None]
_panels: list[Panel] = []


def case_panel(fn: Panel) -> Panel:
    """Register ``fn`` as a case page panel (once, however often its module is imported)."""
    if fn not in _panels:
        _panels.append(fn)
    return fn


def panels_for(request, case) -> list[dict]:
    """The registered panels shown to ``request``'s user on ``case``'s page, in order."""
    return [panel for fn in _panels if (panel := fn(request, case)) is not None]
