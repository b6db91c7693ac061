"""What the readers share: problems and errors, name splitting, date parsing, ids.

Every reader produces plain CSL-JSON dicts. Written names and ISO/EDTF dates follow
citekit.models' own rules (reused here, not copied); this module adds only what
files and pages need beyond them: organisation names, RIS name order, and the date
forms of Highwire tags, RIS and web pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from citekit.errors import CitekitError


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the input: where it is, which record, and what happened.

    `skipped` tells whether the record was left out (a broken entry) or read with
    the offending part dropped or repaired (an undefined macro, a bad date ...).
    """

    message: str
    line: int | None = None
    key: str | None = None
    source: str | None = None
    skipped: bool = False

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: "
        if self.key:
            text += f"{self.key}: "
        text += self.message
        if self.skipped:
            text += " (skipped)"
        return text


class ReaderError(CitekitError, ValueError):
    """Input that cannot be read: unknown format, missing file, or (when strict) a bad record.

    `problems` lists every problem found, each with its line and record key.
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()):
        super().__init__(message)
        self.problems: list[Problem] = list(problems)


class ReadWarning(UserWarning):
    """Issued by the non-strict `read()` for each problem, so none goes unnoticed."""


# --------------------------------------------------------------------------- names

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd", "4th", "esq", "esq."}

# Words that mark a free-text author string as an organisation, not a person.
_ORG_WORDS = {
    "agency", "association", "board", "bureau", "center", "centre", "college", "commission",
    "committee", "company", "corporation", "council", "department", "editors", "foundation",
    "group", "inc", "inc.", "institute", "institution", "laboratory", "league", "ltd", "ltd.",
    "ministry", "museum", "network", "news", "office", "organisation", "organization", "press",
    "program", "programme", "project", "service", "society", "staff", "team", "university",
}


def _looks_like_org(text: str) -> bool:
    words = [w.strip(",.&()").lower() for w in text.split()]
    return any(w in _ORG_WORDS for w in words) or "&" in text


def _models_parse_name(text: str) -> dict | None:
    # citekit.models owns the rules for written names; readers reuse them.
    from citekit.models import parse_name as models_parse_name

    try:
        return models_parse_name(text)
    except ValueError:  # pydantic's PydanticCustomError is a ValueError
        return None


def parse_name(text: str, *, order: str = "auto") -> dict | None:
    """Split a free-text name into CSL parts, with citekit.models' rules for persons.

    `order="auto"` (web pages, YAML) reads "Carin Zissis", "Zissis, Carin",
    "Martin Luther King, Jr." ...; a single word or an organisation-like string
    ("Council on Foreign Relations", "Reuters") becomes a `literal` name.
    `order="ris"` reads RIS's "Family, Given, Suffix"; a RIS name without a comma
    is one undivided name (a `literal`), as Zotero reads it. Returns None for an
    empty string; a name no rule can split is kept whole as a `literal`.
    """
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,;")
    if not text:
        return None
    has_comma = "," in text
    if not has_comma:
        if order == "ris" or " " not in text or _looks_like_org(text):
            return {"literal": text}
    elif order == "ris":
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        if len(pieces) >= 3 and pieces[2].lower() not in _SUFFIXES:
            # "Family, Given, MD": RIS puts any suffix third.
            name = _models_parse_name(f"{pieces[0]}, {pieces[1]}")
            if name is not None:
                return {**name, "suffix": ", ".join(pieces[2:])}
    return _models_parse_name(text) or {"literal": text}


# --------------------------------------------------------------------------- dates

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# EDTF seasons 21-24 (spring .. winter), which CSL carries as a "season" value.
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_ISO = re.compile(r"(-?\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T[\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})?(?:/(\d{1,2})?)?(?:/.*)?")
_WORD_DATE = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]+)\.?,?\s+(\d{4})"   # 19 December 2006
    r"|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"        # December 19, 2006
    r"|([a-z]+)\.?,?\s+(\d{4}))"                                    # December 2006
    r"(?:[\sT,]+[\d:.]+(?:\s*(?:am|pm))?(?:\s*(?:[a-z]{1,5}|[+-]\d{4}))?)?",
)


def month_number(text: str) -> int | None:
    """'dec', 'December', 'Dec.', '12' -> 12; None when it is no month."""
    t = text.strip().strip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(t)


def _valid(y: int, m: int | None, d: int | None) -> list[int] | None:
    if m is None:
        return [y]
    if not 1 <= m <= 12:
        return None
    if d is None:
        return [y, m]
    if not 1 <= d <= 31:
        return None
    return [y, m, d]


def _one_date(text: str) -> tuple[list[int] | None, dict]:
    """Parse a single date (no range); returns (date-parts, extra keys such as circa)."""
    extra: dict[str, Any] = {}
    t = text.strip()
    if t.endswith(("~", "?", "%")):
        # EDTF qualifiers: ~ approximate, ? uncertain, % both; CSL only knows circa.
        extra["circa"] = True
        t = t[:-1]
    t = t.replace("\u00a0", " ").strip()
    low = t.lower()
    m = _ISO.fullmatch(t)
    if m:
        y = int(m.group(1))
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) else None
        if mo is not None and 21 <= mo <= 24 and d is None:
            extra["season"] = mo - 20
            return [y], extra
        return _valid(y, mo, d), extra
    m = _COMPACT.fullmatch(t)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))), extra
    m = _SLASHED.fullmatch(t)
    if m:
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) and mo else None
        return _valid(int(m.group(1)), mo, d), extra
    for season, n in _SEASONS.items():
        sm = re.fullmatch(rf"{season}\s+(\d{{4}})", low)
        if sm:
            extra["season"] = n
            return [int(sm.group(1))], extra
    m = _WORD_DATE.fullmatch(low)
    if m:
        if m.group(1):
            mo = MONTHS.get(m.group(2))
            return (_valid(int(m.group(3)), mo, int(m.group(1))) if mo else None), extra
        if m.group(4):
            mo = MONTHS.get(m.group(4))
            return (_valid(int(m.group(6)), mo, int(m.group(5))) if mo else None), extra
        mo = MONTHS.get(m.group(7))
        return (_valid(int(m.group(8)), mo, None) if mo else None), extra
    return None, extra


def _models_parse_date(text: str) -> dict | None:
    from citekit.models import parse_date as models_parse_date

    try:
        return models_parse_date(text)
    except ValueError:
        return None


_MAX_DATE_CHARS = 100  # "Tuesday, 19 December 2006 10:00:00 GMT / Wednesday, ..." fits


def parse_date(text: str | None) -> dict | None:
    """A CSL date object from a date string, or None if it is not a date we can read.

    Reads ISO 8601 dates and datetimes (the time is dropped, the date kept as written),
    EDTF years, months, seasons, `~`/`?` qualifiers and `/` ranges, Highwire and RIS
    `YYYY/MM/DD` forms, and English forms such as "19 December 2006", "Dec. 19, 2006"
    or "Tue, 19 Dec 2006 10:00:00 GMT".
    """
    if text is None:
        return None
    t = " ".join(str(text).split())
    if not t or len(t) > _MAX_DATE_CHARS:  # no date is this long; the patterns below would be slow
        return None
    # ISO 8601 / EDTF is citekit.models' format; the rest are the forms pages and RIS use.
    parsed = _models_parse_date(t)
    if parsed is not None:
        return parsed
    # An EDTF range has a four-digit year on both sides of the slash.
    rm = re.fullmatch(r"(\S*\d{4}\S*)\s*/\s*(\S*\d{4}\S*|\.\.)?", t)
    if rm and not _SLASHED.fullmatch(t):
        start, extra = _one_date(rm.group(1))
        end_text = rm.group(2)
        if start is None:
            return None
        if not end_text or end_text == "..":
            return {"date-parts": [start], **extra}
        end, _ = _one_date(end_text)
        if end is None:
            return None
        return {"date-parts": [start, end], **extra}
    parts, extra = _one_date(t)
    if parts is None:
        return None
    return {"date-parts": [parts], **extra}


def date_or_literal(text: str | None) -> dict | None:
    """Like parse_date, but keeps an unreadable non-empty value as a literal date."""
    if text is None or not str(text).strip():
        return None
    return parse_date(text) or {"literal": " ".join(str(text).split())}


# babel/polyglossia language names (`langid`, often `language`) -> BCP 47, which
# CSL needs to decide for instance whether title case applies (English only).
LANGUAGES = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB",
    "ukenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ",
    "german": "de", "ngerman": "de", "austrian": "de-AT", "naustrian": "de-AT",
    "swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr", "francais": "fr",
    "spanish": "es", "catalan": "ca", "italian": "it", "portuguese": "pt", "portuges": "pt",
    "brazil": "pt-BR", "brazilian": "pt-BR", "dutch": "nl", "danish": "da", "swedish": "sv",
    "norwegian": "nb", "norsk": "nb", "nynorsk": "nn", "finnish": "fi", "icelandic": "is",
    "polish": "pl", "czech": "cs", "slovak": "sk", "slovene": "sl", "croatian": "hr",
    "serbian": "sr", "russian": "ru", "ukrainian": "uk", "bulgarian": "bg", "greek": "el",
    "turkish": "tr", "hungarian": "hu", "romanian": "ro", "latin": "la", "hebrew": "he",
    "arabic": "ar", "japanese": "ja", "chinese": "zh", "korean": "ko", "estonian": "et",
    "latvian": "lv", "lithuanian": "lt", "basque": "eu", "galician": "gl", "irish": "ga",
    "welsh": "cy", "afrikaans": "af", "indonesian": "id", "vietnamese": "vi",
}
# ISO 639-2 codes some exporters write (RIS LA fields, MARC-derived data).
LANGUAGES.update({
    "eng": "en", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "spa": "es", "ita": "it",
    "por": "pt", "dut": "nl", "nld": "nl", "rus": "ru", "jpn": "ja", "chi": "zh", "zho": "zh",
    "swe": "sv", "dan": "da", "nor": "nb", "fin": "fi", "pol": "pl", "cze": "cs", "ces": "cs",
    "tur": "tr", "gre": "el", "ell": "el", "lat": "la", "ara": "ar", "heb": "he", "kor": "ko",
})


def language_code(value: str) -> str:
    """'english' / 'English' / 'eng' -> 'en'; an unknown value is kept as written."""
    text = " ".join(value.split())
    return LANGUAGES.get(text.lower().replace(" ", ""), text)


# --------------------------------------------------------------------------- ids


def make_id(item: dict, taken: set[str]) -> str:
    """A readable, unique id such as 'zissis2006' (then 'zissis2006a', ...).

    The stem follows `Brief.default_id`: the first author's (or editor's) whole
    family name, or an organisation's first word, then the year.
    """
    from citekit.models import _slug  # the models' transliterating slug, so ids agree

    stem = ""
    for role in ("author", "editor"):
        names = item.get(role)
        if names:
            first = names[0]
            stem = _slug(first.get("family") or (first.get("literal") or first.get("given") or "").split(" ")[0])
            break
    if not stem and isinstance(item.get("title"), str):
        words = re.findall(r"\w+", item["title"])
        stem = _slug(next((w for w in words if len(w) > 3), words[0] if words else ""))
    stem = stem or "item"
    issued = item.get("issued") or {}
    try:
        stem += str(int(issued["date-parts"][0][0]))
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    candidate, n = stem, 0
    while candidate in taken:
        candidate = stem + _suffix_letters(n)
        n += 1
    taken.add(candidate)
    return candidate


def _suffix_letters(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return letters


# --------------------------------------------------------------------------- small helpers

_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def clean_doi(value: str) -> str:
    """'https://doi.org/10.1/x' and 'doi:10.1/x' -> '10.1/x' (styles add their own prefix)."""
    return _DOI_PREFIX.sub("", value.strip())


def normalize_page_range(value: str) -> str:
    """'10--20' or '10–20' -> '10-20': CSL page-range formatting expects a hyphen."""
    value = re.sub(r"\s*(?:--+|[\u2012\u2013\u2014\u2212])\s*", "-", value.strip())
    return re.sub(r"\s*-\s*", "-", value)


def collapse_ws(text: str) -> str:
    return " ".join(text.split())
