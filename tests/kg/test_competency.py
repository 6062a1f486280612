"""The public competency questions, run by the shared checker against the exported graph."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg import FORMATS, serialize_dataset


@pytest.mark.parametrize("fmt", ["turtle", pytest.param("nquads", marks=pytest.mark.slow)])
def test_issue_2_competency_questions_pass(fmt: str, built, shared_dir: Path, tmp_path: Path) -> None:
    export = tmp_path / f"graph{FORMATS[fmt][1]}"
    export.write_bytes(serialize_dataset(built.dataset, fmt))
    done = subprocess.run([sys.executable, str(shared_dir / "tools" / "cq_check.py"), str(export)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failed" in done.stdout and "FAIL" not in done.stdout
