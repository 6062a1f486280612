"""The rules ingest reads text with, on sentences checked by hand."""
from __future__ import annotations

import pytest

from kg.ingest.patterns import (action_phrases, anchor_around, find_dates, find_numbers, find_organisations,
                                find_policy_titles, genre_of, label_from_heading, mechanism_phrases,
                                problem_phrases, slug)


def test_policy_titles_quoted_after_a_verb_and_nested() -> None:
    sentence = ("In October 2019, the Ministry of Education and other six departments jointly issued the Notice "
                "on the Issuance of the National Pilot Implementation Plan for the Integration of Industry and "
                "Education, proposing the first batch of pilots.")
    titles = [t for t, _ in find_policy_titles(sentence)]
    assert titles == ["Notice on the Issuance of the National Pilot Implementation Plan for the Integration of "
                      "Industry and Education",
                      "National Pilot Implementation Plan for the Integration of Industry and Education"]
    quoted = 'the General Office of the State Council issued "Several Opinions on Deepening the Integration of ' \
             'Industry and Education", which'
    assert [t for t, _ in find_policy_titles(quoted)] == [
        "Several Opinions on Deepening the Integration of Industry and Education"]


def test_report_and_titles_with_a_span_of_years() -> None:
    assert [t for t, _ in find_policy_titles("On October 16, 2022, the report of the 20th National Congress of "
                                             "the Communist Party of China said so.")] == [
        "Report of the 20th National Congress of the Communist Party of China"]
    assert [t for t, _ in find_policy_titles("the Outline of the Plan for Building a Strong Country through "
                                             "Education (2024-2035), which")] == [
        "Outline of the Plan for Building a Strong Country through Education (2024-2035)"]
    assert find_policy_titles("The plan of the study is simple.") == []


@pytest.mark.parametrize("title, genre", [
    ("Notice on the Issuance of the National Pilot Implementation Plan", "Notice"),
    ("Several Opinions on Deepening the Integration", "Opinions"),
    ("Implementation Measures for the Construction of Enterprises", "Measures"),
    ("Outline of the Plan for Building a Strong Country", "Outline"),
    ("Action Plan for Promoting the Integration", "Plan"),
    ("Guidelines for the Construction of Communities", "Guidelines"),
])
def test_genre(title: str, genre: str) -> None:
    assert genre_of(title) == genre


def test_dates_at_their_precision_and_relative_dates_resolved() -> None:
    assert [(d.value, d.resolved) for d in find_dates("On October 16, 2022, it was issued.", None)] == [
        ("2022-10-16", False)]
    assert [d.value for d in find_dates("In April 2025, the Central Committee issued it.", None)] == ["2025-04"]
    assert [d.value for d in find_dates("In 2023, the Commission issued the Plan (2023-2025).", None)] == ["2023"]
    assert [(d.value, d.resolved) for d in find_dates("In April of the same year, it issued more.", 2019)] == [
        ("2019-04", True)]
    assert find_dates("In April of the same year, it issued more.", None) == []  # nothing to resolve it with
    assert [d.value for d in find_dates("[EB/OL]. (2025-01-19)[2025-06-01]", None)] == ["2025-01-19"]


def test_document_numbers() -> None:
    assert find_numbers("the Notice (Guo Ban Fa [2017] No. 95) says") == ["Guo Ban Fa [2017] No. 95"]
    assert find_numbers("国务院办公厅印发（国办发〔2017〕95号）") == ["国办发〔2017〕95号"]


def test_organisations() -> None:
    names = [n for n, _ in find_organisations("In 2019, the National Development and Reform Commission, the "
                                              "Ministry of Education and Qilu University of Technology met.")]
    assert names == ["National Development and Reform Commission", "Ministry of Education",
                     "Qilu University of Technology"]


def test_mechanism_problem_and_action_phrases() -> None:
    assert [p for p, _ in mechanism_phrases("We must improve the long-term incentive mechanism and build a "
                                            "municipal industry-education consortium.")] == [
        "Incentive mechanism", "Municipal industry-education consortium"]
    assert [p for p, _ in problem_phrases("Problems such as the lack of enterprise participation and "
                                          "insufficient teacher training persist.")] == [
        "Lack of enterprise participation", "Insufficient teacher training"]
    assert [p for p, _ in action_phrases("The city should establish a risk compensation fund for "
                                         "school-enterprise cooperation to solve it.")] == [
        "Risk compensation fund for school-enterprise cooperation"]


def test_headings_slugs_and_anchors() -> None:
    assert label_from_heading("5.1. Construction of the Motivation Mechanism") == "Motivation mechanism"
    assert slug("Notice on the Construction of Municipal Industry-Education Consortium") == \
        "notice-construction-municipal-industry-education-consortium"
    sentence = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen TARGET end"
    anchor = anchor_around(sentence, sentence.index("TARGET"), len("TARGET"))
    assert "TARGET" in anchor and len(anchor.split()) <= 12 and anchor in sentence
