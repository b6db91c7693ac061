"""Read references from BibTeX/BibLaTeX, RIS, CSL-JSON, CSL-YAML and web pages.

    from citekit.readers import read, load, from_html

    refs = read(Path("refs.bib"))            # list[Reference]; problems become ReadWarnings
    refs = read(path="refs.ris", strict=True)  # ReaderError if any record is bad (lists all)
    result = load(Path("refs.bib"))          # everything: references, items, problems
    refs, problems = load(pasted_text)       # a str is text, never a file name
    for found in iter_load(Path("big.bib")): # one item (or Problem) at a time, bounded memory
        ...
    ref = from_html(saved_page, url=None)    # one Reference from a page's own metadata

Every reader produces plain CSL-JSON dicts, which go through citekit's one door
(`citekit.normalize`) like the records of every other entry point, and become
`citekit.models.Reference`s (`result.items` holds their CSL-JSON). A broken record is
reported as a `Problem` with its line, key and field, and the rest of the file is
still read. Nothing here fetches a URL.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..csl import lazy
from ._common import Problem, ReaderError, ReadWarning
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from citekit.models import Reference

__all__ = [
    "read",
    "load",
    "iter_load",
    "from_html",
    "guess_format",
    "ReadResult",
    "Problem",
    "ReaderError",
    "ReadWarning",
    "Limits",
    "FORMATS",
]

FORMATS = ("bibtex", "ris", "csljson", "cslyaml", "html")

_FORMAT_NAMES = {
    "bibtex": "bibtex", "bib": "bibtex", "biblatex": "bibtex",
    "ris": "ris",
    "csljson": "csljson", "csl-json": "csljson", "json": "csljson", "jsonl": "csljson", "ndjson": "csljson",
    "cslyaml": "cslyaml", "csl-yaml": "cslyaml", "yaml": "cslyaml", "yml": "cslyaml",
    "html": "html", "htm": "html",
}
EXTENSIONS = {
    ".bib": "bibtex", ".bibtex": "bibtex", ".biblatex": "bibtex",
    ".ris": "ris",
    ".json": "csljson", ".csljson": "csljson", ".jsonl": "csljson", ".ndjson": "csljson",
    ".yaml": "cslyaml", ".yml": "cslyaml", ".md": "cslyaml", ".markdown": "cslyaml",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
_SNIFF = 65536  # characters looked at to guess a format

_RIS_START = lazy.pattern(globals(), "_RIS_START", r"^\s*TY\s{1,2}-", re.M)
_BIB_START = lazy.pattern(globals(), "_BIB_START", r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_HTML_START = lazy.pattern(globals(), "_HTML_START", r"<(?:!doctype\s+html|html|head|meta|title|body)\b", re.I)
_YAML_HINT = lazy.pattern(globals(), "_YAML_HINT",
    r"^(?:---\s*$|references\s*:|-\s+id\s*:|-\s+type\s*:|id\s*:|type\s*:)", re.M)


class ReadResult:
    """What `load()` read: the references, their CSL-JSON items, and the problems found.

    `refs, problems = result` unpacks the two that matter most. The `Reference` models are
    built on first use of `references`, so that reading and formatting (the command) does
    not pay for models it never looks at.
    """

    def __init__(self, references: list["Reference"] | None, problems: list[Problem],
                 items: list[dict] | None = None, format: str = "", source: str | None = None):
        self._references = references
        self.problems = problems
        self.items = items if items is not None else []
        self.format = format
        self.source = source

    @property
    def references(self) -> list["Reference"]:
        if self._references is None:
            from citekit.models import KEEP_UNKNOWN_FIELDS, Reference

            token = KEEP_UNKNOWN_FIELDS.set(True)  # the door kept (and reported) unknown fields
            try:
                self._references = [Reference.model_validate(item) for item in self.items]
            finally:
                KEEP_UNKNOWN_FIELDS.reset(token)
        return self._references

    @references.setter
    def references(self, value: list["Reference"]) -> None:
        self._references = value

    def _csl_items(self) -> list[dict]:
        """Each reference's CSL-JSON as `Reference.to_csl()` writes it (CSL-JSON field
        names, the models' order), without building the models where the items are in
        the common shapes (`citekit._plain`)."""
        from citekit._plain import reference_csl

        if self._references is not None:
            return [r.to_csl() for r in self._references]
        out = [reference_csl(item) for item in self.items]
        if None in out:
            return [r.to_csl() for r in self.references]
        return out

    def __repr__(self) -> str:
        return (f"ReadResult(references={self.references!r}, problems={self.problems!r}, items={self.items!r}, "
                f"format={self.format!r}, source={self.source!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.references, self.problems, self.items, self.format, self.source) == \
            (other.references, other.problems, other.items, other.format, other.source)

    __hash__ = None  # type: ignore[assignment]  # as a dataclass's: mutable, compared by value

    def __iter__(self) -> Iterator[Any]:
        yield self.references
        yield self.problems

    @property
    def ok(self) -> bool:
        """True when nothing was wrong with the input."""
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise `ReaderError` (listing every problem) if there was any."""
        if self.problems:
            first = self.problems[0]
            more = len(self.problems) - 1
            message = str(first) + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
            raise ReaderError(message, self.problems)


