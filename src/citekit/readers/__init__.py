"""Read references from BibTeX/BibLaTeX, RIS, CSL-JSON, CSL-YAML and web pages.

    from citekit.readers import read, load, from_html

    refs = read("refs.bib")                  # list[Reference]; problems become ReadWarnings
    refs = read("refs.ris", strict=True)     # ReaderError if any record is bad (lists all)
    result = load("refs.bib")                # everything: references, items, problems
    refs, problems = load("refs.bib")        # ... or just the two that matter
    ref = from_html(saved_page, url=None)    # one Reference from a page's own metadata

Every reader produces plain CSL-JSON dicts (`result.items`), which become
`citekit.models.Reference`s. A broken record is reported as a `Problem` with its
line and key, and the rest of the file is still read. Nothing here fetches a URL.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ._common import Problem, ReaderError, ReadWarning, make_id
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from citekit.models import Reference

__all__ = [
    "read",
    "load",
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
    "csljson": "csljson", "csl-json": "csljson", "json": "csljson",
    "cslyaml": "cslyaml", "csl-yaml": "cslyaml", "yaml": "cslyaml", "yml": "cslyaml",
    "html": "html", "htm": "html",
}
EXTENSIONS = {
    ".bib": "bibtex", ".bibtex": "bibtex", ".biblatex": "bibtex",
    ".ris": "ris",
    ".json": "csljson", ".csljson": "csljson",
    ".yaml": "cslyaml", ".yml": "cslyaml", ".md": "cslyaml", ".markdown": "cslyaml",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
_SNIFF = 65536  # characters looked at to guess a format

_RIS_START = re.compile(r"^\s*TY\s{1,2}-", re.M)
_BIB_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|meta|title|body)\b", re.I)
_YAML_HINT = re.compile(r"^(?:---\s*$|references\s*:|-\s+id\s*:|-\s+type\s*:|id\s*:|type\s*:)", re.M)


@dataclass
class ReadResult:
    """What `load()` read: the references, their CSL-JSON items, and the problems found.

    `refs, problems = result` unpacks the two that matter most.
    """

    references: list["Reference"]
    problems: list[Problem]
    items: list[dict] = field(default_factory=list)
    format: str = ""
    source: str | None = None

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


def _looks_like_path(text: str) -> bool:
    if "\n" in text or len(text) > 4096 or not text.strip():
        return False
    if text.lstrip()[:1] in "@{[<" or _RIS_START.match(text):
        return False
    return os.path.exists(text) or Path(text).suffix.lower() in EXTENSIONS


def _decode(data: bytes, name: str | None, problems: list[Problem]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Old .bib and RIS exports are often Windows-1252; say so rather than fail.
        problems.append(Problem("not UTF-8; read as Windows-1252", None, None, name))
        return data.decode("cp1252", errors="replace")


def _open(source: Any, problems: list[Problem]) -> tuple[str | bytes, str | None, str | None]:
    """(content, name for messages, extension) of a path, text or bytes."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReaderError(f"{path}: no such file") from None
        except OSError as exc:
            raise ReaderError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        ext = path.suffix.lower()
        if EXTENSIONS.get(ext) == "html":
            return data, str(path), ext  # lxml reads the page's own charset declaration
        return _decode(data, str(path), problems), str(path), ext
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), None, None
    if isinstance(source, str):
        return source, None, None
    raise TypeError(f"expected a path, text or bytes, not {type(source).__name__}")


def guess_format(content: str | bytes, name: str | None = None) -> str:
    """The reader format for a file name (by extension) or, failing that, its content."""
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
           problems: list[Problem], limits: Limits = DEFAULT_LIMITS) -> list[dict]:
    if fmt == "html":
        from .html import extract

        found: list[str] = []
        item = extract(content, url=url, limits=limits, problems=found)
        problems.extend(Problem(message, None, None, name) for message in found)
        return [item]
    if isinstance(content, bytes):
        content = _decode(content, name, problems)
    if fmt == "bibtex":
        from .bibtex import parse_bibtex

        items, found = parse_bibtex(content, name, limits=limits)
    elif fmt == "ris":
        from .ris import parse_ris

        items, found = parse_ris(content, name)
    elif fmt == "csljson":
        from .csljson import parse_csljson

        items, found = parse_csljson(content, name)
    else:
        from .csljson import parse_cslyaml

        items, found = parse_cslyaml(content, name, limits=limits)
    problems.extend(found)
    return items


def _unique_ids(items: list[dict], name: str | None, problems: list[Problem]) -> None:
    # The engine keys items by id: every item gets one, and no two share one.
    taken = {str(i["id"]) for i in items if i.get("id") not in (None, "")}
    seen: set[str] = set()
    for item in items:
        current = item.get("id")
        if current in (None, ""):
            item["id"] = make_id(item, taken)
            continue
        current = str(current)
        if current in seen:
            n = 2
            while f"{current}-{n}" in taken:
                n += 1
            new = f"{current}-{n}"
            taken.add(new)
            problems.append(Problem(f"id used twice; this item is renamed {new!r}", None, current, name))
            item["id"] = new
        seen.add(item["id"])


def load(source: Any, format: str | None = None, *, url: str | None = None,
         limits: Limits | None = None) -> ReadResult:
    """Read every reference in `source`, reporting problems instead of stopping at them.

    `source` is a path (str or PathLike), the text itself, or bytes. `format` is one
    of FORMATS (or an alias such as "bib", "json", "yaml"); by default it is guessed
    from the extension, then the content. `url` is the page's address for HTML.
    Raises `ReaderError` only when nothing can be read at all (no such file, unknown
    format); a broken record is a `Problem` in the result, with its line and key.
    `limits` bounds the work one input may ask for (`Limits`; docs/readers.md, "Limits").
    """
    problems: list[Problem] = []
    content, name, _ = _open(source, problems)
    fmt = _normalize_format(format) if format else guess_format(content, name)
    items = _parse(fmt, content, name, url, problems, limits or DEFAULT_LIMITS)
    _unique_ids(items, name, problems)

    from citekit.models import Reference

    references: list[Reference] = []
    kept: list[dict] = []
    for item in items:
        try:
            references.append(Reference.from_csl(item))
        except ValueError as exc:  # ItemError: the item names itself and its field
            problems.append(Problem(str(exc), None, str(item.get("id")), name, skipped=True))
            continue
        kept.append(item)
    return ReadResult(references, problems, kept, fmt, name)


def read(source: Any, format: str | None = None, *, strict: bool = False,
         url: str | None = None, limits: Limits | None = None) -> list["Reference"]:
    """The references in a file or text (see `load` for the arguments).

    strict=False (default): whatever could be read; each problem is issued as a
    `ReadWarning`. strict=True: `ReaderError` if anything was wrong, listing it all.
    """
    result = load(source, format, url=url, limits=limits)
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
    """
    from citekit.models import Reference

    from .html import extract

    item = extract(html, url=url)
    if not item.get("title") and not item.get("URL"):
        raise ReaderError("the page has no title or URL in its metadata; nothing to cite")
    return Reference.from_csl(item)
