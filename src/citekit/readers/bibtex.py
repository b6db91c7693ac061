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
from typing import Any

from ._common import (
    Problem,
    clean_doi,
    date_or_literal,
    language_code,
    month_number,
    normalize_page_range,
)
from ._latex import latex_to_plain, latex_to_text, unescape_url

__all__ = ["parse_bibtex", "TYPE_MAP"]

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
        if ch == "{":
            depth = 0
            while i < n:
                if raw[i] == "{" and (i == 0 or raw[i - 1] != "\\"):
                    depth += 1
                elif raw[i] == "}" and raw[i - 1] != "\\":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if i >= n:
                return None
            i += 1
        elif ch == '"':
            i += 1
            depth = 0
            while i < n:
                c = raw[i]
                if c == "{" and raw[i - 1] != "\\":
                    depth += 1
                elif c == "}" and raw[i - 1] != "\\":
                    depth -= 1
                elif c == '"' and depth == 0 and raw[i - 1] != "\\":
                    break
                i += 1
            if i >= n:
                return None
            i += 1
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


def _resolve(raw: str, strings: dict[str, str], undefined: list[str]) -> str:
    """Expand a raw value: strip enclosures, look up macros, join `#` pieces."""
    if not isinstance(raw, str):
        return str(raw)
    pieces = _split_value(raw)
    if pieces is None:
        return raw.strip()
    out = []
    for piece in pieces:
        if piece[:1] in "{\"" and len(piece) >= 2:
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        else:
            name = piece.lower()
            if name in strings:
                out.append(strings[name])
            elif name in _PREDEFINED:
                out.append(_PREDEFINED[name])
            else:
                undefined.append(piece)
                out.append(piece)
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


def _inherit(key: str, entries: dict[str, dict], problems: list[tuple[str, str]],
             seen: frozenset = frozenset()) -> dict[str, str]:
    """The entry's fields with those of its crossref/xdata parents merged in."""
    entry = entries[key]
    fields = dict(entry["fields"])
    if key in seen or len(seen) > 32:  # a cycle, or a chain no real file has
        problems.append((entry["key"], "crossref/xdata cycle; inheritance stopped"))
        return fields
    seen = seen | {key}
    inherited: dict[str, str] = {}
    for ref in [r.strip() for r in fields.get("xdata", "").split(",") if r.strip()]:
        if ref.lower() not in entries:
            problems.append((entry["key"], f"xdata entry {ref!r} not found"))
            continue
        for k, v in _inherit(ref.lower(), entries, problems, seen).items():
            if k not in _NOT_INHERITED:
                inherited.setdefault(k, v)
    parent_key = fields.get("crossref", "").strip()
    if parent_key:
        parent = entries.get(parent_key.lower())
        if parent is None:
            problems.append((entry["key"], f"crossref entry {parent_key!r} not found"))
        else:
            data = {k: v for k, v in _inherit(parent_key.lower(), entries, problems, seen).items()
                    if k not in _NOT_INHERITED}
            ptype, ctype = parent["type"], entry["type"]
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
                          source: str | None) -> list[tuple[str, Any]]:
    """A field whose value swallowed the next field (a missing comma: `a = {x}⏎ b = {y}`)
    read as the two fields it is, and reported."""
    out: list[tuple[str, Any]] = []
    while isinstance(raw, str) and _split_value(raw) is None:
        end = _first_piece_end(raw)
        m = _NEXT_FIELD.match(raw, end) if end is not None else None
        if not m:
            break
        line = (block.start_line or 0) + 1 + raw.count("\n", 0, end)
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


