"""Runs last: over the whole suite, no query reached the loopback listener that SERVICE and FROM pointed at."""
from __future__ import annotations


def test_no_outbound_connection_over_the_whole_suite(listener) -> None:
    _, accepted = listener
    assert accepted == []
