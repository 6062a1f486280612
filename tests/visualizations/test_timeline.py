"""The drawn timeline: every date covers the period it stands for, at its recorded precision."""
from __future__ import annotations

import pytest

from kg.analyses.timeline import PolicyEntry, PolicyTimeline, list_policies_by_date
from visualizations.timeline import draw_timeline


def test_timeline_draws_each_date_across_the_period_it_stands_for(toy) -> None:
    drawing = draw_timeline(list_policies_by_date(toy), width=900, label_width=330)
    scale = (900 - 330 - 10) / (366 + 365 + 365)  # 2019-01-01 .. 2022-01-01
    rows = {row.label: row for row in drawing.rows}
    assert list(rows) == ["pol1", "pol2", "pol3"]  # earliest first; pol4 is undated
    assert [label for _, label in drawing.undated] == ["pol4"]
    (month,), (year,), (day,) = rows["pol1"].marks, rows["pol2"].marks, rows["pol3"].marks
    assert (month.precision, year.precision, day.precision) == ("month", "year", "day")
    assert month.x == pytest.approx(330 + 90 * scale, abs=0.01)  # 2019-04-01 is day 90 of the axis
    assert month.width == pytest.approx(30 * scale, abs=0.02)  # all of April, not its first day
    assert year.width == pytest.approx(366 * scale, abs=0.02)  # all of 2020 (a leap year)
    assert day.width == 2.0  # one day is narrower than the 2-unit minimum
    assert [tick.year for tick in drawing.ticks] == [2019, 2020, 2021, 2022]


def test_timeline_draws_every_date_when_sources_disagree() -> None:
    entry = PolicyEntry("https://w3id.org/seikg/id/policy/x", "x", "2019-04", "month", ("2019-04", "2019-04-12"),
                        "Notice", ())
    drawing = draw_timeline(PolicyTimeline((entry,), None, None, (), ("Notice",)))
    (row,) = drawing.rows
    assert row.disputed and [m.precision for m in row.marks] == ["month", "day"]
    assert row.marks[0].x < row.marks[1].x < row.marks[0].x + row.marks[0].width  # the day lies inside the month


def test_timeline_with_no_dated_policy_draws_nothing() -> None:
    entry = PolicyEntry("https://w3id.org/seikg/id/policy/y", "y", None, None, (), "Plan", ())
    drawing = draw_timeline(PolicyTimeline((entry,), None, None, (), ("Plan",)))
    assert drawing.rows == () and drawing.height == 0 and drawing.undated == ((entry.iri, "y"),)
