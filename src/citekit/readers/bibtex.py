"""BibTeX and BibLaTeX files to CSL-JSON items.

bibtexparser (v2) splits the file into blocks and reports broken ones with their
line; this module resolves `@string` macros and `#` concatenation, inherits
`crossref`/`xdata` fields, decodes LaTeX (see `_latex`), splits names with the
BibTeX name grammar, and maps entry types and fields to CSL the way citation-js and
Zotero do. The tables are documented in docs/readers.md.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable, Iterator

from ._common import (
    collect,
    Problem,
    clean_doi,
    date_or_literal,
    language_code,
    month_number,
    normalize_page_range,
)
from ._latex import latex_to_plain, latex_to_text, unescape_url
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["parse_bibtex", "iter_bibtex", "TYPE_MAP"]

# BibTeX and BibLaTeX entry types -> CSL item types.
TYPE_MAP = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "bookinbook": "book",
    "booklet": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "mvreference": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inreference": "entry",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "misc": "document",
    "unpublished": "manuscript",
    "patent": "patent",
    "periodical": "periodical",
    "software": "software",
    "dataset": "dataset",
    "artwork": "graphic",
    "audio": "song",
    "image": "figure",
    "jurisdiction": "legal_case",
    "legislation": "legislation",
    "legal": "treaty",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "music": "musical_score",
    "performance": "performance",
    "review": "review",
    "standard": "standard",
}

# biblatex's localisation keys for `type` (and the implied type of the old thesis entries).
TYPE_KEYS = {
    "bathesis": "Bachelor's thesis",
    "mathesis": "Master's thesis",
    "phdthesis": "PhD thesis",
    "candthesis": "Candidate thesis",
    "techreport": "technical report",
    "resreport": "research report",
    "software": "computer software",
    "datacd": "data CD",
    "audiocd": "audio CD",
    "patent": "patent",
    "patentus": "U.S. patent",
    "patentuk": "British patent",
    "patenteu": "European patent",
    "patentde": "German patent",
    "patentfr": "French patent",
}
_IMPLIED_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}

# biblatex `pubstate` keys -> the text CSL's `status` carries.
PUBSTATE = {
    "inpress": "in press",
    "forthcoming": "forthcoming",
    "submitted": "submitted",
    "inpreparation": "in preparation",
    "prepublished": "prepublished",
}

_ARTICLE_LIKE = {"article", "periodical", "suppperiodical"}
_ISSUE_NUMBER = {"article", "periodical", "suppperiodical", "inproceedings", "conference"}
_SERIES_NUMBER = {"book", "mvbook", "inbook", "bookinbook", "suppbook", "collection",
                  "mvcollection", "incollection", "suppcollection", "manual", "proceedings",
                  "mvproceedings", "reference", "mvreference", "inreference", "booklet"}

# Fields never inherited through crossref (biblatex's rules, as citation-js applies them).
_NOT_INHERITED = {"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute",
                  "label", "options", "presort", "related", "relatedoptions", "relatedstring",
                  "relatedtype", "shorthand", "shorthandintro", "sortkey"}
_BOOK = {"book", "inbook", "bookinbook", "suppbook"}
_BOOK_PART = {"inbook", "bookinbook", "suppbook"}
_COLLECTION = {"collection", "reference", "incollection", "inreference", "suppcollection"}
_COLLECTION_PART = {"incollection", "inreference", "suppcollection"}
_PROCEEDINGS = {"proceedings", "inproceedings", "conference"}
_PROCEEDINGS_PART = {"inproceedings", "conference"}
# parent type -> (prefix its title takes in the child, child types this applies to)
_TITLE_INHERITANCE = {
    "mvbook": ("main", _BOOK),
    "mvcollection": ("main", _COLLECTION),
    "mvreference": ("main", _COLLECTION),
    "mvproceedings": ("main", _PROCEEDINGS),
    "book": ("book", _BOOK_PART),
    "collection": ("book", _COLLECTION_PART),
    "reference": ("book", _COLLECTION_PART),
    "proceedings": ("book", _PROCEEDINGS_PART),
    "periodical": ("journal", {"article", "suppperiodical"}),
}

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
# BibTeX predefines the month macros; a file's own @string may redefine them.
_PREDEFINED = {name[:3].lower(): name for name in _MONTH_NAMES}

# bibtexparser also logs each broken block; we report them as Problems ourselves.
# (A NullHandler only silences Python's last-resort stderr output: an application
# that configures logging still sees these records.)
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_KEY_IN_RAW = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()=\"#]+)")


# --------------------------------------------------------------------------- values


_BRACES = re.compile(r"[{}]")
_BRACES_QUOTE = re.compile(r'[{}"]')


def _split_value(raw: str) -> list[str] | None:
    """Split a raw field value on top-level `#` into its pieces (enclosures kept).

    Returns None if the value is not well formed (bibtexparser already balanced
    the braces of the whole entry, so this is rare).
    """
    pieces: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            break
        ch = raw[i]
        start = i
        # (from brace to brace with a regular expression: abstracts are long)
        if ch == "{":
            depth = 0
            for m in _BRACES.finditer(raw, i):
                j = m.start()
                if j and raw[j - 1] == "\\":  # an escaped brace
                    continue
                if m.group() == "{":
                    depth += 1
                else:
                    depth -= 1
                    if depth == 0:
                        i = j + 1
                        break
            else:
                return None
        elif ch == '"':
            depth = 0
            for m in _BRACES_QUOTE.finditer(raw, i + 1):
                j = m.start()
                if raw[j - 1] == "\\":
                    continue
                c = m.group()
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif depth == 0:
                    i = j + 1
                    break
            else:
                return None
        else:
            while i < n and raw[i] != "#" and not raw[i].isspace():
                i += 1
        pieces.append(raw[start:i])
        while i < n and raw[i].isspace():
            i += 1
        if i < n:
            if raw[i] != "#":
                return None
            i += 1
    return pieces


class _Expansion:
    """The `@string` expansion budget of one file (see `Limits`); problems are collected per record."""

    def __init__(self, limits: Limits, text_length: int):
        self.value_chars = limits.bibtex_value_chars
        self.total = limits.macro_budget(text_length)
        self.remaining = self.total
        self.problems: list[str] = []

    def macro(self, text: str) -> str:
        """A macro's value, charged to the file's budget (cut where the budget ends)."""
        if len(text) <= self.remaining:
            self.remaining -= len(text)
            return text
        cut = text[:self.remaining]
        self.remaining = 0
        self.problems.append(f"@string macros expand to more than {self.total:,} characters in all "
                             "(limit bibtex_macro_chars); the value is cut there")
        return cut

    def value(self, pieces: list[str]) -> str:
        """The pieces joined, cut at `bibtex_value_chars`."""
        if sum(len(p) for p in pieces) <= self.value_chars:
            return "".join(pieces)
        self.problems.append(f"a value longer than {self.value_chars:,} characters once @string macros "
                             "are expanded (limit bibtex_value_chars); the value is cut there")
        out, room = [], self.value_chars
        for piece in pieces:
            out.append(piece[:room])
            room -= len(out[-1])
            if not room:
                break
        return "".join(out)

    def drain(self) -> list[str]:
        found, self.problems = list(dict.fromkeys(self.problems)), []
        return found


def _resolve(raw: str, strings: dict[str, str], undefined: list[str],
             expansion: _Expansion | None = None) -> str:
    """Expand a raw value: strip enclosures, look up macros, join `#` pieces.

    With `expansion`, macro text is charged to the file's budget and the value is
    cut at the length limit, so that macros doubling at each step stay bounded.
    """
    if not isinstance(raw, str):
        return str(raw)
    pieces = _split_value(raw)
    if pieces is None:
        return raw.strip()
    out = []
    expanded = False
    for piece in pieces:
        if piece[:1] in "{\"" and len(piece) >= 2:
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        else:
            name = piece.lower()
            if name in strings:
                value = strings[name]
                expanded = True
                out.append(expansion.macro(value) if expansion is not None else value)
            elif name in _PREDEFINED:
                out.append(_PREDEFINED[name])
            else:
                undefined.append(piece)
                out.append(piece)
    if expansion is not None and expanded:  # a value written out in full is only as long as the file
        return expansion.value(out)
    return "".join(out)


# --------------------------------------------------------------------------- names


def _is_particle(word: str) -> bool:
    """A lowercase-initial word such as 'van', 'de', 'della', "d'"."""
    for ch in word:
        if ch.isalpha():
            return ch.islower()
    return False


def _name_from_parts(first: list[str], von: list[str], last: list[str], jr: list[str]) -> dict:
    """Build a CSL name from BibTeX-style parts (already decoded to plain text)."""
    given_words = [w for w in first if w]
    # 'Beethoven, Ludwig van': trailing lowercase words of the given name are a
    # dropping particle, as CSL (and citeproc-js) read them.
    dropping: list[str] = []
    while len(given_words) > 1 and _is_particle(given_words[-1]):
        dropping.insert(0, given_words.pop())
    name: dict[str, Any] = {}
    family = " ".join(w for w in last if w)
    if family:
        name["family"] = family
    if given_words:
        name["given"] = " ".join(given_words)
    if dropping:
        name["dropping-particle"] = " ".join(dropping)
    particle = " ".join(w for w in von if w)
    if particle:
        name["non-dropping-particle"] = particle
    suffix = " ".join(w for w in jr if w)
    if suffix:
        name["suffix"] = suffix
    return name


def _split_top_level_and(value: str) -> list[str]:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    return split_multiple_persons_names(value)


def _names(value: str, problems: list[str]) -> list[dict]:
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    result = []
    for raw_name in _split_top_level_and(value):
        raw_name = raw_name.strip()
        if not raw_name:
            continue
        if raw_name.lower() == "others":
            # "and others" is BibTeX's et al.: kept as the name {"literal": "others"}, which
            # the engine prints as the style's et-al term, whatever the number of names
            result.append({"literal": "others"})
            continue
        try:
            parts = parse_single_name_into_parts(raw_name, strict=False)
        except Exception as exc:  # a malformed name: keep it whole rather than lose it
            problems.append(f"name {raw_name!r} could not be split ({exc}); kept as written")
            result.append({"literal": latex_to_plain(raw_name)})
            continue
        if (not parts.first and not parts.von and not parts.jr and len(parts.last) == 1
                and parts.last[0].startswith("{") and parts.last[0].endswith("}")):
            # A fully braced name is an institution: "{World Health Organization}".
            result.append({"literal": latex_to_plain(parts.last[0])})
            continue
        decode = [latex_to_plain(w) for w in parts.first]
        name = _name_from_parts(
            [w for w in decode if w],
            [latex_to_plain(w) for w in parts.von],
            [latex_to_plain(w) for w in parts.last],
            [latex_to_plain(w) for w in parts.jr],
        )
        if name:
            result.append(name)
    return result


# --------------------------------------------------------------------------- crossref


class _Inheritance:
    """Entries' fields with those of their `crossref`/`xdata` parents merged in, each entry once.

    Every entry is merged once and remembered, so that `@xdata` fan-out (each entry
    naming the previous one twice) costs one merge per entry, not 2**depth. The walk
    is iterative, so a cycle is found as a cycle however long the chain; a chain's
    length is limited by `bibtex_chain_depth`, the fields copied in all by
    `bibtex_inherited_fields`.
    Problems are kept per entry: `problems[key]`, for the entry where they occur.
    """

    def __init__(self, entries: dict[str, dict], limits: Limits, text_length: int):
        self.entries = entries
        self.max_depth = limits.bibtex_chain_depth
        self.budget = self.total = limits.inheritance_budget(text_length)
        self.merged: dict[str, dict[str, str]] = {}
        self.depth: dict[str, int] = {}  # entries in the longest chain an entry heads
        self.problems: dict[str, list[str]] = {}
        self.used: Any = None  # called with each parent an entry's merge has read (once an entry)

    def _problem(self, key: str, message: str) -> None:
        found = self.problems.setdefault(key, [])
        if message not in found:
            found.append(message)

    def _parents(self, key: str) -> list[tuple[str, str]]:
        """(kind, parent key) in precedence order: xdata entries first, then the crossref."""
        fields = self.entries[key]["fields"]
        out = []
        for ref in [r.strip() for r in fields.get("xdata", "").split(",") if r.strip()]:
            if ref.lower() in self.entries:
                out.append(("xdata", ref.lower()))
            else:
                self._problem(key, f"xdata entry {ref!r} not found")
        parent_key = fields.get("crossref", "").strip()
        if parent_key:
            if parent_key.lower() in self.entries:
                out.append(("crossref", parent_key.lower()))
            else:
                self._problem(key, f"crossref entry {parent_key!r} not found")
        return out

    def fields(self, key: str) -> dict[str, str]:
        """The entry's fields, inherited ones included (memoised)."""
        if key in self.merged:
            return self.merged[key]
        parents = {key: self._parents(key)}
        stack = [(key, iter(parents[key]))]
        on_path = {key}
        while stack:
            current, pending = stack[-1]
            for _, parent in pending:
                if parent in self.merged:
                    continue
                name = self.entries[parent]["key"]
                if parent in on_path:
                    self._problem(current, f"crossref/xdata cycle: {name!r} is its own ancestor; "
                                           "that link is not followed")
                else:
                    parents[parent] = self._parents(parent)
                    stack.append((parent, iter(parents[parent])))
                    on_path.add(parent)
                    break
            else:
                stack.pop()
                on_path.discard(current)
                self.merged[current] = self._merge(current, parents[current])
        return self.merged[key]

    def _charge(self, key: str, count: int) -> bool:
        if count <= self.budget:
            self.budget -= count
            return True
        self.budget = 0
        self._problem(key, f"crossref/xdata inheritance copies more than {self.total:,} fields in all "
                           "(limit bibtex_inherited_fields); this entry inherits no more")
        return False

    def _merge(self, key: str, parents: list[tuple[str, str]]) -> dict[str, str]:
        entry = self.entries[key]
        fields = dict(entry["fields"])
        inherited: dict[str, str] = {}
        depth = 1
        for kind, parent_key in parents:
            if parent_key not in self.merged:  # a cycle: reported
                continue
            if self.depth[parent_key] >= self.max_depth:
                self._problem(key, f"crossref/xdata chain longer than {self.max_depth} entries "
                                   f"(limit bibtex_chain_depth); nothing inherited from "
                                   f"{self.entries[parent_key]['key']!r}")
                continue
            depth = max(depth, self.depth[parent_key] + 1)
            source = self.merged[parent_key]
            if not self._charge(key, len(source)):
                break
            if kind == "xdata":
                for k, v in source.items():
                    if k not in _NOT_INHERITED:
                        inherited.setdefault(k, v)
                continue
            data = {k: v for k, v in source.items() if k not in _NOT_INHERITED}
            ptype, ctype = self.entries[parent_key]["type"], entry["type"]
            if ptype in {"mvbook", "book"} and ctype in _BOOK_PART and "author" in data:
                data["bookauthor"] = data["author"]
            rule = _TITLE_INHERITANCE.get(ptype)
            if rule and ctype in rule[1]:
                prefix = rule[0]
                for part in ("title", "subtitle") + (("titleaddon",) if prefix != "journal" else ()):
                    if part in data:
                        data[prefix + part] = data.pop(part)
                for drop in ("shorttitle", "sorttitle", "indextitle", "indexsorttitle"):
                    data.pop(drop, None)
            for k, v in data.items():
                inherited.setdefault(k, v)
        for k, v in inherited.items():
            fields.setdefault(k, v)
        self.depth[key] = depth
        if self.used is not None:  # once merged in, a parent may be let go
            for parent_key in dict.fromkeys(p for _, p in parents):
                self.used(parent_key)
        return fields