# --------------------------------------------------------------------------- input


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _decode(data: bytes, name: str | None, problems: list[Problem]) -> str:
    """Bytes as text: by their byte-order mark, else UTF-8; a line that is not UTF-8 (an
    old Windows export, one stray byte) is read as Windows-1252, and reported (the rule
    of the streaming readers, `_source.decode_lines`)."""
    from ._source import decode_lines

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    return decode_lines(data, name, problems)


def _looks_like_file_name(text: str) -> bool:
    return "\n" not in text and len(text) < 1024 and Path(text.strip()).suffix.lower() in EXTENSIONS


def _open(source: Any, path: Any, problems: list[Problem]) -> tuple[str | bytes, str | None, str | None]:
    """(content, name for messages, extension) of a file (a PathLike `source`, or `path=`),
    text or bytes. Text is never taken for a file name: pasted text must not open files."""
    file = _file_of(source, path)
    if file is not None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise ReaderError(f"{file}: cannot read it ({exc.strerror or exc})") from None
        ext = file.suffix.lower()
        if EXTENSIONS.get(ext) == "html":
            return data, str(file), ext  # lxml reads the page's own charset declaration
        return _decode(data, str(file), problems), str(file), ext
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), None, None
    if isinstance(source, str):
        return source, None, None
    raise TypeError(f"expected text, bytes or a pathlib.Path, not {type(source).__name__}")


def guess_format(content: str | bytes, name: str | None = None) -> str:
    """The reader format for a file name (by extension) or, failing that, its content.

        guess_format("TY  - JOUR\nER  - \n")   # 'ris'
    """
    if name:
        fmt = EXTENSIONS.get(Path(name).suffix.lower())
        if fmt:
            return fmt
    head = content[:_SNIFF]
    if isinstance(head, bytes):
        head = head.decode("utf-8", errors="replace")
    head = head.lstrip("\ufeff \t\r\n")
    if not head:
        raise ReaderError(f"{name or '<input>'}: the input is empty")
    if name is None and isinstance(content, str) and _looks_like_file_name(content):
        raise ReaderError(f"{content.strip()!r} looks like a file name, but text is read as text: "
                          f"pass pathlib.Path({content.strip()!r}) or path={content.strip()!r} to read a file")
    if head[0] in "[{":
        return "csljson"
    if head[0] == "<":
        return "html"
    if _RIS_START.search(head[:4096]):
        return "ris"
    if _BIB_START.search(head):
        return "bibtex"
    if _HTML_START.search(head[:4096]):  # a page after some stray bytes
        return "html"
    if _YAML_HINT.search(head):
        return "cslyaml"
    raise ReaderError(f"{name or '<input>'}: cannot tell which format this is; "
                      f"pass format= one of {', '.join(FORMATS)}")


def _normalize_format(fmt: str) -> str:
    key = fmt.lower().strip().lstrip(".")
    if key not in _FORMAT_NAMES:
        raise ReaderError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return _FORMAT_NAMES[key]


# --------------------------------------------------------------------------- reading


