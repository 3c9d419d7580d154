"""The text encoding of a file a user gives forcepack: UTF-8 or Windows-1252, never a guess.

The rule, the same for extracts and for every other text file forcepack reads (a harm weights
table):

- a file that is wholly valid UTF-8 (with or without a byte-order mark) is UTF-8;
- a file with no valid multi-byte UTF-8 character that is valid Windows-1252 (cp1252, what Excel
  and many Windows tools export) is cp1252;
- a file holding valid UTF-8 characters *and* bytes that are not UTF-8 is refused with a
  :class:`DataError` naming the first bad byte's offset and line: decoding it as either would
  alter some of its text (``Café`` read as cp1252 is ``CafÃ©``);
- bytes that are neither are refused the same way.

The scan runs over the bytes in C (the codec, one regular expression, ``bytes.count``), chunk by
chunk, so memory stays bounded; an ASCII chunk costs only its line counts.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from forcepack.errors import DataError

CHUNK = 1 << 22  # 4 MiB
UTF8, UTF8_BOM, CP1252 = "utf-8", "utf-8-sig", "cp1252"

#: One valid UTF-8 sequence of two to four bytes (RFC 3629: no overlong forms, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


class TextScan:
    """What one pass over a text file's bytes finds: where UTF-8 breaks, whether the file holds
    UTF-8 multi-byte characters at all, and its line endings. Feed it the file's chunks in
    order, then call :meth:`finish`."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.offset = 0  # bytes fed so far
        self.bad_offset: int | None = None  # first byte that is not UTF-8
        self.bad_byte = 0
        self.multibyte_offset: int | None = None  # first valid multi-byte UTF-8 character
        self.tail = b""  # last bytes of the previous chunk, for sequences split across chunks
        self.last = b""  # last byte seen
        self.lines = 0  # line feeds
        self.lf = 0  # line feeds not preceded by a carriage return
        self.crlf = 0
        self.cr = 0  # carriage returns

    def feed(self, chunk: bytes) -> None:
        n_lf = chunk.count(b"\n")
        n_crlf = 1 if self.last == b"\r" and chunk[:1] == b"\n" else 0
        if b"\r" in chunk:  # most files have LF line ends only: a fast scan, nothing to count
            n_crlf += chunk.count(b"\r\n")
            self.cr += chunk.count(b"\r")
        self.lines += n_lf
        self.crlf += n_crlf
        self.lf += n_lf - n_crlf
        if not (chunk.isascii() and not self.decoder.getstate()[0]):
            if self.multibyte_offset is None:
                m = _UTF8_MULTIBYTE.search(self.tail + chunk)
                if m is not None:
                    self.multibyte_offset = self.offset - len(self.tail) + m.start()
            if self.bad_offset is None:
                pending = len(self.decoder.getstate()[0])
                try:
                    self.decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    self.bad_offset = self.offset - pending + err.start
                    self.bad_byte = err.object[err.start]
        self.offset += len(chunk)
        self.tail = chunk[-3:]
        self.last = chunk[-1:]

    def finish(self) -> None:
        if self.bad_offset is None:
            pending = self.decoder.getstate()[0]
            try:
                self.decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.bad_offset = self.offset - len(pending)
                self.bad_byte = pending[0]

    def refuse_mixed(self, path: Path, what: str) -> None:
        """Raise the DataError for a file mixing UTF-8 characters and other bytes, if it does."""
        if self.bad_offset is None or self.multibyte_offset is None:
            return
        bad, good = self.bad_offset, self.multibyte_offset
        raise DataError(
            f"{what} {path.name} line {line_of(path, bad):,}: byte {bad:,} "
            f"(0x{self.bad_byte:02x}) is not UTF-8, but the file holds UTF-8 text elsewhere "
            f"(from byte {good:,}, line {line_of(path, good):,}); a file must be wholly "
            "UTF-8 or wholly Windows-1252",
            hint="re-export the file as UTF-8, or correct that character",
        )


def line_of(path: Path, offset: int) -> int:
    """The 1-based line holding byte ``offset`` of ``path``."""
    line, seen = 1, 0
    with path.open("rb") as f:
        while seen < offset and (chunk := f.read(min(CHUNK, offset - seen))):
            line += chunk.count(b"\n")
            seen += len(chunk)
    return line


def check_cp1252(path: Path, what: str) -> None:
    """Raise a DataError naming the first byte of ``path`` that is not Windows-1252 text."""
    decoder = codecs.getincrementaldecoder(CP1252)("strict")
    offset = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                at = offset + err.start
                raise DataError(
                    f"{what} {path.name} line {line_of(path, at):,}: byte {at:,} "
                    f"(0x{chunk[err.start]:02x}) is neither UTF-8 nor Windows-1252 text",
                    hint="re-export the file as UTF-8",
                ) from None
            offset += len(chunk)


def scan_file(
    path: Path, *, text: bool = True, each: Callable[[bytes], object] | None = None
) -> tuple[TextScan, bytes]:
    """One pass over the bytes of ``path``, chunk by chunk: ``each`` is given every chunk (an
    extract's hash), and a :class:`TextScan` is fed them when ``text``; returns the finished
    scan and the file's first bytes (a byte-order mark, if any)."""
    scan = TextScan()
    first = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            first = first or chunk[:3]
            if each is not None:
                each(chunk)
            if text:
                scan.feed(chunk)
    if text:
        scan.finish()
    return scan, first


def encoding_of(path: Path, what: str, scan: TextScan, first: bytes) -> str:
    """The rule above applied to ``path``'s :func:`scan_file`: ``utf-8``, ``utf-8-sig`` or
    ``cp1252``, or a :class:`DataError` naming the byte and line that break it."""
    if scan.bad_offset is None:
        return UTF8_BOM if first == codecs.BOM_UTF8 else UTF8
    scan.refuse_mixed(path, what)
    check_cp1252(path, what)
    return CP1252


def detect_encoding(path: Path, what: str) -> str:
    """``utf-8``, ``utf-8-sig`` or ``cp1252`` for the text file ``path`` (the rule above)."""
    return encoding_of(path, what, *scan_file(path))


def read_text(path: Path, what: str) -> tuple[str, str]:
    """The text of a small file and the encoding it was read in (see :func:`detect_encoding`)."""
    encoding = detect_encoding(path, what)
    return path.read_bytes().decode(encoding), encoding
