"""The text of a file, a stream or a str, a line at a time, and again from a line it gave before.

The streaming readers (`citekit.readers.iter_load`) never hold a file's whole text:
they read it a line at a time, decoded by its byte-order mark, else as UTF-8, and
come back to a line by the position given with it (a byte offset in a file, a
character offset in a str) when the BibTeX reader needs a `crossref` parent that
comes later in the file. A stream (stdin) is read once, from its start.

One rule for text that is not UTF-8, here and in `load()` (which reads a whole input
with `decode_lines`): each line that is not UTF-8 is read as Windows-1252 (an old
Windows export, one stray byte) and reported on its own line, for the first
`SHOWN_BAD_LINES` such lines; the others are counted in one problem at the end. A
line longer than `max_line` bytes is not read (it is taken as blank) and reported.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any, Iterator

_WIDE_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
# Lines that are not UTF-8 reported one by one; the rest are counted in one problem.
SHOWN_BAD_LINES = 5
_LONG = object()  # a line over max_line, not read


class TextSource:
    """A text read by lines: `lines(start)` yields (position, line with its newline).

    Lines end at "\\n" only (as `re.M`'s `^` sees them). `chars` (the number of
    characters, a leading byte-order mark left out) is known once `lines()` has read
    the whole text from its start. The problems of decoding (`take_problems`,
    `end_problems`) are those of the lines read so far, each reported once however
    many times the text is read.
    """

    def __init__(self, *, text: str | None = None, file: Path | None = None, stream: Any = None,
                 head: bytes = b"", max_line: int | None = None):
        if sum(x is not None for x in (text, file, stream)) != 1:
            raise TypeError("give text, file or stream")
        self.file = file
        self.text = text
        self.stream = stream
        self.max_line = max_line
        self.chars = 0
        self._skip = 0  # bytes of a UTF-8 byte-order mark
        self._peeked: list[bytes] = []  # a stream's lines read by peek_lines(), given again by lines()
        self._head = head
        self._stream_lines: Iterator[Any] | None = None
        self._upto = 0  # the last line whose problems are recorded
        self._pending: list[tuple[int, str]] = []  # (line, what) met and not yet taken
        self._shown = 0
        self._more = 0
        self._more_first = 0
        if file is not None:
            with open(file, "rb") as f:
                start = f.read(4)
        else:
            start = head
        if start.startswith(codecs.BOM_UTF8):
            self._skip = 3
        elif any(start.startswith(bom) for bom in _WIDE_BOMS):
            # UTF-16/32 (rare): decoded whole, as load() does, then read as text
            from . import _decode

            data = Path(file).read_bytes() if file is not None else head + stream.read()
            self.text, self.file, self.stream = _decode(data, None, []), None, None
        if self.stream is not None and self._skip:
            self._head = self._head[3:]
        if self.text is not None and self.text.startswith("\ufeff"):
            self.text = self.text[1:]

    # ------------------------------------------------------------------ reading

    def lines(self, start: int = 0) -> Iterator[tuple[int, str]]:
        if self.text is not None:
            return self._text_lines(start)
        if self.stream is not None:
            if start:
                raise ValueError("a stream is read from its start only")
            return self._decoded(self._stream_raw(), 0)
        return self._file_lines(start)

    def peek_lines(self) -> Iterator[tuple[int, str]]:
        """The first lines, read again by the next `lines()` (a stream's are kept for it)."""
        if self.stream is None:
            return self.lines()
        return self._decoded(self._peek_raw(), 0)

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

    def _raw(self, handle: Any) -> Iterator[Any]:
        """A binary handle's lines as bytes; `_LONG` (with the bytes it took) for one over max_line."""
        limit = self.max_line
        if limit is None:
            yield from handle
            return
        while True:
            raw = handle.readline(limit + 1)
            if not raw:
                return
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw)
                while True:  # the rest of the line, in pieces, never whole
                    rest = handle.readline(1 << 20)
                    size += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield (_LONG, size)
                continue
            yield raw

    def _file_lines(self, start: int) -> Iterator[tuple[int, str]]:
        assert self.file is not None
        pos = max(start, self._skip)
        with open(self.file, "rb") as f:
            f.seek(pos)
            yield from self._decoded(self._raw(f), pos, counting=start == 0)

    def _fill_head(self) -> None:
        """What was read to tell the format, as lines (its last one read to its end)."""
        if not self._head:
            return
        head, self._head = self._head, b""
        *whole, last = head.split(b"\n")
        self._peeked[:0] = [line + b"\n" for line in whole]
        if last:
            limit = self.max_line
            rest = self.stream.readline() if limit is None else self.stream.readline(max(1, limit + 1 - len(last)))
            raw = last + rest
            if limit is not None and len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw)
                while True:
                    more = self.stream.readline(1 << 20)
                    size += len(more)
                    if not more or more.endswith(b"\n"):
                        break
                raw = (_LONG, size)
            self._peeked.append(raw)

    def _stream_raw(self) -> Iterator[Any]:
        self._fill_head()
        peeked, self._peeked = self._peeked, []
        yield from peeked
        yield from self._rest()

    def _rest(self) -> Iterator[Any]:
        if self._stream_lines is None:
            self._stream_lines = self._raw(self.stream)
        return self._stream_lines

    def _peek_raw(self) -> Iterator[Any]:
        self._fill_head()
        i = 0
        while True:
            if i < len(self._peeked):
                yield self._peeked[i]
                i += 1
                continue
            raw = next(self._rest(), None)
            if raw is None:
                return
            self._peeked.append(raw)

    def _decoded(self, raws: Iterator[Any], pos: int, counting: bool = True) -> Iterator[tuple[int, str]]:
        """Lines as text, each decoded on its own (UTF-8, else Windows-1252, reported)."""
        total, number = 0, 0
        first = pos <= self._skip
        for raw in raws:
            if type(raw) is tuple:  # a line over max_line: taken as blank
                number += 1
                if counting:
                    self._met(number, "long", raw[1])
                line, size = "\n", raw[1]
            else:
                size = len(raw)
                try:
                    line = raw.decode("utf-8")
                    if counting:
                        number += len(raw.splitlines()) or 1
                except UnicodeDecodeError:
                    pieces = []
                    for piece in raw.splitlines(keepends=True):
                        number += 1
                        try:
                            pieces.append(piece.decode("utf-8"))
                        except UnicodeDecodeError:
                            pieces.append(piece.decode("cp1252", errors="replace"))
                            if counting:
                                self._met(number, "bad")
                    line = "".join(pieces)
            if first:
                first = False
                if line.startswith("\ufeff"):
                    line = line[1:]
            if counting:
                total += len(line)
            yield pos, line
            pos += size
        if counting:
            self.chars = total

    # ------------------------------------------------------------------ problems

    def _met(self, number: int, what: str, size: int = 0) -> None:
        if number <= self._upto:
            return  # reported when this line was first read
        self._upto = number
        if what == "long":
            self._pending.append((number, f"long:{size}"))
        elif self._shown < SHOWN_BAD_LINES:
            self._shown += 1
            self._pending.append((number, "bad"))
        else:
            self._more += 1
            self._more_first = self._more_first or number

    def take_problems(self, name: str | None) -> list:
        """The problems of the lines read since the last call."""
        if not self._pending:
            return []
        from ._common import Problem

        out = []
        for number, what in self._pending:
            if what == "bad":
                out.append(not_utf8_problem(number, name))
            else:
                out.append(Problem(f"a line of {int(what[5:]):,} bytes, over the {self.max_line:,} a line may have "
                                   "(Limits.line_bytes; the command's --max-input-size); not read", number, None, name, skipped=True))
        self._pending.clear()
        return out

    def end_problems(self, name: str | None) -> list:
        """What `take_problems` has not given yet, and the count of the lines not UTF-8 not
        reported one by one."""
        out = self.take_problems(name)
        if self._more:
            out.append(more_not_utf8_problem(self._more, self._more_first, name))
        return out


def not_utf8_problem(line: int, name: str | None):
    """The problem for one line that is not UTF-8 (numbered from 1)."""
    from ._common import Problem

    return Problem("not UTF-8 on line %d; that line was read as Windows-1252" % line, line, None, name)


def more_not_utf8_problem(count: int, first: int, name: str | None):
    """The problem for the lines not UTF-8 after the first `SHOWN_BAD_LINES`."""
    from ._common import Problem

    return Problem(f"not UTF-8 on {count:,} more line{'s' if count > 1 else ''} from line {first} on; "
                   f"{'those lines were' if count > 1 else 'that line was'} read as Windows-1252", first, None, name)


def decode_lines(data: bytes, name: str | None, problems: list) -> str:
    """Bytes without a byte-order mark as text, by the rule of `TextSource` (and its problems)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines, bad = [], []
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            bad.append(number)
    problems.extend(not_utf8_problem(number, name) for number in bad[:SHOWN_BAD_LINES])
    if len(bad) > SHOWN_BAD_LINES:
        problems.append(more_not_utf8_problem(len(bad) - SHOWN_BAD_LINES, bad[SHOWN_BAD_LINES], name))
    return "".join(lines)
