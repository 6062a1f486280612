"""Real headless Chromium (Debian's ``chromium``, driven by Playwright) against servers the tests start.

``live_server`` serves the real data through ``seikg serve``; ``hostile_server`` serves a graph whose
labels, anchors and IRIs carry XSS payloads, from an in-process uvicorn on 127.0.0.1.
"""
from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from tests.conftest import ROOT, TESTS, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "build" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (`apt-get install chromium`; .ci/run does)")
        for item in items:
            if "browser" in str(item.fspath):
                item.add_marker(skip)


@dataclass
class Visit:
    """What one page did: its requests, console errors and dialogs."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_local(self, base: str) -> None:
        outside = [url for url in self.requests if not url.startswith(base) and not url.startswith("data:")
                   and not url.startswith("blob:") and not url.startswith("about:")]
        assert not outside, f"requests left 127.0.0.1: {outside}"


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps"])
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Open a URL in a fresh page that records requests, console errors and dialogs (dialogs are dismissed)."""
    pages = []

    def opener(url: str, *, width: int = 1280, height: int = 900):
        page = browser.new_page(viewport={"width": width, "height": height})
        visit = Visit()
        page.on("request", lambda request: visit.requests.append(request.url))
        page.on("console", lambda message: visit.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
        page.on("dialog", lambda dialog: (visit.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url, wait_until="load")
        pages.append(page)
        return page, visit

    yield opener
    for page in pages:
        page.close()


def wait_for_view(page, timeout: float = 30_000) -> None:
    """Wait until the view's network exists and its layout is stable (then frozen)."""
    page.wait_for_function("window.seikgView !== undefined", timeout=timeout)
    page.wait_for_function("document.body.getAttribute('data-stable') === 'true'", timeout=timeout)


def save_screenshot(page, name: str, update: bool) -> Path:
    """Save a screenshot under build/screenshots/, and to docs/screenshots/ with --update-screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    if update:
        target = ROOT / "docs" / "screenshots" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return path


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, ks_settings) -> Iterator[str]:
    """The app over tests/data/hostile/hostile.ttl, served by uvicorn on 127.0.0.1 in a thread."""
    import uvicorn
    from rdflib import Dataset, Graph, URIRef

    from api import create_app
    from kg.build.export import serialize_dataset
    from kg.runtime import QueryService
    from kg.store.snapshot import write_snapshot

    dataset = Dataset()
    named = dataset.graph(URIRef("https://w3id.org/seikg/graph/data"))
    named += Graph().parse(TESTS / "data" / "hostile" / "hostile.ttl")
    snapshot = write_snapshot(serialize_dataset(dataset, "nquads"), tmp_path_factory.mktemp("hostile-stores"))
    service = QueryService.from_snapshot(replace(ks_settings, query_workers=1), snapshot)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(service=service), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    service.close()