def _parse(fmt: str, content: str | bytes, name: str | None, url: str | None,
           problems: list[Problem], lines: list, limits: Limits = DEFAULT_LIMITS) -> list[Any]:
    if fmt == "html":
        from .html import _MAX_VALUE, extract

        found: list[str] = []
        item = extract(content, url=url, limits=limits, problems=found)
        problems.extend(Problem(message, None, None, name) for message in found)
        for key, value in item.items():
            if isinstance(value, str) and len(value) >= _MAX_VALUE:  # the reader keeps a value's start only
                problems.append(Problem(f"longer than {_MAX_VALUE} characters; cut", None, None, name,
                                        field=key))
        return [item]
    if isinstance(content, bytes):
        content = _decode(content, name, problems)
    if fmt == "bibtex":
        from .bibtex import parse_bibtex

        items, found = parse_bibtex(content, name, lines, limits=limits)
    elif fmt == "ris":
        from .ris import parse_ris

        items, found = parse_ris(content, name, lines)
    elif fmt == "csljson":
        from .csljson import parse_csljson

        items, found = parse_csljson(content, name, lines)
    else:
        from .csljson import parse_cslyaml

        items, found = parse_cslyaml(content, name, lines, limits=limits)
    problems.extend(found)
    return items


def load(source: Any = None, format: str | None = None, *, url: str | None = None,
         path: str | os.PathLike | None = None, name: str | None = None,
         limits: Limits | None = None) -> ReadResult:
    """Read every reference in `source`, reporting problems instead of stopping at them.

    `source` is the text itself (a `str`), bytes (decoded by their byte-order mark, else
    as UTF-8), or a file as a `pathlib.Path`; `path=` names a file too. A `str` is never
    taken for a file name, so that text pasted by a user cannot open a file. `format` is
    one of FORMATS (or an alias such as "bib", "json", "yaml"); by default it is guessed
    from the extension, then the content. `url` is the page's address for HTML; `name`
    names text or bytes in problems ("<stdin>").
    Every record goes through citekit's one door (`citekit.normalize`, lenient): names
    and dates written as text are read, unknown fields kept, and each repair or refusal
    is a `Problem` naming line, key and field. Raises `ReaderError` only when nothing can
    be read at all (no such file, unknown format, empty input). `limits` bounds the work
    one input may ask for (`Limits`; docs/readers.md, "Limits"): reaching one is a Problem.

        load("@book{k, title={T}, year=2001}").references   # [Reference(id='k', ...)]
        load(path="refs.bib")                               # a file
    """
    from citekit.normalize import check_items

    opened = _open_stream(source, path, format, name, limits or DEFAULT_LIMITS, load=True)
    if opened is not None and opened[2] == "bibtex":
        return _load_streamed(*opened[:3], limits or DEFAULT_LIMITS)
    problems: list[Problem] = []
    content, file_name, _ = _open(source, path, problems)
    name = file_name or name
    if isinstance(content, bytes) and (format is None or _normalize_format(format) != "html") \
            and not _HTML_START.search(content[:4096].decode("latin-1")):
        content = _decode(content, name, problems)
    fmt = _normalize_format(format) if format else guess_format(content, file_name)
    lines: list[int | None] = []
    records = _parse(fmt, content, name, url, problems, lines, limits or DEFAULT_LIMITS)
    items, found = check_items(records, strict=False, source=name, lines=lines or None)
    problems.extend(found)
    problems.sort(key=lambda p: p.line or 0)
    # the References are built from the items on first use (ReadResult.references)
    return ReadResult(None, problems, items, fmt, name)


# --------------------------------------------------------------------------- streaming

# Formats read a record at a time; the others (CSL-YAML, a page, one JSON object) are read whole.
_STREAMED = ("bibtex", "ris", "csljson")


def _file_of(source: Any, path: Any) -> Path | None:
    if path is not None or isinstance(source, os.PathLike):
        if path is not None and source is not None:
            raise TypeError("give the text (or bytes) or path=, not both")
        file = Path(path if path is not None else source)
        if not file.is_file():
            raise ReaderError(f"{file}: no such file" if not file.exists() else f"{file}: not a regular file")
        return file
    return None


def _is_stream(source: Any) -> bool:
    return callable(getattr(source, "read", None)) and not isinstance(source, (str, bytes, os.PathLike))


