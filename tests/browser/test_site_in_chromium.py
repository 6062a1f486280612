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
    page.evaluate("document.querySelector('section.graph-result').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1000)
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


def _readable_labels(page) -> list[float]:  # noqa: ANN001
    """The on-screen font size of each label the view draws at its first zoom."""
    return page.evaluate("""() => { const v = window.seikgView, scale = v.network.getScale();
        return v.labelled.map(id => (v.nodes.get(id).font || {}).size * scale); }""")


@pytest.mark.parametrize("path", ["/views/overview", "/views/ego/region/hebei?depth=2"])
def test_issue_16_a_view_draws_readable_labels_at_its_first_zoom_and_the_same_layout_twice(live_server, open_page,
                                                                                          path: str) -> None:
    from tests.browser.conftest import wait_for_view

    page, visit = open_page(live_server + path)
    wait_for_view(page)
    sizes = _readable_labels(page)
    assert len(sizes) >= min(5, page.evaluate("window.seikgView.nodes.length")) and min(sizes) >= 12
    first = page.evaluate("window.seikgView.network.getPositions()")
    again, _ = open_page(live_server + path)
    wait_for_view(again)
    assert again.evaluate("window.seikgView.network.getPositions()") == first  # computed by the server, seeded
    if "ego" in path:
        focus = page.evaluate("window.seikgView.state.focus")
        assert focus in page.evaluate("window.seikgView.labelled") and first[focus] == {"x": 0, "y": 0}
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_16_an_embedded_view_has_its_legend_and_lets_the_page_scroll(live_server, open_page) -> None:
    page, visit = open_page(live_server + f"/policies/{_PLAN}", width=1280, height=700)
    frame_element = page.locator("section.view iframe")
    frame_element.scroll_into_view_if_needed()
    frame = page.frame_locator("section.view iframe")
    frame.locator("#view canvas").wait_for()
    assert frame.locator(".legend.inside").inner_text().count("policy document") == 1
    before = page.evaluate("window.scrollY")
    box = frame_element.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 400)  # over the view: the page scrolls, the view does not zoom
    page.wait_for_timeout(400)
    assert page.evaluate("window.scrollY") > before
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_16_a_tap_on_a_touch_screen_offers_the_page_and_a_button_to_expand(live_server, browser) -> None:
    from tests.browser.conftest import Visit, wait_for_view

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    visit = Visit()
    page.on("request", lambda r: visit.requests.append(r.url))
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    try:
        page.goto(live_server + "/views/ego/region/hebei")
        wait_for_view(page)
        focus = page.evaluate("window.seikgView.state.focus")
        point = page.evaluate("""(id) => { const v = window.seikgView.network; const p = v.canvasToDOM(v.getPosition(id));
            const r = document.getElementById('view').getBoundingClientRect(); return {x: r.left + p.x, y: r.top + p.y}; }""",
                              focus)
        page.touchscreen.tap(point["x"], point["y"])
        page.locator("#expand button.expand-selected").wait_for()
        assert page.url.endswith("/views/ego/region/hebei")  # a tap does not leave the view
        page.locator("#expand button.expand-selected").tap()
        page.locator("#expand button.predicate").first.wait_for()
        assert visit.errors == []
        visit.assert_local(live_server)
    finally:
        context.close()


def test_issue_16_a_region_page_shows_its_gap_table(live_server, open_page, request) -> None:
    import httpx2 as httpx

    gaps = httpx.get(f"{live_server}/api/regions/western-region/gaps", timeout=30).json()
    page, visit = open_page(live_server + "/regions/western-region")
    table = page.locator("#gap-table")
    table.scroll_into_view_if_needed()
    first = gaps["gaps"][0]["problem"]["label"]
    assert first in table.locator("tbody tr").first.inner_text()
    save_screenshot(page, "region-gap-table", request.config.getoption("--update-screenshots"))
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_16_a_view_filter_is_chosen_by_name(live_server, open_page) -> None:
    from tests.browser.conftest import wait_for_view

    page, visit = open_page(live_server + "/views/overview")
    wait_for_view(page)
    page.fill("input[name=issuer]", "Ministry of Education")
    page.wait_for_function("document.querySelectorAll('#issuer-names option').length > 0")
    assert "Ministry of Education" in page.locator("#issuer-names option").evaluate_all("os => os.map(o => o.value)")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**issuer=ministry-of-education**")  # the name is sent as its id
    wait_for_view(page)
    assert page.evaluate("window.seikgView.state.issuer").endswith("/actor/ministry-of-education")
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_16_a_graph_view_opened_in_chinese_keeps_the_language_on_its_links(live_server, open_page) -> None:
    from tests.browser.conftest import wait_for_view

    page, visit = open_page(live_server + "/views/ego/region/hebei?lang=zh")
    wait_for_view(page)
    assert page.locator("header nav.site a", has_text="Policies").get_attribute("href") == "/policies?lang=zh"
    assert page.locator("form.filters input[name=lang]").input_value() == "zh"
    hebei = page.evaluate("window.seikgView.state.focus")
    page.evaluate("(id) => window.seikgView.offer(window.seikgView.nodes.get(id))", hebei)
    assert page.locator("#expand a").first.get_attribute("href").endswith("?lang=zh")
    assert visit.errors == []
    visit.assert_local(live_server)
