"""The public competency questions, run by the shared checker against the exported graph."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg import serialize_dataset


def test_issue_2_competency_questions_pass(built, shared_dir: Path, tmp_path: Path) -> None:
    export = tmp_path / "graph.ttl"
    export.write_bytes(serialize_dataset(built.dataset, "turtle"))
    done = subprocess.run([sys.executable, str(shared_dir / "tools" / "cq_check.py"), str(export)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failed" in done.stdout
    assert "FAIL" not in done.stdout


def test_competency_questions_pass_on_nquads_too(built, shared_dir: Path, tmp_path: Path) -> None:
    export = tmp_path / "graph.nq"
    export.write_bytes(serialize_dataset(built.dataset, "nquads"))
    done = subprocess.run([sys.executable, str(shared_dir / "tools" / "cq_check.py"), str(export)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