def _open_stream(source: Any, path: Any, format: str | None, name: str | None, limits: Limits,
                 load: bool = False):
    """(TextSource, name, format, hint) for a file, a str or a binary stream in a streamed
    format, else None; `hint` is "jsonl" for a .jsonl/.ndjson file. A BibTeX stream (read in
    several passes) is copied to a temporary file first: `TextSource.spooled` names it."""
    from ._source import TextSource

    if _is_stream(source) and not load:
        return _open_binary_stream(source, format, name, limits)
    file = _file_of(source, path)
    if file is None and not isinstance(source, str):
        return None
    if file is not None:
        name = str(file)
        fmt = _normalize_format(format) if format else EXTENSIONS.get(file.suffix.lower())
        if fmt is None:
            with open(file, "rb") as f:
                head = f.read(_SNIFF)
            if not _HTML_START.search(head[:4096].decode("latin-1")):
                head = head.decode("utf-8", errors="replace")
            fmt = guess_format(head, name)
        if fmt not in _STREAMED:
            return None
        hint = "jsonl" if file.suffix.lower() in (".jsonl", ".ndjson") else None
        try:
            return TextSource(file=file, max_line=None if load else limits.line_bytes), name, fmt, hint
        except OSError as exc:
            raise ReaderError(f"{file}: cannot read it ({exc.strerror or exc})") from None
    fmt = _normalize_format(format) if format else guess_format(source, None)
    return (TextSource(text=source), name, fmt, None) if fmt in _STREAMED else None


def _open_binary_stream(stream: Any, format: str | None, name: str | None, limits: Limits):
    import shutil
    import tempfile

    from ._source import TextSource

    # a line at a time, only as far as telling the format needs: a pipe's next lines may not be written yet
    head = b""
    while len(head) < _SNIFF:
        line = stream.readline(_SNIFF - len(head))
        if not isinstance(line, bytes):
            raise TypeError("a stream is read as bytes: open the file with 'rb', or give sys.stdin.buffer")
        if not line:
            break
        head += line
        if format or not head.strip():
            if format and len(head) >= 4:  # enough for a byte-order mark
                break
            continue
        try:
            guess_format(head.decode("utf-8", errors="replace"))
            break
        except ReaderError:
            continue
    if name is None and isinstance(getattr(stream, "name", None), str):
        name = stream.name
    if format:
        fmt = _normalize_format(format)
    else:
        sniffed: str | bytes = head
        if not _HTML_START.search(head[:4096].decode("latin-1")):
            sniffed = head.decode("utf-8", errors="replace")
        fmt = guess_format(sniffed, None if name and name.startswith("<") else name)
    if fmt == "bibtex":  # several passes: from a file on disk, never from memory
        with tempfile.NamedTemporaryFile("wb", suffix=".bib", delete=False) as spool:
            spool.write(head)
            shutil.copyfileobj(stream, spool, 1 << 20)
        src = TextSource(file=Path(spool.name), max_line=limits.line_bytes)
        src.spooled = spool.name
        return src, name, fmt, None
    if fmt in _STREAMED:
        return TextSource(stream=stream, head=head, max_line=limits.line_bytes), name, fmt, None
    # read whole (CSL-YAML, a page): within the bound on a whole input
    data = head + stream.read(limits.whole_bytes + 1 - len(head))
    if len(data) > limits.whole_bytes:
        raise ReaderError(f"{name or '<input>'}: more than {limits.whole_bytes:,} bytes of {fmt}, which is read "
                          "whole (Limits.whole_bytes)")
    return data, name, fmt, None


def _records(src: Any, name: str | None, fmt: str, limits: Limits, hint: str | None = None) -> Iterator[Any]:
    """A streamed format's problems, and its records as (record, line)."""
    if fmt == "bibtex":
        from .bibtex import iter_bibtex

        yield from iter_bibtex(src, name, limits=limits)
    elif fmt == "ris":
        from .ris import iter_ris

        yield from iter_ris(src.lines(), name)
    else:
        yield from _json_records(src, name, hint)


