"""The policy timeline drawn to scale, at the precision the sources give.

A year is drawn as a bar across the year, a month as a bar across the month and a day as a tick, so
"2019-04" never looks like "2019-04-01". Where sources disagree, every recorded date is drawn on the
policy's row and joined by a thin line. The drawing is plain data (coordinates in SVG user units) that a
template turns into inline SVG: no script, nothing fetched.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from kg.analyses.timeline import PolicyTimeline

__all__ = ["Mark", "Row", "TimelineDrawing", "Tick", "draw_timeline"]

_PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class Mark:
    """One recorded date of a policy: ``x`` to ``x + width`` covers the period the date stands for."""

    x: float
    width: float
    precision: str
    text: str


@dataclass(frozen=True)
class Row:
    """A policy's row: its label, link and marks (more than one when sources disagree)."""

    y: float
    label: str
    iri: str
    marks: tuple[Mark, ...]
    disputed: bool


@dataclass(frozen=True)
class Tick:
    """A year boundary on the axis."""

    x: float
    year: int


@dataclass(frozen=True)
class TimelineDrawing:
    """Everything the SVG shows; ``undated`` policies are listed, not drawn."""

    width: float
    height: float
    label_width: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    undated: tuple[tuple[str, str], ...]


def _period(text: str) -> tuple[date, date]:
    """The first and last day that a date at its precision stands for."""
    year = int(text[:4])
    if len(text) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(text[5:7])
    if len(text) == 7:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date.fromisoformat(text[:10])
    return day, day


def draw_timeline(timeline: PolicyTimeline, *, width: float = 900, row_height: float = 22,
                  label_width: float = 330) -> TimelineDrawing:
    """Lay the timeline's policies out on a time axis, one row each, earliest first.

    Raises
    ------
    ValueError
        If a recorded date is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the loader's validation rules
        this out for the served graph).
    """
    dated = [entry for entry in timeline.entries if entry.dates]
    undated = tuple((entry.iri, entry.label) for entry in timeline.entries if not entry.dates)
    if not dated:
        return TimelineDrawing(width, 0, label_width, (), (), undated)
    periods = {text: _period(text) for entry in dated for text in entry.dates}
    first = date(min(start for start, _ in periods.values()).year, 1, 1)
    last = date(max(end for _, end in periods.values()).year + 1, 1, 1)
    days = (last - first).days
    scale = (width - label_width - 10) / days

    def x_of(day: date) -> float:
        return round(label_width + (day - first).days * scale, 2)

    rows = []
    for index, entry in enumerate(dated):
        marks = []
        for text in entry.dates:
            start, end = periods[text]
            left = x_of(start)
            marks.append(Mark(left, max(round(x_of(end) + scale - left, 2), 2.0), _PRECISION.get(len(text), "day"), text))
        rows.append(Row(30 + index * row_height, entry.label, entry.iri, tuple(marks), len(entry.dates) > 1))
    ticks = tuple(Tick(x_of(date(year, 1, 1)), year) for year in range(first.year, last.year + 1))
    return TimelineDrawing(width, 40 + len(rows) * row_height, label_width, tuple(rows), ticks, undated)
