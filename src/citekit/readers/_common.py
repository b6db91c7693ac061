"""What the readers share: problems and errors, name splitting, date parsing, ids.

Every reader produces plain CSL-JSON dicts, which then go through citekit's one door
(`citekit.normalize`). Written names and dates follow its rules (reused here, not
copied); this module adds only what files and pages need beyond them: RIS name order
and the months of BibTeX.
"""

from __future__ import annotations

import re
from typing import Iterable

from citekit.csl import lazy
from citekit.errors import CitekitError
from citekit.normalize import MONTHS, DateProblem, read_date
from citekit.normalize import Problem as Problem  # one problem report for every door


# --------------------------------------------------------------------------- problems


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

def collect(found: Iterable, lines: list | None) -> tuple[list[dict], list[Problem]]:
    """A reader's stream of (item, line) pairs and Problems as the whole-file result:
    the items, the problems in line order, and each item's line in `lines` when given."""
    items: list[dict] = []
    problems: list[Problem] = []
    for one in found:
        if isinstance(one, Problem):
            problems.append(one)
        else:
            items.append(one[0])
            if lines is not None:
                lines.append(one[1])
    problems.sort(key=lambda p: p.line or 0)
    return items, problems


def _looks_like_org(text: str) -> bool:
    from citekit.normalize import looks_like_organisation

    return looks_like_organisation(text)


def _models_parse_name(text: str) -> dict | None:
    # citekit.normalize owns the rules for written names (the models' too); readers reuse them.
    from citekit.normalize import NameProblem, split_name

    try:
        return split_name(text)
    except NameProblem:
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

def month_number(text: str) -> int | None:
    """'dec', 'December', 'Dec.', '12' -> 12; None when it is no month."""
    t = text.strip().strip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(t)


def parse_date(text: str | None) -> dict | None:
    """A CSL date object from a date string by citekit's one date rule
    (`citekit.normalize.read_date`), or None if the rule does not read it."""
    if text is None:
        return None
    try:
        return read_date(str(text))
    except DateProblem:
        return None


def date_or_literal(text: str | None) -> dict | str | None:
    """Like parse_date, but a string the rule does not read is returned as it is, so that
    the one door (`citekit.normalize`) keeps it as written or refuses it, and says so."""
    if text is None or not str(text).strip():
        return None
    return parse_date(text) or " ".join(str(text).split())


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
    return unique_id(id_stem(item), taken)


def id_stem(item: dict) -> str:
    """The stem of `make_id`'s id ('zissis2006'), before it is made unique."""
    from citekit.normalize import slug as _slug  # the models' transliterating slug, so ids agree

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
    return stem


def unique_id(stem: str, taken: set[str]) -> str:
    """`stem`, else `stem` with letters ('a', 'b' ...), not in `taken` (and now in it)."""
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

_DOI_PREFIX = lazy.pattern(globals(), "_DOI_PREFIX",
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def clean_doi(value: str) -> str:
    """'https://doi.org/10.1/x' and 'doi:10.1/x' -> '10.1/x' (styles add their own prefix)."""
    return _DOI_PREFIX.sub("", value.strip())


def normalize_page_range(value: str) -> str:
    """'10--20' or '10–20' -> '10-20': CSL page-range formatting expects a hyphen."""
    value = re.sub(r"\s*(?:--+|[\u2012\u2013\u2014\u2212])\s*", "-", value.strip())
    return re.sub(r"\s*-\s*", "-", value)


def collapse_ws(text: str) -> str:
    return " ".join(text.split())