def _json_records(src: Any, name: str | None, hint: str | None = None) -> Iterator[Any]:
    from .csljson import iter_json_array, iter_json_lines, looks_like_json_lines, parse_csljson

    if hint == "jsonl":  # told by the file's name: a bad first line is one bad line
        yield from iter_json_lines(src.lines(), name)
        return
    first, rest = "", ""
    for _, line in src.peek_lines():  # the first line with something on it, and a look past it
        if first:
            rest += line
            if rest.strip() or len(rest) > _SNIFF:
                break
        else:
            first = line.strip(" \t\r\n\ufeff")
    if first.startswith("["):
        yield from iter_json_array(src.lines(), name)
    elif looks_like_json_lines(first, rest):
        yield from iter_json_lines(src.lines(), name)
    else:  # one object, or {"items": [...]}: read whole
        lines: list[int | None] = []
        text = src.text if src.text is not None else "".join(line for _, line in src.lines())
        items, problems = parse_csljson(text, name, lines)
        yield from problems
        for item, line in zip(items, lines + [None] * (len(items) - len(lines))):
            yield item, line


class _Keys:
    """The keys seen so far (ids, BibTeX keys), each with a number: a set and a dict for
    a stream whose memory must not grow with it. Each key is kept as its 64-bit hash in
    an open-addressing table of 16-byte slots (at most 4/3 of them used), so that a key
    costs 21 to 43 bytes whatever its length, and at most `limit` keys are kept: `add`
    is False past it. Two keys with the same 64-bit hash would be taken for one (about
    one chance in 10^7 for a million keys)."""

    def __init__(self, limit: int | None = None):
        from array import array

        self.limit = limit
        self.count = 0
        self._mask = 1023
        self._table = array("Q", [0]) * 2048  # digest (0: free), value + 1

    @staticmethod
    def _digest(key: str) -> int:
        return (hash(key) & 0xFFFF_FFFF_FFFF_FFFF) or 1

    def _slot(self, digest: int) -> int:
        table, mask = self._table, self._mask
        i = digest & mask
        while True:
            found = table[2 * i]
            if found == 0 or found == digest:
                return i
            i = (i + 1) & mask

    def get(self, key: str) -> int | None:
        digest = self._digest(key)
        i = self._slot(digest)
        return self._table[2 * i + 1] - 1 if self._table[2 * i] == digest else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def add(self, key: str, value: int = 0) -> bool:
        """Keep `key` (with `value`); False when `limit` keys are kept already."""
        digest = self._digest(key)
        i = self._slot(digest)
        if self._table[2 * i] == digest:
            self._table[2 * i + 1] = value + 1
            return True
        if self.limit is not None and self.count >= self.limit:
            return False
        self._table[2 * i], self._table[2 * i + 1] = digest, value + 1
        self.count += 1
        if self.count * 4 > (self._mask + 1) * 3:
            self._grow()
        return True

    def _grow(self) -> None:
        from array import array

        old = self._table
        self._mask = self._mask * 2 + 1
        self._table = array("Q", [0]) * (2 * (self._mask + 1))  # no bytes object in between
        table, mask = self._table, self._mask
        for j in range(0, len(old), 2):
            digest = old[j]
            if digest:
                i = digest & mask
                while table[2 * i]:
                    i = (i + 1) & mask
                table[2 * i], table[2 * i + 1] = digest, old[j + 1]


def _keys_full_problem(limit: int, what: str, line: int | None, source: str | None) -> Problem:
    return Problem(f"more than {limit:,} {what} read: the ones after this are not compared with the "
                   "earlier ones (Limits.stream_ids)", line, None, source)


def check_record(record: Any, line: int | None, position: int, source: str | None, models: list | None = None):
    """The first half of the door, with no state (it runs in any process): a record
    (a `BibEntry` converted first) through `citekit.normalize.check_item`. Returns
    (item or None, problems, ids): `ids` is what `_Door.settle` needs, (whether the
    record gave its id, the stem of the id to make when it did not)."""
    from citekit.normalize import _given_id, check_item

    from ._common import id_stem

    found: list[Problem] = []
    if hasattr(record, "convert"):
        record, found = record.convert()
        if record is None:
            return None, found, None
    item, more = check_item(record, strict=False, position=position, source=source, line=line, models=models)
    found.extend(more)
    if item is None:
        return None, found, None
    made = item.get("id") in (None, "")
    return item, found, (_given_id(record) is not None, id_stem(item) if made else None)


