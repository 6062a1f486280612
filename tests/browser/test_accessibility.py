"""Accessibility (issue 16): axe-core, vendored from npm under tests/browser/vendor/, finds no serious or
critical violation on any kind of page, in English and in Chinese."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.model.kinds import KINDS

pytestmark = [pytest.mark.timeout(600), pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
_PLAN = "national-pilot-implementation-plan-industry-education-integration-2019"

PAGES = ["/", "/search?q=pilot+city", "/search?q=%E6%95%99%E8%82%B2%E9%83%A8&lang=zh", "/policies?issuer=ministry-of-education",
         *(f"/{plural}" for plural in KINDS), *(f"/{kind.plural}/{kind.example_id}" for kind in KINDS.values()),
         f"/policies/{_PLAN}?lang=zh", "/regions/hebei", "/sources/fu-huang-sun-2025", "/policies/no-such-plan",
         "/policies?sort=sideways", "/sparql", "/docs", "/timeline", "/map", "/analysis/centrality",
         "/analysis/communities", "/analysis/compare?region=hebei&region=henan", "/views/overview",
         "/views/ego/region/hebei?depth=2", "/views/bipartite", "/views/communities", "/views/region-gaps/hebei"]


@pytest.mark.parametrize("path", PAGES)
def test_issue_16_axe_core_finds_no_serious_or_critical_violation(live_server, open_page, path: str) -> None:
    page, visit = open_page(live_server + path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))""")
    assert violations == []
    visit.assert_local(live_server)
