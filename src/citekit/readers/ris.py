"""RIS files to CSL-JSON items.

rispy reads the tags of a record; this module first cuts the file into records
itself, so that each one keeps its line number and a broken one (no `TY`, no `ER`,
an unknown type) is reported without losing the others. Types and tags map to CSL
as Zotero's RIS translator reads them, with the refinements listed in
docs/readers.md.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import (
    collect,
    Problem,
    clean_doi,
    collapse_ws,
    date_or_literal,
    language_code,
    normalize_page_range,
    parse_date,
    parse_name,
)

__all__ = ["parse_ris", "iter_ris", "TYPE_MAP"]

# RIS reference types -> CSL item types.
TYPE_MAP = {
    "ABST": "article-journal",
    "ADVS": "motion_picture",
    "AGGR": "dataset",
    "ANCIENT": "classic",
    "ART": "graphic",
    "BILL": "bill",
    "BLOG": "post-weblog",
    "BOOK": "book",
    "CASE": "legal_case",
    "CHAP": "chapter",
    "CHART": "figure",
    "CLSWK": "classic",
    "COMP": "software",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "CTLG": "book",
    "DATA": "dataset",
    "DBASE": "dataset",
    "DICT": "entry-dictionary",
    "EBOOK": "book",
    "ECHAP": "chapter",
    "EDBOOK": "book",
    "EJOUR": "article-journal",
    "ELEC": "webpage",
    "ENCYC": "entry-encyclopedia",
    "EQUA": "document",
    "FIGURE": "figure",
    "GEN": "document",
    "GOVDOC": "report",
    "GRANT": "document",
    "HEAR": "hearing",
    "ICOMM": "personal_communication",
    "INPR": "article-journal",
    "JFULL": "periodical",
    "JOUR": "article-journal",
    "LEGAL": "regulation",
    "MANSCPT": "manuscript",
    "MAP": "map",
    "MGZN": "article-magazine",
    "MPCT": "motion_picture",
    "MULTI": "motion_picture",
    "MUSIC": "musical_score",
    "NEWS": "article-newspaper",
    "PAMP": "pamphlet",
    "PAT": "patent",
    "PCOMM": "personal_communication",
    "RPRT": "report",
    "SER": "book",
    "SLIDE": "speech",
    "SOUND": "song",
    "STAND": "standard",
    "STAT": "legislation",
    "THES": "thesis",
    "UNBILL": "bill",
    "UNPB": "manuscript",
    "UNPD": "manuscript",
    "VIDEO": "motion_picture",
    "WEB": "webpage",
}

_BOOKLIKE = {"BOOK", "EBOOK", "EDBOOK", "CTLG", "SER", "CLSWK", "ANCIENT"}
_WHOLE_WORKS = _BOOKLIKE | {"THES", "MANSCPT", "UNPB", "RPRT", "GOVDOC", "PAMP"}
_FILMS = {"MPCT", "VIDEO", "ADVS", "MULTI"}
_GENRE_TYPES = {"THES", "RPRT", "GOVDOC", "ELEC", "WEB", "BLOG", "MANSCPT", "UNPB", "MAP",
                "PCOMM", "ICOMM", "SLIDE", "ART", "GEN", "PAMP", "COMP"}
_NUMBERED = {"RPRT", "GOVDOC", "PAT", "BILL", "UNBILL", "STAT", "STAND", "HEAR"}
# Tags that may repeat and are kept as lists.
_LIST_TAGS = ["AU", "A1", "A2", "A3", "A4", "ED", "KW", "UR", "L1", "L2", "L4", "N1"]

# RIS says "XX  - value"; exporters also write one space or none around the hyphen.
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])(?:\s{1,2}-\s?(.*)|-(?:\s(.*))?)$")
_ISSN = re.compile(r"^\s*(?:ISSN:?\s*)?(\d{4}-?\d{3}[\dXx])\s*$")
_ISBN = re.compile(r"^\s*(?:ISBN(?:-1[03])?:?\s*)?((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])\s*$")
_DOI_LIKE = re.compile(r"^\s*(?:doi:|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+\s*$", re.IGNORECASE)


def _tag_value(m: re.Match) -> str:
    return (m.group(2) or m.group(3) or "").strip()


def _split_records(text: str, source: str | None):
    """(records as (first line number, [normalised tag lines]), problems) of a whole text."""
    problems: list[Problem] = []
    records: list[tuple[int, list[str]]] = []
    for found in _iter_records(_text_lines(text), source):
        (problems if isinstance(found, Problem) else records).append(found)
    return records, problems


def _text_lines(text: str):
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield start, text[start:end]
        start = end


def _iter_records(lines, source: str | None):
    """Yield each problem, and each record as (first line number, [normalised tag lines]),
    from (position, line) pairs; lines are numbered as `str.splitlines` numbers them."""
    current: list[str] | None = None
    start = 0
    stray_start: int | None = None
    stray: list[str] = []
    number = 0

    def stray_problem():
        key = _key_from_lines(stray)
        return Problem("lines outside a record (no TY line before them)", stray_start, key, source, skipped=True)

    first = True
    for _, text_line in lines:
        if first:
            first = False
            text_line = text_line.removeprefix("\ufeff")
        for raw in text_line.splitlines():
            number += 1
            line = raw.rstrip()
            m = _TAG_LINE.match(line.lstrip("\ufeff"))
            tag = m.group(1) if m else None
            if tag:
                # Hand rispy the canonical "XX  - value" form.
                line = f"{tag}  - {_tag_value(m)}"
            if current is None:
                if tag == "TY":
                    if stray_start is not None:
                        yield stray_problem()
                        stray_start, stray = None, []
                    current, start = [line], number
                elif line.strip():
                    if stray_start is None:
                        stray_start = number
                    stray.append(line)
                continue
            if tag == "TY":
                yield Problem("record is not closed with an ER line; read up to the next TY",
                              start, _key_from_lines(current), source)
                yield start, current
                current, start = [line], number
            elif tag == "ER":
                yield start, current
                current = None
            else:
                current.append(line)
    if stray_start is not None:
        yield stray_problem()
    if current is not None:
        yield Problem("record is not closed with an ER line at the end of the file",
                      start, _key_from_lines(current), source)
        yield start, current


def _key_from_lines(lines: list[str]) -> str | None:
    found: dict[str, str] = {}
    for line in lines:
        m = _TAG_LINE.match(line)
        if m and m.group(1) in {"ID", "TI", "T1"} and m.group(1) not in found:
            found[m.group(1)] = _tag_value(m)
    if found.get("ID"):
        return found["ID"]
    title = found.get("TI") or found.get("T1")
    if title:
        return repr(title if len(title) <= 40 else title[:37] + "...")
    return None


def _read_tags(lines: list[str]) -> dict[str, Any]:
    import rispy

    tags = {line[:2] for line in lines if _TAG_LINE.match(line)}
    mapping = {t: t for t in tags | {"TY", "ER"}}
    mapping["UK"] = "UK"
    parser = rispy.RisParser(mapping=mapping, list_tags=_LIST_TAGS,
                             delimiter_tags_mapping={}, skip_unknown_tags=True)
    records = parser.parse_lines(iter(lines + ["ER  - "]))
    return records[0] if records else {}


def _first(rec: dict, *tags: str) -> str | None:
    for tag in tags:
        value = rec.get(tag)
        if isinstance(value, list):
            value = next((v for v in value if v and v.strip()), None)
        if value and value.strip():
            return collapse_ws(value)
    return None


def _all(rec: dict, *tags: str) -> list[str]:
    out: list[str] = []
    for tag in tags:
        value = rec.get(tag)
        if value is None:
            continue
        for v in value if isinstance(value, list) else [value]:
            if v and v.strip():
                out.append(collapse_ws(v))
    return out


def _names(values: list[str]) -> list[dict]:
    names = []
    for value in values:
        name = parse_name(value, order="ris")
        if name:
            names.append(name)
    return names


def _set(item: dict, var: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        item.setdefault(var, value)


def record_to_csl(rec: dict, problems: list[str]) -> dict:
    """Map one record (tag -> value or list of values) to a CSL-JSON item."""
    ris_type = (_first(rec, "TY") or "").upper()
    if ris_type not in TYPE_MAP:
        problems.append(f"unknown RIS type {ris_type or '(empty)'!r}; read as a generic document")
    ctype = TYPE_MAP.get(ris_type, "document")
    item: dict[str, Any] = {"type": ctype}
    if _first(rec, "ID"):
        item["id"] = _first(rec, "ID")

    authors = _names(_all(rec, "AU", "A1"))
    _set(item, "director" if ris_type in _FILMS else "author", authors)
    _set(item, "editor", _names(_all(rec, "A2", "ED")))
    _set(item, "collection-editor", _names(_all(rec, "A3")))
    _set(item, "translator", _names(_all(rec, "A4")))

    title = _first(rec, "TI", "T1", "CT")
    if not title and ris_type in _BOOKLIKE | {"MANSCPT"}:
        title = _first(rec, "BT")
    _set(item, "title", title)
    _set(item, "title-short", _first(rec, "ST"))

    t2 = _first(rec, "T2")
    if ris_type in _BOOKLIKE:
        # For a whole book, T2 is its series (Zotero reads it so too).
        _set(item, "collection-title", t2)
    elif ris_type in {"CONF", "CPAPER"}:
        proceedings = _first(rec, "C3", "BT")
        _set(item, "container-title", proceedings or t2)
        if proceedings and t2:
            _set(item, "event-title", t2)
    else:
        _set(item, "container-title", t2 or _first(rec, "JF", "JO", "BT"))
    short = _first(rec, "J2", "JA")
    jo = _first(rec, "JO")
    if not short and jo and jo != item.get("container-title"):
        short = jo
    _set(item, "container-title-short", short)
    _set(item, "collection-title", _first(rec, "T3"))
    _set(item, "original-title", _first(rec, "OP"))

    # Dates: DA is usually the fuller one; PY/Y1 the year.
    da, py = _first(rec, "DA"), _first(rec, "PY", "Y1")
    issued = parse_date(da) if da else None
    if issued is None and da and py:
        problems.append(f"date {da!r} is not a date; the year {py!r} is used")
    if issued is None and py:
        issued = parse_date(py)
        if issued is None:
            problems.append(f"publication year {py!r} is not a date; kept as text")
            issued = date_or_literal(py)
    if issued is None and da:
        problems.append(f"date {da!r} is not a date; kept as text")
        issued = date_or_literal(da)
    _set(item, "issued", issued)
    y2 = _first(rec, "Y2")
    if y2:
        _set(item, "accessed", date_or_literal(y2))

    _set(item, "volume", _first(rec, "VL", "VO"))
    _set(item, "issue", _first(rec, "IS"))
    sp, ep = _first(rec, "SP"), _first(rec, "EP")
    if sp and not ep and ris_type in _WHOLE_WORKS and sp.isdigit():
        _set(item, "number-of-pages", sp)
    elif sp or ep:
        pages = f"{sp}-{ep}" if sp and ep and "-" not in sp else (sp or ep)
        _set(item, "page", normalize_page_range(pages))
    _set(item, "number-of-volumes", _first(rec, "NV"))
    if ris_type == "COMP":
        _set(item, "version", _first(rec, "ET"))
    else:
        _set(item, "edition", _first(rec, "ET"))
    se = _first(rec, "SE")
    if se:
        _set(item, "chapter-number" if ris_type in {"CHAP", "ECHAP"} else "section", se)

    _set(item, "publisher", _first(rec, "PB"))
    _set(item, "publisher-place", _first(rec, "CY", "PP"))

    # Standard numbers: SN holds an ISSN or ISBN (or a report number); tell them apart.
    for sn in _all(rec, "SN"):
        for part in re.split(r"\s*;\s*", sn):
            if _ISSN.match(part):
                _set(item, "ISSN", _ISSN.match(part).group(1))
            elif _ISBN.match(part):
                _set(item, "ISBN", _ISBN.match(part).group(1))
            elif ris_type in _NUMBERED:
                _set(item, "number", part)
    if ris_type in _NUMBERED:
        _set(item, "number", _first(rec, "M1"))

    doi = _first(rec, "DO")
    m3 = _first(rec, "M3")
    if not doi and m3 and _DOI_LIKE.match(m3):
        doi, m3 = m3, None
    if doi:
        _set(item, "DOI", clean_doi(doi))
    if m3 and ris_type in _GENRE_TYPES:
        _set(item, "genre", m3)
    urls = [u for v in _all(rec, "UR") for u in re.split(r"\s*;\s*|\s+", v) if u]
    if urls:
        _set(item, "URL", urls[0])

    _set(item, "abstract", _first(rec, "AB", "N2"))
    notes = _all(rec, "N1")
    if notes:
        _set(item, "note", " ".join(notes))
    keywords = _all(rec, "KW")
    if keywords:
        _set(item, "keyword", ", ".join(keywords))
    lang = _first(rec, "LA")
    if lang:
        _set(item, "language", language_code(lang))
    _set(item, "call-number", _first(rec, "CN"))
    _set(item, "archive_location", _first(rec, "AN"))
    _set(item, "archive", _first(rec, "DB"))
    _set(item, "source", _first(rec, "DP"))
    if ris_type == "INPR":
        _set(item, "status", "in press")
    return item


def iter_ris(lines, source: str | None = None):
    """Read RIS from (position, line) pairs a record at a time: yields each `Problem`,
    and each item as (item, line of its record)."""
    for found in _iter_records(lines, source):
        if isinstance(found, Problem):
            yield found
            continue
        start, record = found
        key = _key_from_lines(record)
        record_problems: list[str] = []
        try:
            item = record_to_csl(_read_tags(record), record_problems)
        except Exception as exc:  # defensive: one odd record must not stop the file
            yield Problem(f"could not be read ({exc})", start, key, source, skipped=True)
            continue
        for msg in record_problems:
            yield Problem(msg, start, key, source)
        yield item, start


def parse_ris(text: str, source: str | None = None, lines: list | None = None
              ) -> tuple[list[dict], list[Problem]]:
    """Read a .ris text: CSL-JSON items in file order, and the problems found.

    Items lacking an `ID` get none here; `read()` gives them readable ids. `lines`, when
    given, receives the line where each item's record starts.
    """
    return collect(iter_ris(_text_lines(text), source), lines)