class _Door:
    """citekit's one door (`citekit.normalize.check_item`) a record at a time, with the
    ids made unique as `check_items` makes them, from the ids seen so far (at most
    `limit` of them are kept; see `_Keys`). `check` does both halves; a caller that runs
    `check_record` elsewhere (worker processes) calls `settle` in the records' order."""

    def __init__(self, source: str | None, limit: int | None = None):
        self.source = source
        self.position = 0
        self.taken = _Keys(limit)
        self.full = False

    def check(self, record: Any, line: int | None, models: list | None = None):
        self.position += 1
        item, found, ids = check_record(record, line, self.position, self.source, models)
        if item is not None:
            item["id"] = self.settle(item.get("id"), ids, line, found)
        return item, found

    def settle(self, current: Any, ids: tuple, line: int | None, found: list[Problem]) -> Any:
        """The id an item keeps, made up (from its stem) or renamed when taken already;
        the problems go to `found`."""
        from citekit.normalize import id_key

        from ._common import unique_id

        given, stem = ids
        if stem is not None:  # a new id, among those taken (unique_id keeps it)
            current = unique_id(stem, self.taken)  # type: ignore[arg-type]
            first = None
        else:
            first = self.taken.get(id_key(current))
        key = id_key(current)
        if first is not None:
            n = 2
            while f"{key}-{n}" in self.taken:
                n += 1
            new = f"{key}-{n}"
            if given:
                found.append(Problem(f"id used twice (first by item {first}; ids are compared as "
                                     f"text); this item is renamed {new!r}", line, key, self.source, False, "id"))
            current = key = new
        if not self.taken.add(key, self.position) and not self.full:
            self.full = True
            found.append(_keys_full_problem(self.taken.limit or 0, "ids", line, self.source))
        return current


def _found(src: Any, name: str | None, fmt: str, limits: Limits, hint: str | None,
           ids: int | None) -> Iterator[Any]:
    """A streamed input's problems (those of decoding where they are met) and its items
    as (item, line), through the door."""
    door = _Door(name, ids)
    for found in _records(src, name, fmt, limits, hint):
        yield from src.take_problems(name)
        if isinstance(found, Problem):
            yield found
            continue
        item, problems = door.check(*found)
        yield from problems
        if item is not None:
            yield item, found[1]
    yield from src.end_problems(name)


def _read_records(source: Any = None, *, path: Any = None, name: str | None = None,
                  limits: Limits | None = None) -> Iterator[Any]:
    """`iter_load`'s first half, for `citekit bib --each`: its problems and its records,
    as (record, line) before the door (a BibTeX entry as a `BibEntry`, not yet converted),
    so that the door's first half (`check_record`) and the formatting can run in worker
    processes, and the second (`_Door.settle`) in the records' order. An input read
    whole yields its items (checked: `check_record` takes them as they are)."""
    limits = limits or DEFAULT_LIMITS
    opened = _open_stream(source, path, None, name, limits)
    if opened is not None and isinstance(opened[0], bytes):  # a stream read whole
        source, name, path, opened = opened[0], opened[1], None, None
    if opened is None:
        for found in iter_load(source, path=path, name=name, limits=limits):
            yield found if isinstance(found, Problem) else (found, None)
        return
    src, name, fmt, hint = opened
    try:
        if fmt == "bibtex":
            from .bibtex import iter_bibtex

            records = iter_bibtex(src, name, limits=limits, defer=True)
        else:
            records = _records(src, name, fmt, limits, hint)
        for found in records:
            yield from src.take_problems(name)
            yield found
        yield from src.end_problems(name)
    finally:
        spooled = getattr(src, "spooled", None)
        if spooled:
            os.unlink(spooled)