def parse_bibtex(text: str, source: str | None = None, lines: list | None = None
                 ) -> tuple[list[dict], list[Problem]]:
    """Read a .bib text: CSL-JSON items in file order, and the problems found.

    A broken entry is reported (line, key) and left out; the others are read. `lines`,
    when given, receives the line where each item's entry starts.
    """
    import bibtexparser
    from bibtexparser import model

    if text.startswith("\ufeff"):
        text = text[1:]
    # An empty parse stack keeps values raw: macros, `#` and braces are ours to read.
    library = bibtexparser.parse_string(text, parse_stack=[])
    problems: list[Problem] = []
    strings: dict[str, str] = {}
    entries: dict[str, dict] = {}
    order: list[str] = []

    def add_entry(block: model.Entry) -> None:
        fields: dict[str, str] = {}
        for fld in block.fields:
            for key, value in _split_missing_commas(fld.key, fld.value, problems, block, source):
                fields.setdefault(key.lower(), value)  # the first of repeated fields wins
        lowered = block.key.lower()
        if lowered in entries:  # BibTeX keys are case-insensitive
            problems.append(Problem("duplicate entry key; the first entry with this key is kept",
                                    (block.start_line or 0) + 1, block.key, source, skipped=True))
            return
        entries[lowered] = {"type": block.entry_type.lower(), "key": block.key,
                            "fields": fields, "line": (block.start_line or 0) + 1}
        order.append(lowered)

    previous = None
    for block in library.blocks:
        line = block.start_line + 1 if block.start_line is not None else None
        if isinstance(block, model.ImplicitComment) and isinstance(previous, model.Entry) \
                and _FIELD_AFTER_END.match(block.raw or ""):
            # "title = {T}}," closed the entry early: what follows are its lost fields
            problems.append(Problem("the entry ends before its last fields (an extra closing brace?); "
                                    f"the text after it, line {line}, is not read",
                                    (previous.start_line or 0) + 1, previous.key, source))
        previous = block
        if isinstance(block, model.String):
            undefined: list[str] = []
            strings[block.key.lower()] = _resolve(block.value, strings, undefined)
            for name in undefined:
                problems.append(Problem(f"undefined @string macro {name!r}", line,
                                        f"@string {block.key}", source))
        elif isinstance(block, model.Entry):
            add_entry(block)
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            fields = ", ".join(sorted(block.duplicate_keys))
            problems.append(Problem(f"field given more than once ({fields}); the first value is used",
                                    line, entry.key, source))
            add_entry(entry)
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            problems.append(Problem("duplicate entry key; the first entry with this key is kept",
                                    line, block.key, source, skipped=True))
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(Problem(_failure_message(block), line, _failed_key(block.raw),
                                    source, skipped=True))

    # Resolve macros once for every entry; inheritance then works on resolved values.
    undefined_by_entry: dict[str, list[str]] = {}
    resolved_entries: dict[str, dict] = {}
    for lowered, entry in entries.items():
        undefined = []
        fields = {k: _resolve(v, strings, undefined) for k, v in entry["fields"].items()}
        undefined_by_entry[lowered] = undefined
        resolved_entries[lowered] = {**entry, "fields": fields}

    items: list[dict] = []
    for lowered in order:
        entry = resolved_entries[lowered]
        if entry["type"] in {"xdata", "set"}:
            continue  # containers of shared data, not works to cite
        entry_problems = [f"undefined @string macro {name!r}; its name is used as text"
                          for name in dict.fromkeys(undefined_by_entry[lowered])]
        fields = entry["fields"]
        if "crossref" in fields or "xdata" in fields:
            inherit_problems: list[tuple[str, str]] = []
            fields = _inherit(lowered, resolved_entries, inherit_problems)
            entry_problems.extend(msg for _, msg in inherit_problems)
        try:
            item = entry_to_csl(entry["type"], entry["key"], fields, entry_problems)
        except Exception as exc:  # defensive: one odd entry must not stop the file
            problems.append(Problem(f"could not be read ({exc})", entry["line"], entry["key"],
                                    source, skipped=True))
            continue
        for msg in entry_problems:
            problems.append(Problem(msg, entry["line"], entry["key"], source))
        items.append(item)
        if lines is not None:
            lines.append(entry["line"])
    problems.sort(key=lambda p: (p.line or 0))
    return items, problems
