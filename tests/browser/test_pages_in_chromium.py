"""Pages and views in real headless Chromium: they load without errors, draw what their JSON twins hold,
navigate on click, show a region's gaps, run no injected script, and request nothing outside 127.0.0.1."""
from __future__ import annotations

import httpx2 as httpx
import pytest

from tests.browser.conftest import save_screenshot, wait_for_view

pytestmark = [pytest.mark.timeout(600), pytest.mark.browser, pytest.mark.slow]


def test_browser_home_loads_without_console_errors_and_search_finds_a_policy(live_server, open_page,
                                                                             request) -> None:
    page, visit = open_page(live_server + "/")
    assert page.locator("h1").first.inner_text() == "seikg"
    page.fill("#q", "pilot implementation")
    page.wait_for_selector("#hits li a")
    link = page.locator("#hits a", has_text="National Pilot Implementation Plan").first
    save_screenshot(page, "home", request.config.getoption("--update-screenshots"))
    link.click()
    page.wait_for_url("**/policies/**")
    assert "National Pilot Implementation Plan" in page.locator("h1").inner_text()
    assert visit.errors == [] and visit.dialogs == []
    visit.assert_local(live_server)


def test_browser_entity_view_draws_its_json_twin_and_clicks_through(live_server, open_page, request) -> None:
    expected = httpx.get(f"{live_server}/api/views/ego/region/tangshan", timeout=30).json()
    page, visit = open_page(live_server + "/views/ego/region/tangshan")
    wait_for_view(page)
    assert page.evaluate("window.seikgView.nodes.length") == len(expected["nodes"])
    assert page.evaluate("window.seikgView.edges.length") == len(expected["edges"])
    assert page.evaluate("Object.keys(window.seikgView.network.getPositions()).length") == len(expected["nodes"])
    target = next(n for n in expected["nodes"] if n["id"].endswith("/hebei"))
    point = page.evaluate("""(id) => { const v = window.seikgView.network;
        v.focus(id, {scale: 1.5, animation: false});
        const p = v.canvasToDOM(v.getPosition(id)); const r = document.getElementById('view').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", target["id"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**" + target["href"])
    assert "Hebei" in page.locator("h1").inner_text()
    assert visit.errors == [] and visit.dialogs == []
    visit.assert_local(live_server)


def test_browser_policy_page_embeds_its_view(live_server, open_page, request) -> None:
    page, visit = open_page(live_server + "/policies/national-pilot-implementation-plan-industry-education-"
                                          "integration-2019")
    frame = page.frame_locator("section.view iframe")
    frame.locator("#view canvas").wait_for()
    page.wait_for_timeout(1500)
    save_screenshot(page, "policy-page", request.config.getoption("--update-screenshots"))
    assert visit.errors == []
    visit.assert_local(live_server)


def test_browser_region_gap_view_shows_its_gaps(live_server, open_page, request) -> None:
    gaps = httpx.get(f"{live_server}/api/regions/western-region/gaps", timeout=30).json()["gaps"]
    page, visit = open_page(live_server + "/views/region-gaps/western-region")
    wait_for_view(page)
    drawn = page.evaluate("window.seikgView.nodes.get({filter: n => n.role === 'gap'}).map(n => n.id)")
    assert sorted(drawn) == sorted(g["problem"]["iri"] for g in gaps if g["layer"] == "own")  # issue 15
    grouped = page.evaluate("window.seikgView.nodes.get({filter: n => n.role === 'inherited'}).map(n => n.label)")
    assert grouped == [f"{sum(g['layer'] == 'inherited' for g in gaps)} gaps inherited from China"]
    assert page.evaluate("window.seikgView.nodes.length") <= 40  # few enough to read
    dashed = page.evaluate("window.seikgView.edges.get({filter: e => e.dashes === true}).length")
    assert dashed > 0  # candidate mechanisms are drawn as missing
    save_screenshot(page, "region-gap-view", request.config.getoption("--update-screenshots"))
    assert visit.errors == []
    visit.assert_local(live_server)


def test_browser_overview_is_readable_with_a_legend(live_server, open_page, request) -> None:
    page, visit = open_page(live_server + "/views/overview", width=1600, height=1000)
    wait_for_view(page)
    assert page.locator(".legend span.swatch").count() >= 6
    count = page.evaluate("window.seikgView.nodes.length")
    assert 0 < count <= 300
    save_screenshot(page, "overview", request.config.getoption("--update-screenshots"))
    assert visit.errors == []
    visit.assert_local(live_server)


@pytest.mark.parametrize("path", ["/views/overview", "/views/ego/region/hostile-region?depth=3",
                                  "/views/region-gaps/hostile-region", "/regions/hostile-region",
                                  "/problems/hostile-problem", "/views/bipartite"])
def test_browser_xss_corpus_runs_no_script(hostile_server, open_page, path: str) -> None:
    page, visit = open_page(hostile_server + path)
    if path.startswith("/views"):
        wait_for_view(page)
        ids = page.evaluate("window.seikgView.nodes.getIds()")
        for node in ids[:20]:  # show every tooltip: titles must stay text
            point = page.evaluate("""(id) => { const v = window.seikgView.network;
                const p = v.canvasToDOM(v.getPosition(id)); const r = document.getElementById('view').getBoundingClientRect();
                return {x: r.left + p.x, y: r.top + p.y}; }""", node)
            page.mouse.move(point["x"], point["y"])
            page.wait_for_timeout(250)
    else:
        page.wait_for_timeout(1500)
    assert page.evaluate("window.__xss") is None
    assert visit.dialogs == []
    assert page.locator("img[src='x'], svg[onload], iframe[src^='javascript']").count() == 0
    visit.assert_local(hostile_server)


def test_browser_timeline_shows_precision_honestly(live_server, open_page, request) -> None:
    page, visit = open_page(live_server + "/timeline")
    months = page.locator("tr[data-precision='month'] time")
    assert months.count() > 0
    for text in months.all_inner_texts():
        assert len(text.split(" / ")[0]) == 7, text  # YYYY-MM, never a made-up day
    # drawn to scale: a month's bar is about a twelfth of a year's, a day's is a tick
    widths = {kind: page.locator(f"figure.timeline svg rect.{kind}").first.bounding_box()["width"]
              for kind in ("year", "month", "day")}
    assert 8 < widths["year"] / widths["month"] < 16 and widths["day"] < widths["month"]
    assert page.locator("figure.timeline svg a").count() == page.locator("tr[data-precision]:not("
                                                                         "[data-precision='none'])").count()
    save_screenshot(page, "timeline", request.config.getoption("--update-screenshots"))
    page.select_option("select[name=genre]", "Notice")
    page.click("form button[type=submit]")
    page.wait_for_url("**genre=Notice**")
    genres = page.locator("table.timeline tr td:nth-child(4)").all_inner_texts()
    assert genres and set(genres) == {"Notice"}
    assert visit.errors == []
    visit.assert_local(live_server)


def test_browser_region_page_compares_with_its_siblings(live_server, open_page, request) -> None:
    page, visit = open_page(live_server + "/regions/zhejiang")
    assert page.locator("section.comparison table.matrix th").count() >= 3  # Zhejiang and its sibling provinces
    # issue 15: the gap table comes first, sortable and filterable; the graph below it loads when scrolled to
    assert page.locator("section.gaps table#gap-table tbody tr").count() >= 1
    page.locator("section.gaps input.datatable-input").fill("legal personality")
    assert 1 <= page.locator("section.gaps table#gap-table tbody tr").count() < 10
    page.locator("section.gaps iframe").scroll_into_view_if_needed()
    page.frame_locator("section.gaps iframe").locator("#view canvas").wait_for()
    assert page.locator("section.gaps a[href='/api/regions/zhejiang/gaps']").count() == 1
    assert visit.errors == []
    visit.assert_local(live_server)


def test_issue_15_the_map_renders_offline_and_a_click_on_a_province_opens_its_page(live_server, open_page,
                                                                                   request) -> None:
    page, visit = open_page(live_server + "/map?measure=pilot-cities")
    assert page.locator("#tile-map a.tile").count() == 31
    assert page.locator("#tile-map").bounding_box()["width"] > 300
    save_screenshot(page, "map", request.config.getoption("--update-screenshots"))
    page.locator("#tile-map a.tile[data-region='zhejiang'] rect").click()
    page.wait_for_url("**/regions/zhejiang")
    assert "Zhejiang" in page.locator("h1").inner_text()
    page.goto(live_server + "/map?measure=own-problems&level=macro-region")
    page.locator("#tile-map a.tile[data-region='hunan'] rect").click()
    page.wait_for_url("**/regions/central-region")
    assert visit.errors == []
    visit.assert_local(live_server)


@pytest.mark.parametrize("path", ["/map", "/map?measure=own-problems&level=macro-region", "/regions/western-region",
                                  "/analysis/compare?region=eastern-region&region=western-region&region=central-region"
                                  "&region=northeastern-region"])
def test_issue_15_on_a_phone_the_map_region_and_comparison_pages_fit_the_screen(live_server, open_page,
                                                                                path: str) -> None:
    page, visit = open_page(live_server + path, width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide tables scroll inside themselves
    if path.startswith("/map"):
        box = page.locator("#tile-map").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert visit.errors == []
    visit.assert_local(live_server)


@pytest.mark.parametrize("path,ready", [("/docs", ".opblock"), ("/redoc", ".opblock")])
def test_issue_16_the_api_reference_renders_offline_from_vendored_assets(live_server, open_page, path: str,
                                                                        ready: str) -> None:
    page, visit = open_page(live_server + path)
    page.wait_for_selector(ready, timeout=30_000)
    assert page.locator(ready).count() > 10  # every route is listed
    assert visit.errors == []
    visit.assert_local(live_server)  # no CDN script, no Google Fonts, no favicon from fastapi.tiangolo.com


def test_browser_view_filters_live_in_the_url(live_server, open_page) -> None:
    page, visit = open_page(live_server + "/views/overview")
    wait_for_view(page)
    page.fill("input[name=kind]", "policy,actor")
    page.click("form.filters button[type=submit]")  # the empty date fields must not break the request
    page.wait_for_url("**kind=policy%2Cactor**")
    wait_for_view(page)
    kinds = set(page.evaluate("window.seikgView.nodes.get().map(n => n.kind)"))
    assert kinds == {"policy", "actor"}
    assert page.evaluate("window.seikgView.state.kinds") == ["policy", "actor"]
    assert visit.errors == []
    visit.assert_local(live_server)


def test_browser_view_saves_a_png(live_server, open_page, tmp_path) -> None:
    page, visit = open_page(live_server + "/views/bipartite")
    wait_for_view(page)
    with page.expect_download() as download:
        page.click("#png")
    target = tmp_path / "view.png"
    download.value.save_as(target)
    assert download.value.suggested_filename == "bipartite.png"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
    assert visit.errors == []
    visit.assert_local(live_server)


def test_browser_expanding_a_hub_counts_per_predicate_first_then_adds_its_neighbours(live_server, open_page,
                                                                                      request) -> None:
    page, visit = open_page(live_server + "/views/ego/region/china?cap=12")
    wait_for_view(page)
    before = set(page.evaluate("window.seikgView.nodes.getIds()"))
    positions = page.evaluate("window.seikgView.network.getPositions()")
    page.click("details.hubs summary")
    page.locator("button.expand-hub").first.click()
    buttons = page.locator("#expand button.predicate")
    buttons.first.wait_for()
    hub = page.locator("button.expand-hub").first.get_attribute("data-node")
    counts = httpx.get(f"{live_server}/api/views/expand/{hub.split('/id/', 1)[1]}", timeout=30).json()
    assert buttons.all_inner_texts() == [f"{p} ({n})" for p, n in counts["view"]["hubs"][0]["links"].items()]
    predicate = buttons.first.get_attribute("data-predicate")
    step = httpx.get(f"{live_server}/api/views/expand/{hub.split('/id/', 1)[1]}?predicate={predicate}",
                     timeout=30).json()
    buttons.first.click()
    page.wait_for_selector("#expand li span")
    wait_for_view(page)  # the new nodes are laid out, then everything is frozen again
    after = set(page.evaluate("window.seikgView.nodes.getIds()"))
    assert after == before | {n["id"] for n in step["view"]["nodes"]}
    assert page.evaluate("window.seikgView.network.getPositions()") | positions == page.evaluate(
        "window.seikgView.network.getPositions()")  # the nodes already drawn did not move
    save_screenshot(page, "hub-expanded", request.config.getoption("--update-screenshots"))
    assert visit.errors == [] and visit.dialogs == []
    visit.assert_local(live_server)
