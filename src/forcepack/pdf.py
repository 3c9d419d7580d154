"""PDF from a self-contained HTML page through WeasyPrint, in this process or in one of its own.

The board paper and the public pack are HTML first; :func:`pdf_from_html` turns the page into
PDF bytes that depend only on the page (the metadata and font-subset dates are fixed).

Laying out and writing the paper's PDF is the longest step of ``forcepack report`` (about 3 s,
and 0.75 s more to import WeasyPrint), and it needs only the page's text. A
:class:`PdfProcess` started before the paper is built imports WeasyPrint in a process of its
own while this one builds the paper, then lays out the PDF while this one writes the Word and
HTML files: on two cores both run at once. The bytes are the same as in this process (the same
function on the same page). Where the process cannot start or fails, the page is rendered
here instead: the same bytes, or WeasyPrint's own error; only the time differs.

This module imports nothing else of forcepack, so the process starts with WeasyPrint alone.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import warnings
from types import TracebackType

#: A fixed creation date for the PDF metadata, so the same inputs give the same file.
FIXED_DATE = "2000-01-01T00:00:00Z"
FIXED_EPOCH = "946684800"  # the same instant, in seconds since 1970


def _weasyprint_html() -> type:
    with warnings.catch_warnings():
        # WeasyPrint warns at import when the system lacks libharfbuzz-subset (it falls back
        # to fontTools); the output is the same, so the notice is not an error here.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML  # imported here: WeasyPrint is slow to import

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return HTML


def pdf_from_html(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page (no external resources), with the metadata and
    font-subset dates fixed, so the output depends only on the page. The paper and the public
    pack both go through here."""
    html_class = _weasyprint_html()
    # Embedded font subsets carry a "modified" timestamp; fontTools takes it from
    # SOURCE_DATE_EPOCH when set, which makes the bytes repeatable.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        document = html_class(string=html, base_url=None).render()
        return bytes(document.write_pdf(uncompressed_pdf=False))
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait()
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


class Pending:
    """A page's PDF to come from the process; rendered here instead when the process could not
    start or failed (the same bytes, or the error WeasyPrint raises, with its traceback)."""

    def __init__(self, html: str, proc: subprocess.Popen[bytes] | None) -> None:
        self._html, self._proc = html, proc
        self._out: bytes | None = None
        self._thread: threading.Thread | None = None
        if proc is None:
            return
        try:
            page = html.encode("utf-8")
        except UnicodeEncodeError:  # not a page the process can read: laid out here
            _stop(proc)
            self._proc = None
            return
        # the page goes down the pipe while this process works on
        self._thread = threading.Thread(target=self._send, args=(proc, page), daemon=True)
        self._thread.start()

    def _send(self, proc: subprocess.Popen[bytes], page: bytes) -> None:
        try:
            out, _ = proc.communicate(page)
        except (OSError, ValueError):  # the process went away, or was stopped
            _stop(proc)
            return
        if proc.returncode == 0 and out.startswith(b"%PDF"):
            self._out = out

    def result(self) -> bytes:
        if self._thread is not None:
            self._thread.join()
        return self._out if self._out is not None else pdf_from_html(self._html)

    def cancel(self) -> None:
        """Stop the process if it is still laying out the page (nobody will read it)."""
        if self._proc is not None and self._proc.poll() is None:
            _stop(self._proc)


class PdfProcess:
    """Renders one page's PDF in a process of its own (``python -m forcepack.pdf``: the page on
    its standard input, the PDF on its output), started, and importing WeasyPrint, at once; use
    as a context manager, and :meth:`submit` the page when it is ready."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None
        self._pending: Pending | None = None
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "forcepack.pdf"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._proc = None

    def submit(self, html: str) -> Pending:
        """The page's PDF bytes, to come (``.result()``); one page a process."""
        proc, self._proc = self._proc, None
        self._pending = Pending(html, proc)
        return self._pending

    def close(self) -> None:
        """Stop the process: never given a page, or its page not read (the command failed)."""
        if self._proc is not None:
            _stop(self._proc)
            self._proc = None
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def main() -> None:
    """``python -m forcepack.pdf``: the HTML page on standard input, its PDF on the output."""
    _weasyprint_html()  # while the page is being made
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(pdf_from_html(html))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
