"""The PDF laid out in a process of its own is the PDF laid out here, byte for byte; where the
process cannot start or fails, the page is laid out here, and WeasyPrint's errors still
reach the caller."""

from __future__ import annotations

import sys

import pytest

from forcepack import pdf
from forcepack.pdf import PdfProcess, pdf_from_html

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body>"
    "<h1>Victims</h1><p>Compliance 96.7% \u2013 no change</p>"
    "<svg width='80' height='20'><rect width='40' height='10'/></svg></body></html>"
)


@pytest.mark.slow  # over 0.8 s: starts a Python process that imports WeasyPrint
def test_the_process_gives_the_bytes_laid_out_here() -> None:
    here = pdf_from_html(PAGE)
    with PdfProcess() as proc:
        pending = proc.submit(PAGE)
        assert pending._proc is not None  # it did run in a process of its own
        there = pending.result()
    assert there.startswith(b"%PDF") and there == here


def test_a_process_that_cannot_start_or_fails_falls_back_to_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = pdf_from_html(PAGE)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with PdfProcess() as proc:
        assert proc.submit(PAGE).result() == here
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, exits 1, prints nothing
    with PdfProcess() as proc:
        assert proc.submit(PAGE).result() == here


def test_an_unused_process_is_stopped() -> None:
    proc = PdfProcess()
    child = proc._proc
    assert child is not None
    proc.close()
    assert child.poll() is not None


def test_a_page_nobody_reads_is_stopped_when_the_command_fails() -> None:
    with pytest.raises(RuntimeError, match="the Word file failed"), PdfProcess() as proc:
        pending = proc.submit(PAGE * 200)
        child = pending._proc
        raise RuntimeError("the Word file failed")
    assert child is not None and child.poll() is not None


def test_weasyprints_error_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_html: str) -> bytes:
        raise ValueError("layout failed")

    with PdfProcess() as proc:
        pending = proc.submit("not a page \udcff")  # cannot be encoded: the process gets nothing
        monkeypatch.setattr(pdf, "pdf_from_html", broken)
        with pytest.raises(ValueError, match="layout failed"):
            pending.result()
