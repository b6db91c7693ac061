"""The text of a file (or of a str), a line at a time, and again from a line it gave before.

The streaming readers (`citekit.readers.iter_load`) never hold a file's whole text:
they read it a line at a time, decoded as `load()` decodes a file (its byte-order
mark, else UTF-8, a line that is not UTF-8 read as Windows-1252 and reported), and
come back to a line by the position given with it (a byte offset in a file, a
character offset in a str) when the BibTeX reader needs a `crossref` parent that
comes later in the file.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterator

_WIDE_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")


class TextSource:
    """A text read by lines: `lines(start)` yields (position, line with its newline).

    Lines end at "\\n" only (as `re.M`'s `^` sees them). `chars` (the number of
    characters, a leading byte-order mark left out) and `bad_lines` (the lines that
    were not UTF-8, numbered as `str.splitlines` numbers them, as `load()` reports
    them) are known once `lines()` has read the whole text from its start.
    """

    def __init__(self, *, text: str | None = None, file: Path | None = None):
        if (text is None) == (file is None):
            raise TypeError("give text or file")
        self.file = file
        self.text = text
        self.chars = 0
        self.bad_lines: list[int] = []
        self._skip = 0  # bytes of a UTF-8 byte-order mark
        if file is not None:
            with open(file, "rb") as f:
                head = f.read(4)
            if head.startswith(codecs.BOM_UTF8):
                self._skip = 3
            elif any(head.startswith(bom) for bom in _WIDE_BOMS):
                # UTF-16/32 files (rare): decoded whole, as load() does, then read as text
                from . import _decode

                self.text = _decode(Path(file).read_bytes(), str(file), [])
                self.file = None
        if self.text is not None and self.text.startswith("\ufeff"):
            self.text = self.text[1:]

    def lines(self, start: int = 0) -> Iterator[tuple[int, str]]:
        if self.text is not None:
            yield from self._text_lines(start)
        else:
            yield from self._file_lines(start)

    def _text_lines(self, start: int) -> Iterator[tuple[int, str]]:
        text = self.text
        assert text is not None
        counting = start == 0
        total = 0
        pos, n = start, len(text)
        while pos < n:
            end = text.find("\n", pos)
            end = n if end < 0 else end + 1
            line = text[pos:end]
            if counting:
                total += len(line)
            yield pos, line
            pos = end
        if counting:
            self.chars = total

    def _file_lines(self, start: int) -> Iterator[tuple[int, str]]:
        assert self.file is not None
        counting = start == 0
        pos = max(start, self._skip)
        total, number, bad = 0, 0, []
        first = pos == self._skip
        with open(self.file, "rb") as f:
            f.seek(pos)
            for raw in f:
                try:
                    line = raw.decode("utf-8")
                    if counting:
                        number += len(raw.splitlines()) or 1
                except UnicodeDecodeError:
                    # as load() decodes a file that is not all UTF-8: each line on its own
                    pieces = []
                    for piece in raw.splitlines(keepends=True):
                        number += 1
                        try:
                            pieces.append(piece.decode("utf-8"))
                        except UnicodeDecodeError:
                            pieces.append(piece.decode("cp1252", errors="replace"))
                            bad.append(number)
                    line = "".join(pieces)
                if first:
                    first = False
                    if line.startswith("\ufeff"):
                        line = line[1:]
                if counting:
                    total += len(line)
                yield pos, line
                pos += len(raw)
        if counting:
            self.chars, self.bad_lines = total, bad

    def decode_problem(self, name: str | None):
        """The problem `load()` reports for lines that are not UTF-8 (None if there were none)."""
        return not_utf8_problem(self.bad_lines, name) if self.bad_lines else None


def not_utf8_problem(bad: list[int], name: str | None):
    """The one problem for the lines of a file that are not UTF-8 (numbered from 1)."""
    from ._common import Problem

    shown = ", ".join(map(str, bad[:5])) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    return Problem(f"not UTF-8 on line{'s' if len(bad) > 1 else ''} {shown}; "
                   f"{'those lines were' if len(bad) > 1 else 'that line was'} read as Windows-1252",
                   bad[0], None, name)
