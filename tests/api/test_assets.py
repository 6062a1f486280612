"""Static assets (issue 16): pages link them by versioned URLs, cached for a year; unversioned ones revalidate."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from api.assets import asset_url_builder

STATIC = Path(__file__).resolve().parents[2] / "api" / "static"


def test_issue_16_pages_link_static_assets_by_versioned_urls_cached_for_a_year(client) -> None:
    page = client.get("/sparql", headers={"accept": "text/html"}).text
    url = re.search(r'src="(/static/vendor/yasgui/yasgui\.min\.js\?v=[0-9a-f]{12})"', page).group(1)
    expected = hashlib.sha256((STATIC / "vendor/yasgui/yasgui.min.js").read_bytes()).hexdigest()[:12]
    assert url.endswith(expected)  # a new release of the file is a new URL
    versioned = client.get(url)
    assert versioned.status_code == 200 and versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/vendor/yasgui/yasgui.min.js")
    assert plain.headers["cache-control"] == "no-cache" and plain.headers.get("etag")
    assert client.get("/static/vendor/yasgui/yasgui.min.js", headers={"if-none-match": plain.headers["etag"]}).status_code == 304


def test_issue_16_an_asset_outside_the_static_folder_is_refused(tmp_path) -> None:
    (tmp_path / "a.js").write_text("x")
    asset = asset_url_builder(tmp_path)
    assert asset("a.js").startswith("/static/a.js?v=")
    for bad in ("../secret", "missing.js"):
        with pytest.raises(FileNotFoundError):
            asset(bad)
