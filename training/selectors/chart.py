"""The chart of training delivered on the compliance page: the geometry of a grouped bar chart
(sessions held and attendances, month by month) that the template draws as an inline SVG.

Only numbers and labels are worked out here; ``templates/training/compliance.html`` draws them
with presentation attributes only (the Content Security Policy forbids style attributes).
"""

from __future__ import annotations

from dataclasses import dataclass

from .reports import MonthFigures


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: int
    title: str


@dataclass(frozen=True)
class ChartMonth:
    label: str
    year: str  # shown under January and the first month only
    centre: float
    sessions: Bar
    attendances: Bar


CHART_WIDTH, CHART_HEIGHT = 720, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 8, 36, 44
BAR_WIDTH = 18


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … at least ``value`` (the top of the scale)."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def bar_chart(months: list[MonthFigures]) -> dict:
    """The geometry of a grouped bar chart (sessions held, attendances) for an inline SVG; the
    template draws it with presentation attributes only (the CSP forbids style attributes)."""
    top = _nice_ceiling(max([1, *(m.sessions for m in months), *(m.attendances for m in months)]))
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    baseline = _TOP + plot_height
    group = plot_width / max(len(months), 1)

    def bar(x: float, value: int, title: str) -> Bar:
        height = plot_height * value / top
        return Bar(round(x, 1), round(baseline - height, 1), round(height, 1), value, title)

    chart_months = []
    for index, month in enumerate(months):
        centre = _LEFT + group * index + group / 2
        name = f"{month.month:%B %Y}"
        chart_months.append(
            ChartMonth(
                label=f"{month.month:%b}",
                year=f"{month.month:%Y}" if index == 0 or month.month.month == 1 else "",
                centre=round(centre, 1),
                sessions=bar(
                    centre - BAR_WIDTH - 1,
                    month.sessions,
                    f"{name}: {month.sessions} session{'s' if month.sessions != 1 else ''} held",
                ),
                attendances=bar(
                    centre + 1,
                    month.attendances,
                    f"{name}: {month.attendances} attendance"
                    f"{'s' if month.attendances != 1 else ''}",
                ),
            )
        )
    # The scale's top is 1, 2 or a multiple of 5: gridlines at whole numbers.
    steps = 5 if top % 5 == 0 else top
    ticks = [
        {"value": top * i // steps, "y": round(baseline - plot_height * i / steps, 1)}
        for i in range(steps + 1)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": _LEFT,
        "right": CHART_WIDTH - _RIGHT,
        "baseline": baseline,
        "bar_width": BAR_WIDTH,
        "months": chart_months,
        "ticks": ticks,
    }