# --------------------------------------------------------------------------- mapping


def _title(f: dict[str, str], prefix: str = "") -> str | None:
    title = f.get(prefix + "title")
    if not title:
        return None
    text = latex_to_text(title, protect=True)
    sub = f.get(prefix + "subtitle")
    if sub:
        text += ": " + latex_to_text(sub, protect=True)
    addon = f.get(prefix + "titleaddon")
    if addon:  # biblatex prints it after the title, as a sentence of its own; CSL has no variable for it
        text = text.rstrip(".") + ". " + latex_to_text(addon, protect=True)
    return text


def _language(value: str) -> str:
    return language_code(latex_to_plain(value))


def _date_from_parts(f: dict[str, str]) -> dict | None:
    year = f.get("year")
    if not year:
        return None
    year_text = latex_to_plain(year)
    if not re.fullmatch(r"-?\d{1,4}", year_text):
        return {"literal": year_text}
    parts = [int(year_text)]
    month = f.get("month")
    if month:
        month_text = latex_to_plain(month).replace("\u00a0", " ")
        mnum = month_number(month_text)
        day = None
        if mnum is None:
            # "19 dec" / "dec 19" in the month field, as the BibTeX manual suggests.
            words = re.findall(r"[A-Za-z]+|\d+", month_text)
            names = [w for w in words if not w.isdigit() and month_number(w)]
            days = [w for w in words if w.isdigit()]
            if names:
                mnum = month_number(names[0])
                day = int(days[0]) if days and 1 <= int(days[0]) <= 31 else None
        if mnum:
            parts.append(mnum)
            dayfield = f.get("day")
            if dayfield and latex_to_plain(dayfield).isdigit():
                day = int(latex_to_plain(dayfield))
            if day:
                parts.append(day)
    return {"date-parts": [parts]}


