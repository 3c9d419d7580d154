"""Each paragraph builder declares the measures it reads (``@builder(..., measures=...)``): the
paper spec is checked against the catalogue with them and the docs list them, so they must be
what the builder really reads. Built from the session demo warehouse, recording every read."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from forcepack.report import build
from forcepack.report.builders import registry
from forcepack.report.data import MeasureData
from forcepack.report.inputs import demo_inputs_dir
from forcepack.report.model import Gap
from forcepack.summaries import figures

pytestmark = pytest.mark.slow


def test_every_builder_reads_what_it_declares_and_declares_what_it_reads(
    demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    direct: dict[str, set[str]] = defaultdict(set)  # through the paper's MeasureData
    summarised: dict[str, set[str]] = defaultdict(set)  # through forcepack.summaries
    gapped: set[str] = set()
    running: list[str] = []

    frame, note_used, compute = MeasureData.frame, MeasureData.note_used, figures.compute
    paragraph = build._paragraph

    def read_frame(self: MeasureData, measure_id: str, *args: Any, **kw: Any) -> Any:
        direct[running[-1] if running else ""].add(measure_id)
        return frame(self, measure_id, *args, **kw)

    def read_noted(self: MeasureData, *ids: str) -> None:
        direct[running[-1] if running else ""].update(ids)
        note_used(self, *ids)

    def read_summary(ids: Any, **kw: Any) -> Any:
        summarised[running[-1] if running else ""].update(ids)
        return compute(ids, **kw)

    def run(p: Any, ctx: Any, reg: Any) -> Any:
        running.append(p.builder)
        try:
            blocks = paragraph(p, ctx, reg)
        finally:
            running.pop()
        if any(isinstance(b, Gap) for b in blocks):
            gapped.add(p.builder)
        return blocks

    monkeypatch.setattr(MeasureData, "frame", read_frame)
    monkeypatch.setattr(MeasureData, "note_used", read_noted)
    monkeypatch.setattr(figures, "compute", read_summary)
    monkeypatch.setattr(build, "_paragraph", run)
    build.build_paper(demo_warehouse, "2019-12", inputs=demo_inputs_dir())

    reg = registry()
    ran = {name for name in {*direct, *summarised} if name}
    assert len(ran) > 20  # the demo paper runs most builders
    for name in sorted(ran):
        declared = set(reg[name].measures)
        # a measure read straight from the results must be declared; a summary computes all
        # its figures at once, so what a builder reads through one is not held against it
        assert direct[name] <= declared, f"{name} reads undeclared {direct[name] - declared}"
        if name not in gapped:
            unread = declared - direct[name] - summarised[name]
            assert not unread, f"{name} declares {unread} but never reads them"
    assert not direct[""], f"measures read outside any builder: {direct['']}"
