"""Issue 16 in real headless Chromium, every request outside 127.0.0.1 counted: browse and facets, the search
results page, HTML error pages, the entity page's SPARQL link into the editor, the editor's graph result, and
pages at a phone's width."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = [pytest.mark.timeout(600), pytest.mark.browser, pytest.mark.slow]

_PLAN = "national-pilot-implementation-plan-industry-education-integration-2019"


def test_issue_16_policies_are_browsed_and_faceted_by_issuer_and_year(live_server, open_page, request) -> None:
    page, visit = open_page(live_server + "/policies")
    total = int(page.locator(".result-count strong").inner_text())
    issuer = page.locator("details.facet", has_text="issuer").locator("li", has_text="Ministry of Education").first
    count = int(issuer.locator(".count").inner_text())
    issuer.locator("a").click()
    page.wait_for_url("**issuer=ministry-of-education**")
    assert int(page.locator(".result-count strong").inner_text()) == count < total
    assert "issuer: Ministry of Education" in page.locator(".active-filters").inner_text()
    year = page.locator("details.facet", has_text="year").locator("li").first
    year_count, year_label = int(year.locator(".count").inner_text()), year.locator("a").inner_text()
    year.locator("a").click()
    page.wait_for_url(f"**to={year_label}**")
    assert int(page.locator(".result-count strong").inner_text()) == year_count
    assert all(year_label in cell for cell in page.locator("table.browse-table tbody tr td:nth-child(3)").all_inner_texts())
    save_screenshot(page, "browse-facets", request.config.getoption("--update-screenshots"))
    assert visit.errors == []
    visit.assert_local(live_server)


@pytest.mark.parametrize("words,expected", [("教育部", "/actors/ministry-of-education"),
                                            ("pilot city", "pilot-cities")])
def test_issue_16_the_search_results_page_finds_chinese_and_inflected_words(live_server, open_page, words: str,
                                                                           expected: str) -> None:
    page, visit = open_page(live_server + "/")
    page.fill("#q", words)
    page.press("#q", "Enter")  # Enter opens the results page
    page.wait_for_url("**/search?q=**")
    first = page.locator("ol.hits li a").first
    assert expected in first.get_attribute("href"), first.get_attribute("href")
    if words == "教育部":
        assert page.locator("ol.hits li").first.locator(".zh").inner_text() == "教育部"
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_16_an_unknown_id_is_an_html_404_that_offers_search(live_server, open_page) -> None:
    page, visit = open_page(live_server + "/policies/no-such-plan")
    assert page.locator("h1").inner_text() == "Not found"
    assert page.locator("#error-q").input_value() == "no such plan"
    page.click("form[role=search] button[type=submit] >> nth=-1")
    page.wait_for_url("**/search?q=no+such+plan")
    assert [e for e in visit.errors if "404" not in e] == []  # the console notes the 404 itself
    visit.assert_local(live_server)


def test_issue_16_a_view_filter_given_a_name_says_so_in_a_page(live_server, open_page) -> None:
    page, visit = open_page(live_server + "/views/overview?issuer=Ministry%20of%20Education")
    assert page.locator("h1").inner_text() == "A parameter is not valid"
    page.locator("a.look-up").click()
    page.wait_for_url("**/search?q=Ministry**")
    assert page.locator("ol.hits li a").first.get_attribute("href") == "/actors/ministry-of-education"
    visit.assert_local(live_server)


def test_issue_16_the_sparql_link_opens_the_editor_with_its_query_and_draws_the_result(live_server, open_page,
                                                                                     request) -> None:
    page, visit = open_page(live_server + f"/policies/{_PLAN}")
    page.locator("nav.twins a.sparql-link").click()
    page.wait_for_url("**/sparql#query=**")
    page.wait_for_selector(".yasqe .CodeMirror")
    query = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert _PLAN in query and "SELECT" in query
    page.click("#show-graph")
    frame = page.frame_locator("#graph-result")
    frame.locator("#view canvas").wait_for()
    src = page.locator("#graph-result").get_attribute("src")
    assert _PLAN in parse_qs(urlsplit(src).query)["query"][0]
    page.wait_for_function("document.getElementById('graph-result').contentWindow.seikgView !== undefined")
    assert page.evaluate("document.getElementById('graph-result').contentWindow.seikgView.nodes.length") > 1
    save_screenshot(page, "editor-graph-result", request.config.getoption("--update-screenshots"))
    assert visit.errors == []
    visit.assert_local(live_server)


@pytest.mark.parametrize("path", ["/", f"/policies/{_PLAN}", "/policies", "/search?q=pilot", "/regions/hebei",
                                  "/views/overview"])
def test_issue_16_pages_fit_a_phone_without_horizontal_scrolling(live_server, open_page, path: str) -> None:
    page, visit = open_page(live_server + path, width=390, height=844)
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_16_the_language_switch_keeps_chinese_from_page_to_page(live_server, open_page, request) -> None:
    page, visit = open_page(live_server + f"/policies/{_PLAN}")
    page.locator("nav.language a[data-lang=zh]").click()
    page.wait_for_url("**lang=zh**")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "国家产教融合建设试点实施方案"
    save_screenshot(page, "policy-page-zh", request.config.getoption("--update-screenshots"))
    page.locator("header.site nav a", has_text="政策").click()  # the site's links carry the language on
    page.wait_for_url("**/policies?lang=zh")
    assert page.locator("h1").inner_text() == "政策文件"
    page.locator("nav.language a[data-lang=en]").click()
    page.wait_for_url(lambda url: "lang=" not in url)
    assert page.locator("h1").inner_text() == "Policy documents"
    assert visit.errors == []
    visit.assert_local(live_server)


@pytest.mark.parametrize("fmt,start", [("gb7714", "FU P, HUANG C, SUN D."), ("bibtex", "@article{")])
def test_issue_16_a_citation_is_copied_in_gb_t_7714_and_bibtex(live_server, open_page, fmt: str, start: str) -> None:
    page, visit = open_page(live_server + "/sources/fu-huang-sun-2025")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.select_option("#cite-format", fmt)
    box = page.locator('.citation[data-id="fu-huang-sun-2025"]')
    box.locator("button.copy-citation").click()
    box.locator(".copied", has_text="Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.lstrip().startswith(start) and "10.22158/assc.v7n5p171" in copied
    assert visit.errors == []
    visit.assert_local(live_server)
