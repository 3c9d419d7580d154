"""The design's import rules are import-linter contracts (pyproject.toml), run by `make lint`.

Here: they hold, and a broken rule is reported (so a contract that can never fail is caught).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: import-linter is a development dependency (make env-dev installs it beside pytest)
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"


def _contracts() -> list[dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_the_design_rules_are_declared() -> None:
    sources = {m for c in _contracts() for m in c["source_modules"]}
    for layer in ("stats", "contract", "measures", "ingest", "report", "demo"):
        assert f"forcepack.{layer}" in sources, layer
    stats = next(c for c in _contracts() if c["source_modules"] == ["forcepack.stats"])
    for forbidden in ("warehouse", "measures", "contract"):
        assert f"forcepack.{forbidden}" in stats["forbidden_modules"]


def test_the_import_rules_hold() -> None:
    run = subprocess.run(
        [LINT, "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_a_broken_rule_is_reported(tmp_path: Path) -> None:
    # the command line imports the report: forbidding that must fail
    config = tmp_path / "rules.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "forcepack"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "cli knows no report"\ntype = "forbidden"\n'
        'source_modules = ["forcepack.cli"]\nforbidden_modules = ["forcepack.report"]\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [LINT, "--no-cache", "--config", str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "BROKEN" in run.stdout
