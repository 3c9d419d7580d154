"""Docs as tests: the command reference is generated from the commands and is not stale, and the
README's first screen shows the two set-up commands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from forcepack.cli.reference import render_markdown

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_not_stale() -> None:
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "docs/cli.md is stale: run `make docs` and commit it"


def test_cli_reference_covers_every_command() -> None:
    text = render_markdown()
    for command in (
        "forcepack demo",
        "forcepack ingest police-uk",
        "forcepack measures compute",
        "forcepack report",
        "forcepack harm victims",
        "forcepack victims breaches",
        "forcepack victims audit-sample",
        "forcepack victims audit-results",
        "forcepack warehouse derive",
    ):
        assert f"`{command}`" in text, command


def test_readme_first_screen_shows_the_two_commands() -> None:
    first_screen = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:40]
    text = "\n".join(first_screen)
    assert "make demo" in text
    assert "make test" in text


def test_every_doc_is_linked_from_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for doc in sorted((REPO / "docs").glob("*.md")):
        assert f"docs/{doc.name}" in readme, f"README does not link docs/{doc.name}"


def _imports_of_forcepack() -> dict[str, set[str]]:
    """For each part of the package (a subpackage, or a top-level module), the other parts it
    imports, read from the code (imports inside functions included)."""
    root = REPO / "src" / "forcepack"
    found: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        part = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        names: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module == "forcepack":
                    names += [f"forcepack.{a.name}" for a in node.names]
                else:
                    names.append(node.module)
            elif isinstance(node, ast.Import):
                names += [a.name for a in node.names]
        parts = {n.split(".")[1] for n in names if n.startswith("forcepack.")}
        found.setdefault(part, set()).update(parts - {part, "__version__"})
    return found


def test_the_newcomers_map_names_what_each_part_imports() -> None:
    """docs/contributing.md's layout table says which parts of forcepack each part imports:
    the code is the authority, so the table cannot drift from it."""
    imports = _imports_of_forcepack()
    text = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows, "docs/contributing.md has no layout table"
    seen: set[str] = set()
    for line in rows:
        first, _, imported = (cell.strip() for cell in line.strip("|").split("|")[:3])
        parts = {p.rstrip("/").removesuffix(".py") for p in re.findall(r"`([^`]+)`", first)}
        seen |= parts
        if imported.startswith("everything"):
            excluded = set(re.findall(r"`([^`]+)`", imported))
            actual = set().union(*(imports.get(p, set()) for p in parts))
            assert not actual & excluded, f"{first}: imports {sorted(actual & excluded)}"
            continue
        said = set(re.findall(r"`([^`]+)`", imported.split("(")[0]))
        actual = set().union(*(imports.get(p, set()) for p in parts)) - parts
        assert said == actual, f"{first}: the table says {sorted(said)}, the code {sorted(actual)}"
    packages = {p for p in imports if (REPO / "src" / "forcepack" / p).is_dir()}
    assert packages <= seen, f"parts missing from the table: {sorted(packages - seen)}"
