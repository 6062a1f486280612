"""``seikg visualize`` writes one self-contained file, only where -o says, and names bad input."""
from __future__ import annotations

import os
import re

import pytest

from kg.cli.main import main

from tests.conftest import TOY


def test_visualize_writes_a_self_contained_file(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "out" / "gaps.html"
    target.parent.mkdir()
    assert main(["visualize", "gaps", "z", "--graph", str(TOY), "-o", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert "vis.Network" in html and "<script src" not in html and "stylesheet" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert sorted(os.listdir(tmp_path)) == ["out"] and os.listdir(tmp_path / "out") == ["gaps.html"]
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["overview"], ["ego", "region/y", "--depth", "2"], ["bipartite"]])
def test_visualize_every_view(tmp_path, args: list[str]) -> None:
    assert main(["visualize", *args, "--graph", str(TOY), "-o", str(tmp_path / "v.html")]) == 0
    assert (tmp_path / "v.html").stat().st_size > 400_000  # vis-network is inlined


@pytest.mark.parametrize(("args", "message"), [
    (["ego"], "ego: give the entity"), (["ego", "region/nowhere"], "no entity 'nowhere'"),
    (["ego", "region/y", "--depth", "5"], "depth: must be 1, 2 or 3"), (["overview", "--kind", "dragon"], "dragon"),
    (["gaps", "nowhere"], "no region 'nowhere'"), (["overview", "--cap", "0"], "--cap"),
])
def test_visualize_bad_input_names_the_parameter(tmp_path, capsys, args: list[str], message: str) -> None:
    assert main(["visualize", *args, "--graph", str(TOY), "-o", str(tmp_path / "v.html")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "v.html").exists()