def _set(item: dict, var: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        item[var] = value


def entry_to_csl(etype: str, key: str, f: dict[str, str], problems: list[str]) -> dict:
    """Map one resolved entry (type, key, raw LaTeX fields) to a CSL-JSON item."""
    subtype = latex_to_plain(f.get("entrysubtype", "")).lower()
    ctype = TYPE_MAP.get(etype, "document")
    if etype == "article" and subtype in {"magazine", "newspaper"}:
        ctype = "article-" + subtype
    eprinttype = latex_to_plain(f.get("eprinttype") or f.get("archiveprefix") or "").lower()
    if etype == "misc" and eprinttype == "arxiv":
        ctype = "article"  # a preprint, as Zotero reads it
    item: dict[str, Any] = {"id": key, "type": ctype}

    for field, var in (("author", "author"), ("editor", "editor"), ("translator", "translator"),
                       ("bookauthor", "container-author")):
        if f.get(field):
            if field == "editor" and f.get("editortype"):
                var = _editor_role(latex_to_plain(f["editortype"]), problems)
            _set(item, var, _names(f[field], problems))

    _set(item, "title", _title(f))
    if f.get("shorttitle"):
        _set(item, "title-short", latex_to_text(f["shorttitle"], protect=True))

    # Container: the journal for articles; the book (or multi-volume work) otherwise.
    if etype in _ARTICLE_LIKE or ctype.startswith("article"):
        container = _title(f, "journal") or (
            latex_to_text(f["journal"], protect=True) if f.get("journal") else None)
    else:
        container = None
        if f.get("maintitle"):
            container = _title(f, "main")
            if f.get("booktitle"):
                _set(item, "volume-title", _title(f, "book"))
        elif f.get("booktitle"):
            container = _title(f, "book")
        elif f.get("journaltitle") or f.get("journal"):
            container = _title(f, "journal") or latex_to_text(f["journal"], protect=True)
    _set(item, "container-title", container)
    if f.get("shortjournal"):
        _set(item, "container-title-short", latex_to_text(f["shortjournal"], protect=True))
    if f.get("series"):
        _set(item, "collection-title", latex_to_text(f["series"], protect=True))
    if f.get("issuetitle"):
        _set(item, "volume-title", _title(f, "issue"))
    if f.get("eventtitle"):
        _set(item, "event-title", latex_to_text(f["eventtitle"], protect=True))
    if f.get("origtitle"):
        _set(item, "original-title", latex_to_text(f["origtitle"], protect=True))

    # Publisher: the publisher, else the institution or school (reports, theses),
    # else the organisation, else a howpublished that is not a link. For a web page
    # the first of these names the site, which CSL styles expect as container-title
    # (as citekit's Brief and HTML reader give it).
    howpublished = f.get("howpublished", "")
    how_is_url = bool(re.match(r"\s*(\\url\{|https?://)", howpublished))
    order = (("organization", "publisher", "institution", "school") if ctype == "webpage"
             else ("publisher", "institution", "school", "organization"))
    sources = [f[k] for k in order if f.get(k)]
    if howpublished and not how_is_url:
        sources.append(howpublished)
    if ctype == "webpage" and sources and "container-title" not in item:
        _set(item, "container-title", latex_to_text(sources.pop(0), protect=True))
    if sources:
        _set(item, "publisher", latex_to_text(sources[0]))
    place = f.get("location") or f.get("address")
    if place:
        _set(item, "jurisdiction" if etype == "patent" else "publisher-place",
             latex_to_plain(place))
    if f.get("venue"):
        _set(item, "event-place", latex_to_plain(f["venue"]))
    if f.get("origpublisher"):
        _set(item, "original-publisher", latex_to_text(f["origpublisher"]))
    if f.get("origlocation"):
        _set(item, "original-publisher-place", latex_to_plain(f["origlocation"]))

    # Dates.
    issued = date_or_literal(latex_to_plain(f["date"])) if f.get("date") else _date_from_parts(f)
    _set(item, "issued", issued)
    for field, var in (("urldate", "accessed"), ("eventdate", "event-date"),
                       ("origdate", "original-date")):
        if f.get(field):
            _set(item, var, date_or_literal(latex_to_plain(f[field])))

    # Numbers.
    for field, var in (("volume", "volume"), ("edition", "edition"), ("chapter", "chapter-number"),
                       ("volumes", "number-of-volumes"), ("part", "part-number"),
                       ("version", "version")):
        if f.get(field):
            _set(item, var, latex_to_plain(f[field]))
    number = latex_to_plain(f["number"]) if f.get("number") else None
    issue = latex_to_plain(f["issue"]) if f.get("issue") else None
    if etype in _ISSUE_NUMBER:
        _set(item, "issue", number or issue)
        if number and issue and number != issue:
            problems.append(f"issue {issue!r} is left out: CSL has one issue variable, and number "
                            f"{number!r} fills it")
    else:
        _set(item, "issue", issue)
        if number:
            if etype in _SERIES_NUMBER:
                _set(item, "collection-number", number)
            else:
                _set(item, "number", number)
    if f.get("pages"):
        _set(item, "page", normalize_page_range(latex_to_plain(f["pages"])))
    if f.get("eid"):  # an electronic article's number, which stands where pages would
        _set(item, "number" if f.get("pages") or "number" in item else "page", latex_to_plain(f["eid"]))
    total = f.get("pagetotal") or f.get("numpages")
    if total:
        _set(item, "number-of-pages", latex_to_plain(total))

    # Identifiers and links.
    if f.get("doi"):
        _set(item, "DOI", clean_doi(unescape_url(f["doi"])))
    if f.get("url"):
        _set(item, "URL", unescape_url(f["url"]))
    elif how_is_url:
        _set(item, "URL", unescape_url(howpublished))
    for field, var in (("isbn", "ISBN"), ("issn", "ISSN"), ("pmid", "PMID"), ("pmcid", "PMCID"),
                       ("library", "call-number")):
        if f.get(field):
            _set(item, var, latex_to_plain(f[field]))
    if f.get("eprint"):
        eprint = latex_to_plain(f["eprint"])
        if eprinttype == "pubmed":
            item.setdefault("PMID", eprint)
        elif eprinttype == "arxiv":
            item.setdefault("number", f"arXiv:{eprint}")
            if "container-title" not in item:
                item.setdefault("publisher", "arXiv")
            item.setdefault("URL", f"https://arxiv.org/abs/{eprint}")

    # Kind of work.
    genre = None
    if f.get("type"):
        raw_type = latex_to_plain(f["type"])
        genre = TYPE_KEYS.get(raw_type.lower(), latex_to_text(f["type"]))
    elif etype in _IMPLIED_GENRE:
        genre = _IMPLIED_GENRE[etype]
    _set(item, "genre", genre)
    if f.get("pubstate"):
        state = latex_to_plain(f["pubstate"])
        _set(item, "status", PUBSTATE.get(state.lower(), state))

    # Everything else.
    lang = f.get("langid") or f.get("language")
    if lang:
        _set(item, "language", _language(lang))
    notes = [latex_to_text(f[k]) for k in ("note", "addendum") if f.get(k)]
    if notes:
        _set(item, "note", ". ".join(n.rstrip(".") for n in notes))
    if f.get("abstract"):
        _set(item, "abstract", latex_to_text(f["abstract"]))
    if f.get("keywords"):
        _set(item, "keyword", latex_to_plain(f["keywords"]))
    annotes = list(dict.fromkeys(latex_to_text(f[k]) for k in ("annotation", "annote") if f.get(k)))
    if annotes:
        _set(item, "annote", "\n".join(annotes))
    return item


# biblatex `editortype` -> the CSL name variable for those "editors".
EDITOR_TYPES = {"editor": "editor", "compiler": "compiler", "director": "director",
                "organizer": "organizer", "organiser": "organizer", "translator": "translator",
                "collaborator": "contributor", "producer": "producer", "curator": "curator",
                "chair": "chair", "host": "host", "narrator": "narrator"}


def _editor_role(editortype: str, problems: list[str]) -> str:
    role = EDITOR_TYPES.get(editortype.strip().lower())
    if role is None:
        problems.append(f"editortype {editortype!r} has no CSL name variable; the names are read as editors")
        return "editor"
    return role


# --------------------------------------------------------------------------- file


_FIELD_AFTER_END = re.compile(r"\s*,?\s*[A-Za-z][\w:.+-]*\s*=")
_NEXT_FIELD = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*(.*)\Z", re.S)


def _first_piece_end(raw: str) -> int | None:
    """Where the first brace, quote or bare piece of a raw value ends (None if unbalanced)."""
    i, n = 0, len(raw)
    while i < n and raw[i].isspace():
        i += 1
    if i >= n:
        return None
    if raw[i] in "{\"":
        close = "}" if raw[i] == "{" else '"'
        depth = 0
        for j in range(i, n):
            c = raw[j]
            if j > 0 and raw[j - 1] == "\\":
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            if (close == "}" and depth == 0 and c == "}") or (close == '"' and j > i and c == '"' and depth == 0):
                return j + 1
        return None
    j = i
    while j < n and not raw[j].isspace() and raw[j] != "#":
        j += 1
    return j


def _split_missing_commas(key: str, raw: Any, problems: list[Problem], block: Any,
                          source: str | None, lines_before: int = 0) -> list[tuple[str, Any]]:
    """A field whose value swallowed the next field (a missing comma: `a = {x}⏎ b = {y}`)
    read as the two fields it is, and reported."""
    out: list[tuple[str, Any]] = []
    while isinstance(raw, str) and _split_value(raw) is None:
        end = _first_piece_end(raw)
        m = _NEXT_FIELD.match(raw, end) if end is not None else None
        if not m:
            break
        line = (block.start_line or 0) + 1 + lines_before + raw.count("\n", 0, end)
        problems.append(Problem(f"missing comma after field {key!r}; read as the fields {key!r} and "
                                f"{m.group(1)!r}", line, block.key, source))
        out.append((key, raw[:end]))
        key, raw = m.group(1), m.group(2).rstrip().rstrip(",")
    out.append((key, raw))
    return out


def _failed_key(raw: str | None) -> str | None:
    if not raw:
        return None
    m = _KEY_IN_RAW.search(raw)
    return m.group(2) if m else None


def _failure_message(block) -> str:
    err = block.error
    reason = getattr(err, "abort_reason", None) or str(err)
    # The bare reason: the Problem carries the entry's (1-based) line itself.
    reason = " ".join(reason.split())
    return reason.rstrip(".")


# Characters handed to bibtexparser at a time: its model of a block (raw text, field
# objects) is several times the size of the text, so a file is parsed in pieces, read
# from the file a line at a time, and only the field values of the entries of one
# piece are kept (with the crossref/xdata parents, which are found in a first pass).
_CHUNK = 1 << 20
# Where bibtexparser itself starts a new block even inside an unclosed one: an
# `@type{` or `@type(` at the start of a line. Splitting there changes nothing.
_BLOCK_AT_LINE_START = re.compile(r"^[^\S\n]*@\w*[ \t]*[{(]", re.M)
# What the first pass looks for: fields that name parents, and @string definitions.
_PARENT_FIELD = re.compile(r"(?<![\w:.+-])(?:crossref|xdata)\s*=\s*", re.I)
_STRING_BLOCK = re.compile(r"@\s*string\s*[{(]", re.I)
_MAX_PARENT_VALUE = 10_000  # characters of a crossref/xdata value looked at in the first pass


def _lines_of(text: Any) -> Iterator[tuple[int, str]]:
    """(position, line) pairs of a str, or those given (a `TextSource`'s lines)."""
    if isinstance(text, str):
        from ._source import TextSource

        return TextSource(text=text).lines()
    return iter(text)


def _pieces(lines: Iterable[tuple[int, str]], chunk: int) -> Iterator[tuple[int, int, str]]:
    """The text in pieces of about `chunk` characters, each ending before a line that
    starts an entry: (position of its first line, lines before it, its text)."""
    buf: list[str] = []
    size = count = lines_before = 0
    start = None
    for pos, line in lines:
        if start is None:
            start = pos
        if size >= chunk and _BLOCK_AT_LINE_START.match(line):
            yield start, lines_before, "".join(buf)
            lines_before += count
            buf, size, count, start = [], 0, 0, pos
        buf.append(line)
        size += len(line)
        count += 1
    if buf:
        yield start or 0, lines_before, "".join(buf)


def _blocks(text: Any, chunk: int | None = None):
    """bibtexparser's blocks of the file, parsed a piece at a time: (block, lines before its piece).

    `text` is the text, or its (position, line) pairs (`TextSource.lines()`)."""
    import bibtexparser

    for _, lines_before, piece in _pieces(_lines_of(text), chunk or _CHUNK):
        # An empty parse stack keeps values raw: macros, `#` and braces are ours to read.
        for block in bibtexparser.parse_string(piece, parse_stack=[]).blocks:
            yield block, lines_before


def _raw_value_at(text: str, i: int) -> str:
    """The raw value that starts at `i` (pieces joined by `#`), looked at for at most
    `_MAX_PARENT_VALUE` characters."""
    start, n = i, min(len(text), i + _MAX_PARENT_VALUE)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        c = text[i]
        if c == "{":
            depth = 0
            while i < n:
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            i += 1
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 1
            i += 1
        else:
            while i < n and not text[i].isspace() and text[i] not in ",})#":
                i += 1
        j = i
        while j < n and text[j].isspace():
            j += 1
        if j < n and text[j] == "#":
            i = j + 1
            continue
        break
    return text[start:min(i, n)]


def _parent_names(value: str) -> set[str]:
    """The keys a resolved crossref or xdata value may name (lowercased)."""
    names = {value.strip().lower()}
    names.update(part.strip().lower() for part in value.split(","))
    names.discard("")
    return names


class _Survey:
    """The first pass over a file: its @string definitions, the keys its crossref/xdata
    fields name, and where (the position of a piece) the entries with those keys are."""

    def __init__(self, lines: Iterable[tuple[int, str]], chunk: int):
        import bibtexparser

        self.strings: list[tuple[str, str, int | None]] = []  # (name, raw value, line)
        self.raw_parents: dict[str, int] = {}  # raw crossref/xdata value -> the fields that hold it
        self.pieces: dict[str, tuple[int, int]] = {}  # key -> (position, lines before) of its piece
        for pos, lines_before, piece in _pieces(lines, chunk):
            for m in _PARENT_FIELD.finditer(piece):
                raw = _raw_value_at(piece, m.end())
                if raw:
                    self.raw_parents[raw] = self.raw_parents.get(raw, 0) + 1
            if _STRING_BLOCK.search(piece):
                for block in bibtexparser.parse_string(piece, parse_stack=[]).blocks:
                    if type(block).__name__ == "String":
                        line = block.start_line + 1 + lines_before if block.start_line is not None else None
                        self.strings.append((block.key, block.value, line))

    def locate(self, lines: Iterable[tuple[int, str]], chunk: int, wanted: set[str]) -> None:
        """Where the first entry with each wanted key is (a parent may be needed before the
        reading comes to it: a chain's links point both ways)."""
        for pos, lines_before, piece in _pieces(lines, chunk):
            for m in _KEY_IN_RAW.finditer(piece):
                key = m.group(2).lower()
                if key in wanted and key not in self.pieces:
                    self.pieces[key] = (pos, lines_before)


def _entry_fields(block: Any, line: int, problems: list[Problem], source: str | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for fld in block.fields:
        for key, value in _split_missing_commas(fld.key, fld.value, problems, block, source,
                                                line - (block.start_line or 0) - 1):
            fields.setdefault(key.lower(), value)  # the first of repeated fields wins
    return fields


class _Entries:
    """The entries inheritance may look up: those of the piece being read, and the
    crossref/xdata parents, kept once read (and read ahead when they come later)."""

    def __init__(self, read_ahead):
        self.piece: dict[str, dict] = {}
        self.parents: dict[str, dict] = {}
        self.read_ahead = read_ahead

    def get(self, key: str) -> dict | None:
        entry = self.piece.get(key) or self.parents.get(key)
        return entry if entry is not None else self.read_ahead(key)

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> dict:
        entry = self.get(key)
        if entry is None:
            raise KeyError(key)
        return entry


class BibEntry:
    """An entry read (macros expanded, crossref/xdata merged) but not yet converted to
    CSL-JSON: the LaTeX decoding, most of a .bib's reading time, is `convert()`'s, done
    where the item is used (`iter_bibtex(defer=True)`; it pickles)."""

    __slots__ = ("type", "key", "fields", "problems", "line", "source")

    def __init__(self, type: str, key: str, fields: dict[str, str], problems: list[str], line: int,
                 source: str | None):
        self.type, self.key, self.fields, self.problems = type, key, fields, problems
        self.line, self.source = line, source

    def __getstate__(self):
        return (self.type, self.key, self.fields, self.problems, self.line, self.source)

    def __setstate__(self, state) -> None:
        self.type, self.key, self.fields, self.problems, self.line, self.source = state

    def convert(self) -> tuple[dict | None, list[Problem]]:
        """(the CSL-JSON item, or None when it could not be read; the entry's problems)."""
        problems = list(self.problems)
        try:
            item = entry_to_csl(self.type, self.key, self.fields, problems)
        except Exception as exc:  # defensive: one odd entry must not stop the file
            return None, [Problem(f"could not be read ({exc})", self.line, self.key, self.source, skipped=True)]
        return item, [Problem(msg, self.line, self.key, self.source) for msg in problems]


def iter_bibtex(src: Any, source: str | None = None, *, limits: Limits = DEFAULT_LIMITS,
                chunk: int | None = None, defer: bool = False) -> Iterator[Problem | tuple[Any, int]]:
    """Read a .bib a piece at a time: yields each `Problem`, and each item as (item, line).

    `src` is a `TextSource` (or a str). A first pass reads the @string definitions and
    finds the entries that crossref/xdata fields name; the second parses the file in
    pieces of about `chunk` characters, keeping only the entries of one piece and those
    parents, so that memory does not grow with the file. The items and problems are
    those of `parse_bibtex` (which collects them), in file order. `defer=True` yields
    each entry as a `BibEntry` to convert, with its own problems, instead of the item.
    """
    from bibtexparser import model

    from ._source import TextSource

    if isinstance(src, str):
        src = TextSource(text=src)
    chunk = chunk or _CHUNK
    survey = _Survey(src.lines(), chunk)
    length = src.chars
    expansion = _Expansion(limits, length)

    strings: dict[str, str] = {}
    for name, value, line in survey.strings:
        undefined: list[str] = []
        strings[name.lower()] = _resolve(value, strings, undefined, expansion)
        for macro in undefined:
            yield Problem(f"undefined @string macro {macro!r}", line, f"@string {name}", source)
        for message in expansion.drain():
            yield Problem(message, line, f"@string {name}", source)
    # each parent's children (the fields naming it, an upper bound): a parent is let go once
    # they are all read, so that what is kept is the parents still to be used, not all of them
    remaining: dict[str, int] = {}
    for raw, count in survey.raw_parents.items():
        for parent in _parent_names(_resolve(raw, strings, [], _Expansion(limits, length))):
            remaining[parent] = remaining.get(parent, 0) + count
    parents = set(remaining)
    if parents:
        survey.locate(src.lines(), chunk, parents)
    where = survey.pieces
    del survey

    def resolve(entry: dict) -> dict:
        undefined: list[str] = []
        entry["fields"] = {k: _resolve(v, strings, undefined, expansion) for k, v in entry["fields"].items()}
        entry["undefined"] = undefined
        entry["expansion"] = expansion.drain()
        return entry

    from . import _keys_full_problem, _Keys

    # the keys read (BibTeX keys are case-insensitive; the first is kept), as 64-bit hashes, at most stream_ids
    seen = _Keys(limits.stream_ids)
    full = []

    def read_ahead(key: str) -> dict | None:
        """A parent that comes later in the file: its piece is read now, and its parents kept."""
        import bibtexparser

        spot = where.get(key)
        if spot is None or key in seen:
            return None
        pos, lines_before = spot
        for _, _, piece in _pieces(src.lines(pos), chunk):
            for block in bibtexparser.parse_string(piece, parse_stack=[]).blocks:
                if isinstance(block, model.DuplicateFieldKeyBlock):
                    block = block.ignore_error_block
                if not isinstance(block, model.Entry):
                    continue
                lowered = block.key.lower()
                # the parents whose first entry is in this piece
                if where.get(lowered) == spot and lowered not in entries.parents and lowered not in seen:
                    line = block.start_line + 1 + lines_before if block.start_line is not None else lines_before + 1
                    # its problems as a block are reported when the reading comes to it
                    fields = _entry_fields(block, line, [], source)
                    entries.parents[lowered] = resolve({"type": block.entry_type.lower(), "key": block.key,
                                                        "fields": fields, "line": line})
            break  # one piece
        for done in [k for k, v in where.items() if v == spot]:  # never read twice
            del where[done]
        return entries.parents.get(key)

    entries = _Entries(read_ahead)
    inheritance = _Inheritance(entries, limits, length)  # type: ignore[arg-type]
    passed: set[str] = set()  # parents whose own place in the file is read

    def release(key: str) -> None:
        """Let a parent go when it is read and so are all the entries that name it."""
        if remaining.get(key, 1) <= 0 and key in passed and key not in inheritance.problems:
            entries.parents.pop(key, None)
            inheritance.merged.pop(key, None)
            inheritance.depth.pop(key, None)
            passed.discard(key)
            del remaining[key]

    def used(key: str) -> None:
        if key in remaining:
            remaining[key] -= 1
            release(key)

    inheritance.used = used

    def items_of_piece(order: list[str]) -> Iterator[Problem | tuple[dict, int]]:
        for lowered in order:
            entry = entries.piece[lowered]
            if lowered in parents:
                passed.add(lowered)
            if entry["type"] in {"xdata", "set"}:
                release(lowered)
                continue  # containers of shared data, not works to cite
            entry_problems = [f"undefined @string macro {name!r}; its name is used as text"
                              for name in dict.fromkeys(entry["undefined"])]
            entry_problems.extend(entry["expansion"])
            fields = entry["fields"]
            if "crossref" in fields or "xdata" in fields:
                fields = inheritance.fields(lowered)
                entry_problems.extend(inheritance.problems.pop(lowered, []))
            if lowered in parents:
                release(lowered)
            record = BibEntry(entry["type"], entry["key"], dict(fields), entry_problems, entry["line"], source)
            if defer:  # converted (LaTeX decoded) where it is used: in a worker process of `bib --each`
                yield record, entry["line"]
                continue
            item, problems = record.convert()
            yield from problems
            if item is not None:
                yield item, entry["line"]
        # what is not a parent is not needed again
        for lowered in order:
            if lowered not in parents:
                inheritance.merged.pop(lowered, None)
                inheritance.depth.pop(lowered, None)
        entries.piece.clear()

    order: list[str] = []
    piece_lines: int | None = None
    block_problems: list[Problem] = []

    def add_entry(block: model.Entry, line: int) -> None:
        fields = _entry_fields(block, line, block_problems, source)
        lowered = block.key.lower()
        if lowered in seen:
            block_problems.append(Problem("duplicate entry key; the first entry with this key is kept",
                                          line, block.key, source, skipped=True))
            return
        if not seen.add(lowered) and not full:
            full.append(line)
            block_problems.append(_keys_full_problem(limits.stream_ids, "entry keys", line, source))
        if lowered in entries.parents:  # read ahead already
            entries.piece[lowered] = entries.parents[lowered]
        else:
            entry = resolve({"type": block.entry_type.lower(), "key": block.key, "fields": fields, "line": line})
            entries.piece[lowered] = entry
            if lowered in parents:
                entries.parents[lowered] = entry
        order.append(lowered)

    previous, previous_line = None, None
    for block, lines_before in _blocks(src.lines(), chunk):
        if lines_before != piece_lines:  # a new piece: the entries of the last one are read
            yield from block_problems
            block_problems.clear()
            yield from items_of_piece(order)
            order = []
            piece_lines = lines_before
        line = block.start_line + 1 + lines_before if block.start_line is not None else None
        if isinstance(block, model.ImplicitComment) and isinstance(previous, model.Entry) \
                and _FIELD_AFTER_END.match(block.raw or ""):
            # "title = {T}}," closed the entry early: what follows are its lost fields
            block_problems.append(Problem("the entry ends before its last fields (an extra closing brace?); "
                                          f"the text after it, line {line}, is not read",
                                          previous_line, previous.key, source))
        previous, previous_line = block, line
        if isinstance(block, model.Entry):
            add_entry(block, line or lines_before + 1)
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            fields = ", ".join(sorted(block.duplicate_keys))
            block_problems.append(Problem(f"field given more than once ({fields}); the first value is used",
                                          line, entry.key, source))
            add_entry(entry, line or lines_before + 1)
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            block_problems.append(Problem("duplicate entry key; the first entry with this key is kept",
                                          line, block.key, source, skipped=True))
        elif isinstance(block, model.ParsingFailedBlock):
            block_problems.append(Problem(_failure_message(block), line, _failed_key(block.raw),
                                          source, skipped=True))
    yield from block_problems
    yield from items_of_piece(order)
    # Problems met on the way in entries that are not cited themselves (@xdata, parents).
    for lowered, messages in inheritance.problems.items():
        entry = entries.parents.get(lowered)
        for message in messages:
            yield Problem(message, entry["line"] if entry else None, entry["key"] if entry else lowered, source)


def parse_bibtex(text: str, source: str | None = None, lines: list | None = None, *,
                 limits: Limits = DEFAULT_LIMITS) -> tuple[list[dict], list[Problem]]:
    """Read a .bib text: CSL-JSON items in file order, and the problems found.

    A broken entry is reported (line, key) and left out; the others are read. `lines`,
    when given, receives the line where each item's entry starts. Macro expansion and
    inheritance are bounded by `limits` (see citekit.readers.limits). `iter_bibtex`
    gives the same a record at a time.
    """
    return collect(iter_bibtex(text, source, limits=limits), lines)