def iter_load(source: Any = None, format: str | None = None, *, url: str | None = None,
              path: str | os.PathLike | None = None, name: str | None = None,
              limits: Limits | None = None) -> Iterator[dict | Problem]:
    """Read references one at a time: yields each item (a CSL-JSON dict, checked by
    citekit's one door as `load()` checks it) and each `Problem`, as they are found.

    The arguments are those of `load()`: a file is a `pathlib.Path` or `path=`, a `str`
    is the text itself; a binary stream (a file opened "rb", `sys.stdin.buffer`) is read
    too. BibTeX, RIS, a CSL-JSON array and JSON Lines (one item a line, `.jsonl`) are read
    a record at a time, so that memory does not grow with the file (a BibTeX stream is
    copied to a temporary file first, as it is read in several passes). What is kept
    is bounded (docs/limits.md): BibTeX's @string definitions and the entries that
    crossref/xdata name (each until the entries naming it are read), and a 64-bit hash
    of each id (at most `Limits.stream_ids`),
    to rename a repeated one. A line longer than `Limits.line_bytes` is reported and
    not read. Other inputs (CSL-YAML, a page, one JSON object, bytes) are read whole
    (a stream up to `Limits.whole_bytes`), then yielded. The items and problems are those
    of `load()`, but for two things: an id made up for an item without one is chosen
    among the ids seen so far, and a broken JSON array yields the items before the
    break (docs/readers.md, "Streaming").

        for found in iter_load(Path("big.bib")):
            if isinstance(found, Problem): print(found)
            else: use(found)          # {"id": "e1", "type": "article-journal", ...}
    """
    limits = limits or DEFAULT_LIMITS
    opened = _open_stream(source, path, format, name, limits)
    if opened is not None and isinstance(opened[0], bytes):  # a stream read whole
        source, name, format, path, opened = opened[0], opened[1], opened[2], None, None
    if opened is None:
        file = _file_of(source, path)
        if file is not None and file.stat().st_size > limits.whole_bytes:
            raise ReaderError(f"{file}: more than {limits.whole_bytes:,} bytes of a format read whole "
                              "(Limits.whole_bytes)")
        result = load(source, format, url=url, path=path, name=name, limits=limits)
        yield from result.problems
        yield from result.items
        return
    src, name, fmt, hint = opened
    try:
        for found in _found(src, name, fmt, limits, hint, limits.stream_ids):
            yield found if isinstance(found, Problem) else found[0]
    finally:
        spooled = getattr(src, "spooled", None)
        if spooled:
            os.unlink(spooled)


def _load_streamed(src: Any, name: str | None, fmt: str, limits: Limits) -> ReadResult:
    """`load()` of a streamed format: the same result, without the file's text in memory."""
    from ..csl.record import replace

    from ._common import collect

    # load() keeps every item anyway: every id and key is compared, with no bound
    unbounded = replace(limits, stream_ids=1 << 62)
    items, problems = collect(_found(src, name, fmt, unbounded, None, None), None)
    # the References are built from the items on first use (ReadResult.references)
    return ReadResult(None, problems, items, fmt, name)


def read(source: Any = None, format: str | None = None, *, strict: bool = False,
         url: str | None = None, path: str | os.PathLike | None = None,
         limits: Limits | None = None) -> list["Reference"]:
    """The references in a file or text (see `load` for the arguments: a file is a
    `pathlib.Path` or `path=`, a `str` is the text itself).

    strict=False (default): whatever could be read; each problem is issued as a
    `ReadWarning`. strict=True: `ReaderError` if anything was wrong, listing it all.

        refs = read(Path("refs.bib"))
    """
    result = load(source, format, url=url, path=path, limits=limits)
    if strict:
        result.raise_for_problems()
    else:
        for problem in result.problems:
            warnings.warn(str(problem), ReadWarning, stacklevel=2)
    return result.references


def from_html(html: str | bytes, url: str | None = None) -> "Reference":
    """The Reference a web page describes, from its own metadata (never fetched).

    `html` is the page's markup (text, or bytes in the page's own encoding); `url` is
    its address, used for relative links and when the page names no URL itself.
    Raises `ReaderError` when the page has neither a title nor a URL to cite.

        from_html(Path("page.html").read_bytes(), url="https://example.org/page").title
    """
    from citekit.models import Reference

    from .html import extract

    item = extract(html, url=url)
    if not item.get("title") and not item.get("URL"):
        raise ReaderError("the page has no title or URL in its metadata; nothing to cite")
    return Reference.from_csl(item)
