"""One door for data: every entry point reads, checks and reports references here.

Models (`Reference`, `Brief`, `Name`, `Date`), `cite()`/`render()`/`bibliography()`/
`Document`, every reader (`citekit.read`) and the command pass their records through
`check_items()` (many records) or `check_item()` (one), with one policy per field:

- names: a list of names or one name; a written name ("Zissis, Carin", "Carin Zissis",
  "{Council on Foreign Relations}") is split by `citekit.models.parse_name`; a name that
  reads as an organisation ("Council on Foreign Relations") is kept whole (a literal);
- dates: see `read_date`: read exactly, kept as written (a literal), or refused;
- numbers: whole numbers or text; NaN and infinities are refused;
- ids: compared as the engine keys them (`1` and `"1"` are one id);
- URLs: `javascript:`, `data:`, `vbscript:` and `file:` are refused;
- unknown fields: refused (with the closest field name) in strict mode, kept and
  reported in lenient mode.

`strict=True` (the models, `cite()`, `citation()`, `bibliography()`, `read(strict=True)`,
`citekit --strict`) raises `ItemError` at the first problem. `strict=False` (`render()`,
`Document`, `load()`, `read()`, the command) repairs what it can, leaves out what it
cannot, and reports each change as a `Problem` naming source, line, record, field and
what was done.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from .csl import lazy
from .csl.record import record
from ._vocabulary import (
    BRIEF_KEYS,
    DATE_VARIABLES,
    MODEL_ALIASES,
    MODEL_FIELDS,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    REFERENCE_KEYS,
    STANDARD_VARIABLES,
    csl_alias,
)
from .errors import ItemError

__all__ = ["Problem", "DateProblem", "read_date", "name_from_text", "split_name", "NameProblem", "check_item",
           "check_items", "id_key", "STATUS_DATES", "UNSAFE_URL_SCHEMES"]


# --------------------------------------------------------------------------- problems


@record(frozen=True)
class Problem:
    """One thing wrong in the input: where it is, which record and field, and what was done.

    `skipped` tells whether the record was left out (a value in it was refused), as
    opposed to read with the offending part repaired, kept as written, or left out (the
    message says which). `str(problem)` reads `file:line: key: field: message`.
    """

    message: str
    line: int | None = None
    key: str | None = None
    source: str | None = None
    skipped: bool = False
    field: str | None = None
    position: int | None = None

    def __str__(self) -> str:
        where = self.source or ("<input>" if self.line is not None else "")
        if self.line is not None:
            where += f":{self.line}"
        parts = [where] if where else []
        if self.key:
            parts.append(self.key)
        elif self.position is not None:
            parts.append(f"item {self.position}")
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": " + self.message
        if self.skipped:
            text += " (skipped)"
        return text


# --------------------------------------------------------------------------- dates

# Words that say a work has no date (yet): kept as written, never a problem.
STATUS_DATES = {"in press", "forthcoming", "n.d.", "n. d.", "nd", "no date", "undated", "in preparation",
                "to appear", "accepted", "submitted", "unpublished", "s.d.", "o.j."}

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_ISO_SHAPE = lazy.pattern(globals(), "_ISO_SHAPE", r"-?\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?[~?%]?")
_ISO = re.compile(r"(-?\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_COMPACT = lazy.pattern(globals(), "_COMPACT", r"(\d{4})(\d{2})(\d{2})(?:T[\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_SLASHED = lazy.pattern(globals(), "_SLASHED", r"(\d{4})/(\d{1,2})?(?:/(\d{1,2})?)?(?:/.*)?")
_WORD_DATE = lazy.pattern(
    globals(), "_WORD_DATE",
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]+)\.?,?\s+(\d{4})"   # 19 December 2006
    r"|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"        # December 19, 2006 / Dec 19 2006
    r"|([a-z]+)\.?,?\s+(\d{4}))"                                    # December 2006, Spring 2006
    r"(?:[\sT,]+[\d:.]+(?:\s*(?:am|pm))?(?:\s*(?:[a-z]{1,5}|[+-]\d{4}))?)?",
)
DATE_FORMS = ("an ISO 8601 / EDTF date such as 2006-12-19, 2006-12, 2006, 2006~ or 2004/2006, "
              "2006/12/19, or English with the month as a word (19 December 2006, Dec. 19, 2006, December 2006)")


class DateProblem(ValueError):
    """A date string citekit does not read. `impossible`: refused everywhere (a date that
    cannot exist, such as month 13; numbers alone in an order that would have to be guessed,
    such as 19/12/2006); otherwise text no rule reads ("next tuesday"), which the lenient
    doors keep as written (a literal date)."""

    def __init__(self, message: str, impossible: bool):
        super().__init__(message)
        self.impossible = impossible


def _impossible(text: str, why: str) -> DateProblem:
    return DateProblem(f"{text!r} is no date ({why})", True)


def _checked(text: str, y: int, m: int | None, d: int | None) -> list[int]:
    if m is None:
        return [y]
    if not 1 <= m <= 12:
        raise _impossible(text, f"no month {m}")
    if d is None:
        return [y, m]
    try:
        _dt.date(2000 if y <= 0 else y, m, d)
    except ValueError:
        raise _impossible(text, f"no day {d} in month {m}") from None
    return [y, m, d]


def _point(t: str, whole: str) -> tuple[list[int] | None, dict[str, Any]]:
    """One date (no range) → (date-parts, extra keys); None when no form matches."""
    extra: dict[str, Any] = {}
    if t.endswith(("~", "?", "%")):
        # EDTF qualifiers: ~ approximate, ? uncertain, % both; CSL only knows circa.
        extra["circa"] = True
        t = t[:-1].strip()
    low = t.lower()
    m = _ISO.fullmatch(t)
    if m:
        y = int(m.group(1))
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) else None
        if mo is not None and 21 <= mo <= 24 and d is None:
            extra["season"] = mo - 20
            return [y], extra
        return _checked(whole, y, mo, d), extra
    m = _COMPACT.fullmatch(t)
    if m:
        return _checked(whole, int(m.group(1)), int(m.group(2)), int(m.group(3))), extra
    m = _SLASHED.fullmatch(t)
    if m:
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) and mo else None
        return _checked(whole, int(m.group(1)), mo, d), extra
    m = _WORD_DATE.fullmatch(low)
    if m:
        if m.group(1):
            word, year, day = m.group(2), m.group(3), int(m.group(1))
        elif m.group(4):
            word, year, day = m.group(4), m.group(6), int(m.group(5))
        else:
            word, year, day = m.group(7), m.group(8), None
        if word in SEASONS and day is None:
            extra["season"] = SEASONS[word]
            return [int(year)], extra
        month = MONTHS.get(word)
        if month is None:
            return None, extra
        return _checked(whole, int(year), month, day), extra
    return None, extra


def read_date(text: str) -> dict[str, Any]:
    """A date string as a CSL-JSON date object, by the one date rule of citekit.

    Read: ISO 8601 / EDTF levels 0 and 1 (2006-12-19, 2006-12, 2006, 2006~, 2006?,
    2004/2006, seasons 2006-21..24, -0044-03-15), a time after the date (dropped),
    20061219, 2006/12/19, and English dates with the month as a word ("19 December
    2006", "Dec. 19, 2006", "Dec 19 2006", "December 2006", "Spring 2006", "Tue, 19 Dec
    2006 10:00:00 GMT"). The words in `STATUS_DATES` ("in press", "forthcoming", "n.d.")
    become a literal date. Anything else raises `DateProblem`: `.impossible` for a date
    that cannot exist (month 13, 30 February, a range that ends before it starts) and for
    numbers in another order ("19/12/2006" is not guessed), otherwise for text no rule
    reads ("next tuesday").

        read_date("Dec 19 2006")   # {"date-parts": [[2006, 12, 19]]}
    """
    t = " ".join(str(text).replace("\u00a0", " ").split())
    if not t:
        raise DateProblem("an empty date", False)
    if t.lower() in STATUS_DATES:
        return {"literal": t}
    if "T" in t and _ISO_SHAPE.match(t):
        t = t.split("T", 1)[0]
    if t.count("/") == 1 and not _SLASHED.fullmatch(t):  # a range: 2004/2006, 2004-03/2004-05, 2004/..
        first, last = (e.strip() for e in t.split("/"))
        start, extra = _point(first, t)
        end, extra_end = _point(last, t) if last and last != ".." else ([], {})
        if start is None or end is None:
            raise DateProblem(f"{t!r} is not a date citekit reads", False)
        if not end:
            return {"date-parts": [start], **extra}
        if end < start[:len(end)]:
            raise _impossible(t, "the range ends before it starts")
        out: dict[str, Any] = {"date-parts": [start, end], **extra}
        if extra_end.get("circa"):
            out["circa"] = True
        return out
    parts, extra = _point(t, t)
    if parts is None:
        if re.fullmatch(r"[\d\s./,-]+", t) and re.search(r"\d", t):
            # 19/12/2006 or 12/19/2006? Numbers alone in another order are never guessed.
            raise DateProblem(f"{t!r} is not a date citekit reads (which number is the day, which the month?); "
                              "write it year first, as 2006-12-19", True)
        raise DateProblem(f"{t!r} is not a date citekit reads", False)
    return {"date-parts": [parts], **extra}


def date_value(value: Any) -> Any:
    """The shortcuts people write for a date, as a CSL-JSON date object (strings by
    `read_date`, which may raise `DateProblem`); other values are returned unchanged."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return {"date-parts": [[int(value)]]}
    if isinstance(value, str):
        return read_date(value)
    if isinstance(value, Mapping) and "date-parts" not in value and "year" in value:
        # pandoc-citeproc's YAML shorthand {year: 2006, month: 12, day: 19}
        rest = dict(value)
        parts = [rest.pop(k) for k in ("year", "month", "day") if k in rest]
        return {**rest, "date-parts": [parts]}
    return value


# --------------------------------------------------------------------------- names

# Words that mark a written name as an organisation, kept whole (a literal name).
_ORG_WORDS = {
    "agency", "association", "board", "bureau", "center", "centre", "college", "commission",
    "committee", "company", "corporation", "council", "department", "editors", "foundation",
    "group", "inc", "inc.", "institute", "institution", "laboratory", "league", "ltd", "ltd.",
    "ministry", "museum", "network", "news", "office", "organisation", "organization", "press",
    "program", "programme", "project", "service", "society", "staff", "team", "university",
}


def looks_like_organisation(text: str) -> bool:
    words = [w.strip(",.&()").lower() for w in text.split()]
    return any(w in _ORG_WORDS for w in words) or "&" in text


class NameProblem(ValueError):
    """A written name the name rule cannot split. `kind`, `template` and `context` are
    how the models report it (a PydanticCustomError of that type and message)."""

    def __init__(self, kind: str, template: str, context: dict[str, Any] | None = None):
        self.kind, self.template, self.context = kind, template, dict(context or {})
        message = template
        for key, value in self.context.items():
            message = message.replace("{" + key + "}", str(value))
        super().__init__(message)

    def as_pydantic(self) -> Exception:
        from pydantic_core import PydanticCustomError

        return PydanticCustomError(self.kind, self.template, self.context)


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "esq", "esq.", "2nd", "3rd"}


def _is_suffix(word: str) -> bool:
    return word.strip().lower() in _SUFFIXES


def _is_particle(word: str) -> bool:
    # Particles are the lower-case words of a name ("van", "de", "von der"), as in BibTeX.
    return word[:1].islower()


def _split_direct(text: str) -> dict[str, str]:
    """"Given [particles] Family" → name parts; lower-case middle words are dropping particles."""
    words = text.split()
    if len(words) == 1:
        return {"family": words[0]}
    # The first word is always given and the last always family; particles sit between.
    middle = [i for i in range(1, len(words) - 1) if _is_particle(words[i])]
    if not middle:
        return {"given": " ".join(words[:-1]), "family": words[-1]}
    first, last = middle[0], middle[-1]
    return {
        "given": " ".join(words[:first]),
        "dropping-particle": " ".join(words[first:last + 1]),
        "family": " ".join(words[last + 1:]),
    }


def _split_family(text: str) -> dict[str, str]:
    """The family part of an inverted name; leading lower-case words stay with it (non-dropping)."""
    words = text.split()
    lead = 0
    while lead < len(words) - 1 and _is_particle(words[lead]):
        lead += 1
    parts = {"family": " ".join(words[lead:])}
    if lead:
        parts["non-dropping-particle"] = " ".join(words[:lead])
    return parts


def _split_given(text: str) -> dict[str, str]:
    """The given part of an inverted name; trailing lower-case words are dropping particles."""
    words = text.split()
    end = len(words)
    while end > 1 and _is_particle(words[end - 1]):
        end -= 1
    parts = {}
    if words[:end]:
        parts["given"] = " ".join(words[:end])
    if words[end:]:
        parts["dropping-particle"] = " ".join(words[end:])
    return parts


def split_name(text: str) -> dict[str, str]:
    """Split a written name into CSL name parts (`citekit.models.parse_name`); raises
    `NameProblem` for text it cannot split.

    "Carin Zissis", "Zissis, Carin", "Ludwig van Beethoven" (dropping particle),
    "van Gogh, Vincent" (non-dropping particle), "Martin Luther King, Jr.",
    "King, Martin Luther, Jr.", and "{Council on Foreign Relations}" (braces: a literal
    name, for organisations) are understood.
    """
    s = " ".join(text.split())
    if not s:
        raise NameProblem("name_empty", "expected a name such as 'Carin Zissis' or 'Zissis, Carin', got an empty string")
    if s.startswith("{") and s.endswith("}") and len(s) > 2:
        return {"literal": s[1:-1].strip()}
    parts = [p.strip() for p in s.split(",")]
    if any(not p for p in parts) or len(parts) > 3:
        raise NameProblem(
            "name_form",
            "expected a name such as 'Carin Zissis', 'Zissis, Carin' or 'King, Martin Luther, Jr.', got {input}",
            {"input": safe_repr(text)},
        )
    if len(parts) == 1:
        words = parts[0].split()
        if len(words) > 2 and _is_suffix(words[-1]):  # "Martin Luther King Jr."
            return {**_split_direct(" ".join(words[:-1])), "suffix": words[-1]}
        return _split_direct(parts[0])
    if len(parts) == 2:
        head, tail = parts
        if _is_suffix(tail):  # "Martin Luther King, Jr."
            return {**_split_direct(head), "suffix": tail}
        return {**_split_family(head), **_split_given(tail)}
    family, middle, last = parts
    if _is_suffix(middle):  # BibTeX order: "King, Jr., Martin Luther"
        return {**_split_family(family), **_split_given(last), "suffix": middle}
    if _is_suffix(last):
        return {**_split_family(family), **_split_given(middle), "suffix": last}
    raise NameProblem(
        "name_form",
        "expected at most one comma, or 'Family, Given, Jr.'; got {input}",
        {"input": safe_repr(text)},
    )


def name_from_text(text: str) -> dict[str, str]:
    """A written name as CSL name parts, by the one name rule of citekit.

    "{...}" (braces) and organisation-like names without a comma ("Council on Foreign
    Relations", "Smith & Sons") are literal names; others are split by `split_name`
    ("Zissis, Carin", "Carin Zissis", "King, Martin Luther, Jr."), which raises
    `NameProblem` (a ValueError) for text it cannot split.
    """
    s = " ".join(text.split())
    if s and "," not in s and not s.startswith("{") and looks_like_organisation(s):
        return {"literal": s}
    return split_name(s)


# --------------------------------------------------------------------------- ids and URLs

UNSAFE_URL_SCHEMES = ("javascript", "data", "vbscript", "file")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")
_URL_BLANKS = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore them inside a scheme
URL_FIELDS = ("URL", "url")


def unsafe_url(value: Any) -> bool:
    """True for a javascript:, data:, vbscript: or file: URL (control characters and
    spaces inside the scheme, which browsers ignore, do not hide it)."""
    if not isinstance(value, str) or ":" not in value:
        return False  # (no scheme without a colon, and removing characters adds none)
    cleaned = _URL_BLANKS.sub("", value)
    m = _SCHEME.match(cleaned)
    return bool(m) and m.group(1).lower() in UNSAFE_URL_SCHEMES


# CSL 1.0.2's locator terms (and citeproc-js's spelling "sub verbo").
LOCATOR_LABELS = ("act", "appendix", "article-locator", "book", "canon", "chapter", "column", "elocation",
                  "equation", "figure", "folio", "issue", "line", "note", "opus", "page", "paragraph", "part",
                  "rule", "scene", "section", "sub-verbo", "supplement", "table", "timestamp", "title-locator",
                  "verse", "version", "volume")


def check_label(label: Any) -> str | None:
    """None for a CSL locator label, else what is wrong with it (with the closest labels)."""
    if label in (None, "") or label in LOCATOR_LABELS or label == "sub verbo":
        return None
    import difflib  # for messages only: not imported at start-up

    close = difflib.get_close_matches(str(label), LOCATOR_LABELS, n=2, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    return f"unknown locator label {label!r}; {hint}the CSL labels are {', '.join(LOCATOR_LABELS)}"


def check_cluster_labels(clusters: Any) -> list[str]:
    """What is wrong with the locator labels of citation clusters (render()'s shapes)."""
    found = []
    for n, cluster in enumerate(clusters or (), 1):
        cites = cluster.get("citationItems") if isinstance(cluster, Mapping) else cluster
        if not isinstance(cites, (list, tuple)):
            continue
        for cite in cites:
            if isinstance(cite, Mapping):
                why = check_label(cite.get("label"))
                if why:
                    found.append(f"citation {n}: {why}; the label is left out (the locator reads as a page)")
    return found


def id_key(value: Any) -> str:
    """An id as the engine keys it: `1` and `"1"` are the same id."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 14_000:
        return hex(value)  # past Python's 4,300-digit limit on str(int); hex has none
    return str(value)


# --------------------------------------------------------------------------- limits of one item


def safe_repr(value: Any) -> str:
    """repr() of a value for a message: short, and never an exception of its own."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int Python will not print, a structure too deep
        return f"a {type(value).__name__}"
    return text if len(text) <= 120 else text[:120] + "…"


def _plainly_safe(data: Any) -> bool:
    """True when data is plainly within the limits item_shape_problem checks: dicts, lists
    and tuples of strings, ints, floats, booleans and None, none of them past a limit.
    A quick pass without the paths that messages need (every record takes it); whatever
    it cannot vouch for (another type, a problem) goes to the full check, which words it."""
    from citekit.csl.limits import LIMITS, to_int

    max_values, max_length, max_depth = LIMITS.max_item_values, LIMITS.max_field_length, LIMITS.max_item_depth
    seen = 0
    stack = [(data, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        seen += 1
        kind = value.__class__
        if kind is str:
            if len(value) > max_length:
                return False
        elif kind is dict or kind is list or kind is tuple:
            # (a value that contains itself nests past max_depth, so it is never vouched for)
            if depth >= max_depth or len(value) > max_values:
                return False
            depth += 1
            for v in (value.values() if kind is dict else value):
                push((v, depth))
        elif kind is int:
            if to_int(value) is None:
                return False
        elif kind is not float and kind is not bool and value is not None:
            return False
        if seen > max_values:
            return False
    return True


def item_shape_problem(data: Any) -> str | None:
    """What makes untrusted item data unsafe to validate and format, or None: a list or
    object that contains itself, nesting or a number of values past the limits, a string
    longer than LIMITS.max_field_length, an int of more than LIMITS.max_digits digits.
    Iterative, and it stops at the first problem, so its own cost is bounded."""
    if _plainly_safe(data):
        return None
    from citekit.csl.limits import LIMITS, to_int

    seen_values = 0
    stack: list[tuple[Any, str, int, tuple[int, ...]]] = [(data, "", 0, ())]
    while stack:
        value, path, depth, ancestors = stack.pop()
        seen_values += 1
        if seen_values > LIMITS.max_item_values:
            return f"more than {LIMITS.max_item_values:,} values in one item (LIMITS.max_item_values)"
        if isinstance(value, str):
            if len(value) > LIMITS.max_field_length:
                return (f"{path or 'value'}: {len(value):,} characters, more than the "
                        f"{LIMITS.max_field_length:,} allowed (LIMITS.max_field_length)")
        elif isinstance(value, int) and not isinstance(value, bool):
            if to_int(value) is None:
                return f"{path or 'value'}: a number of more than {LIMITS.max_digits} digits (LIMITS.max_digits)"
        elif isinstance(value, (Mapping, list, tuple)):
            if id(value) in ancestors:
                return f"{path or 'value'}: the value contains itself"
            if depth >= LIMITS.max_item_depth:
                return f"{path or 'value'}: nested more than {LIMITS.max_item_depth} levels deep (LIMITS.max_item_depth)"
            inner = (*ancestors, id(value))
            if isinstance(value, Mapping):
                children = [(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()]
            else:
                children = [(v, f"{path}[{i}]") for i, v in enumerate(value)]
            if len(children) > LIMITS.max_item_values:
                return f"more than {LIMITS.max_item_values:,} values in one item (LIMITS.max_item_values)"
            stack.extend((v, p[:200], depth + 1, inner) for v, p in reversed(children))
    return None


# Letters that Unicode does not decompose into ASCII ones.
_TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ß": "ss",
                                "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i"})


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits of a text, for ids ("Müller" → "muller")."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


# --------------------------------------------------------------------------- records


class _Record:
    """The problems of one record, in strict mode raised at the first one."""

    def __init__(self, strict: bool, position: int | None, source: str | None, line: int | None,
                 key: Any, keep: bool = False):
        self.keep = keep  # keep what the models refuse (render(): the engine prints what it can)
        self.strict, self.position, self.source, self.line = strict, position, source, line
        self.key = None if key in (None, "") else id_key(key)
        self.item_id = key if key not in (None, "") else None
        self.problems: list[Problem] = []
        self.refused = False  # a value was refused: the record is left out (lenient mode)

    def report(self, field: str | None, message: str, *, strict_message: str | None = None,
               skipped: bool = False) -> None:
        if self.strict:
            raise ItemError(strict_message or message, item_id=self.item_id, field=field,
                            position=self.position if self.item_id is None else None)
        self.refused = self.refused or skipped
        self.problems.append(Problem(message, self.line, self.key, self.source, skipped, field,
                                     self.position if self.key is None else None))


@functools.lru_cache(maxsize=8)
def _field_names(model: Any) -> frozenset[str]:
    """The names a model's fields answer to: a model class, or one of citekit's by name
    ("Reference", "Brief", read from citekit._vocabulary without building the model).
    Computed once per model: every record asks."""
    if isinstance(model, str):
        fields = MODEL_FIELDS[model]
        return frozenset({*fields, *map(csl_alias, fields)} if MODEL_ALIASES[model] else fields)
    names = set()
    for name, info in model.model_fields.items():
        names.add(name)
        if info.alias:
            names.add(info.alias)
    return frozenset(names)


def unknown_field_message(field: str, model: Any) -> str:
    """"not a field of a Brief; did you mean publisher?" for a misspelt field (`model`: a
    model class or its name)."""
    import difflib  # for messages only: not imported at start-up

    known = sorted(_field_names(model))
    model_name = model if isinstance(model, str) else model.__name__
    close = difflib.get_close_matches(field, known, n=1, cutoff=0.7) or \
        difflib.get_close_matches(field.lower().replace("_", "-"), known, n=1, cutoff=0.7)
    if close:
        return f"not a field of a {model_name}; did you mean {close[0]}?"
    if model_name == "Reference":
        return "not a CSL-JSON field (put data of your own under `custom`)"
    fields = MODEL_FIELDS[model] if isinstance(model, str) else model.model_fields
    return f"not a field of a {model_name} (its fields: {', '.join(fields)})"


def is_brief(data: Mapping[str, Any]) -> bool:
    """A record without `type` and without any field only a CSL item has is a brief."""
    if "type" in data:
        return False
    return not any(k in REFERENCE_KEYS and k not in BRIEF_KEYS for k in data)


def _number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None  # the model refuses it
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, f"{value!r} is not a number that can be printed"
        return (int(value) if value.is_integer() else repr(value)), None
    return value, None


def _text(value: Any) -> Any:
    # A number where CSL-JSON wants text (a year in `title`, a numeric `note`) says the same as text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def _names(value: Any, field: str, rec: _Record) -> Any:
    if isinstance(value, (str, Mapping)):
        value = [value]
    if not isinstance(value, list):
        return value  # the model says what is wrong
    out = []
    for n, name in enumerate(value):
        if isinstance(name, str):
            if not name.strip():
                continue
            try:
                name = name_from_text(name)
            except ValueError as exc:
                why = str(exc).splitlines()[0] if str(exc) else "cannot split it"
                rec.report(f"{field}[{n}]", f"{why}; kept whole as a literal name",
                           strict_message=_pydantic_message(exc))
                name = {"literal": " ".join(name.split())}
        out.append(name)
    return out


def _pydantic_message(exc: Exception) -> str:
    # A PydanticCustomError's message is its str(); a ValidationError's first error's msg.
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return errors()[0]["msg"]
    return str(exc)


def _date(value: Any, field: str, rec: _Record) -> Any:
    try:
        return date_value(value)
    except DateProblem as exc:
        if exc.impossible and not rec.keep:
            rec.report(field, str(exc), strict_message=f"{exc}; expected {DATE_FORMS}", skipped=True)
            return None
        text = " ".join(str(value).split())
        rec.report(field, f"{exc}; kept as written (a literal date)",
                   strict_message=f"{exc}; expected {DATE_FORMS}, or {{\"literal\": {text!r}}} "
                                  "for a date to print as written")
        return {"literal": text}


# what _coerce reads a field as: names, a date, a number or text (the first that applies)
_COERCE_KIND: dict[str, str] = {}
for _kind, _keys in (("text", (*STANDARD_VARIABLES, "publisher", "kind", "title")), ("number", NUMBER_VARIABLES),
                     ("date", (*DATE_VARIABLES, "date", "updated")), ("names", (*NAME_VARIABLES, "authors"))):
    _COERCE_KIND.update(dict.fromkeys(_keys, _kind))
del _kind, _keys


def _coerce(data: Mapping[str, Any], rec: _Record) -> dict[str, Any]:
    """The shortcuts people write (names and dates as text, numbers for text) as CSL-JSON."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        kind = _COERCE_KIND.get(key)
        if kind == "names":
            value = _names(value, key, rec)
        elif kind == "date":
            value = _date(value, key, rec)
        elif kind == "number":
            value, why = _number(value)
            if why:
                if rec.keep:
                    rec.report(key, why + "; left out")
                else:
                    rec.report(key, why, skipped=True)
        elif kind == "text":
            value = _text(value)
        elif key == "id":
            if isinstance(value, float) and math.isfinite(value) and value.is_integer():
                value = int(value)
            elif not isinstance(value, (str, int)) or isinstance(value, bool):
                text = json.dumps(value, sort_keys=True, default=str)
                rec.report("id", f"an id is text or a whole number, got {value!r}; {text!r} is used",
                           strict_message=f"an id is text or a whole number, got {value!r}")
                value = text
        elif isinstance(value, (_dt.date, _dt.datetime)):
            value = value.isoformat()
        if key in URL_FIELDS and unsafe_url(value):
            scheme = _SCHEME.match(_URL_BLANKS.sub("", value)).group(1).lower()
            rec.report(key, f"a {scheme}: URL is never used; refused, the URL is left out")
            continue
        if value is None:
            continue
        out[key] = value
    return out


def _validate_lenient(model: Any, item: dict[str, Any], rec: _Record) -> Any:
    """The model of `item`, or None when the model refuses a value (each refusal reported;
    with `rec.keep`, as kept)."""
    from pydantic import ValidationError

    from .models import KEEP_UNKNOWN_FIELDS, _field_path

    token = KEEP_UNKNOWN_FIELDS.set(True)
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if error["type"] == "missing":
                message = "required but missing"
            else:
                message = error["msg"]
                if error["type"] not in _OWN_ERRORS and not isinstance(error.get("input"), (Mapping, list)):
                    message += f", got {error.get('input')!r}"
            if rec.keep:
                rec.report(_field_path(error["loc"]) or None, message + "; kept as given")
            else:
                rec.report(_field_path(error["loc"]) or None, message, skipped=True)
        return None
    finally:
        KEEP_UNKNOWN_FIELDS.reset(token)


_OWN_ERRORS = {"name_empty", "name_form", "name_type", "date_format", "date_parts", "date_empty",
               "item_type", "url", "title_empty", "unknown_field"}


def check_item(data: Any, *, strict: bool = True, position: int | None = None, source: str | None = None,
               line: int | None = None, models: list | None = None, keep: bool = False
               ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """One record (a CSL-JSON dict, a brief dict or a citekit model) as the CSL-JSON item
    the engine formats, and the problems found. In strict mode the first problem raises
    `ItemError`; in lenient mode a record that cannot be used is None (a skipped problem).
    `models`, when given, receives the validated model (a `Reference` or a `Brief`).
    `keep=True` (lenient mode, for `render()`): a record the models refuse is kept as given,
    each problem reported, for the engine prints what it can, as citeproc-js does.

        check_item({"type": "book", "title": "T", "author": "Poe, Edgar Allan"})
        # ({"type": "book", "title": "T", "author": [{"family": "Poe", "given": "Edgar Allan"}]}, [])
    """
    if isinstance(data, _model_classes()):
        if models is not None:
            models.append(data)
        return data.to_csl(), []
    if not isinstance(data, Mapping):
        if callable(getattr(data, "to_csl", None)):
            return check_item(data.to_csl(), strict=strict, position=position, source=source, line=line,
                              models=models, keep=keep)
        rec = _Record(strict, position, source, line, None)
        rec.report(None, f"expected a CSL-JSON dict or a citekit model (a Reference or a Brief), got {type(data).__name__}",
                   skipped=True)
        return None, rec.problems
    brief = is_brief(data)
    # a brief the models refuse cannot be handed to the engine as given: it is no CSL item
    rec = _Record(strict, position, source, line, data.get("id"), keep and not strict and not brief)
    model_name = "Brief" if brief else "Reference"
    if brief:
        # A brief's fields are its own; anything else is kept in the CSL item (lenient) or refused.
        known = BRIEF_KEYS
        extra = {k: v for k, v in data.items() if k not in known}
        for key in extra:
            rec.report(key, unknown_field_message(key, model_name) + "; kept as it is",
                       strict_message=unknown_field_message(key, model_name))
        data = {k: v for k, v in data.items() if k in known}
    else:
        extra = {}
        known = REFERENCE_KEYS
        for key in data:
            if key not in known:
                rec.report(key, unknown_field_message(key, model_name) + "; kept as it is",
                           strict_message=unknown_field_message(key, model_name))
    item = _coerce(data, rec)
    if rec.refused:
        return None, rec.problems
    out = None
    if models is None and not (strict and item_shape_problem(item) is not None):
        # the common shapes are told without building a model (and importing Pydantic);
        # anything else, and every problem, is the models' to report
        from ._plain import brief_csl, reference_csl

        out = brief_csl(item) if brief else reference_csl(item)
    if out is None:
        from .models import Brief, Reference

        model = Brief if brief else Reference
        if strict:
            from .models import _validate

            model_obj = _validate(model, item, position)
        else:
            model_obj = _validate_lenient(model, item, rec)
            if model_obj is None:
                return (item if rec.keep else None), rec.problems
        if models is not None:
            models.append(model_obj)
        if brief:
            out = model_obj.to_csl()
    if not brief:
        return item, rec.problems  # already CSL-JSON, as the model accepted it
    if extra:
        out.update({k: v for k, v in _coerce(extra, rec).items() if k not in out})
    return out, rec.problems


def _model_classes() -> tuple[type, ...]:
    """citekit's model classes, once something has imported them (no instance exists before)."""
    models = sys.modules.get("citekit.models")
    return (models.Reference, models.Brief) if models is not None and hasattr(models, "Brief") else ()


def _given_id(record: Any) -> Any:
    value = getattr(record, "id", None) if not isinstance(record, Mapping) else record.get("id")
    return None if value in (None, "") else value


def check_items(records: Iterable[Any], *, strict: bool = True, source: str | None = None,
                lines: list[int | None] | None = None, missing_ids: str = "readable",
                models: list | None = None, keep: bool = False) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Many records (a file, a list given to `render()`) as CSL-JSON items and problems.

    Every good record is kept. An item without an id gets one (`missing_ids="readable"`:
    "zissis2006", "zissis2006a" as the readers make them; `"position"`: "item-3"); ids are
    compared as the engine keys them, and an id given twice is an error in strict mode,
    renamed (`x-2`) with a problem in lenient mode (with `keep`, left to the engine, which
    uses the last item and warns). `models`, when given, receives the
    validated model of each item kept (as `check_item`).
    """
    items: list[dict[str, Any]] = []
    problems: list[Problem] = []
    given: list[bool] = []
    positions: list[int] = []
    for position, record in enumerate(records, 1):
        line = lines[position - 1] if lines and position - 1 < len(lines) else None
        item, found = check_item(record, strict=strict, position=position, source=source, line=line,
                                 models=models, keep=keep)
        problems.extend(found)
        if item is None:
            continue
        has_id = _given_id(record) is not None
        if not has_id and missing_ids == "position" and item.get("id") in (None, ""):
            item["id"] = f"item-{position}"
        items.append(item)
        given.append(has_id)
        positions.append(position)
    _unique_ids(items, given, positions, strict=strict, source=source, lines=lines, problems=problems,
                rename=not keep)
    return items, problems


def _unique_ids(items: list[dict[str, Any]], given: list[bool], positions: list[int], *, strict: bool,
                source: str | None, lines: list[int | None] | None, problems: list[Problem],
                rename: bool = True) -> None:
    from .readers._common import make_id

    taken = {id_key(i["id"]) for i in items if i.get("id") not in (None, "")}
    first: dict[str, int] = {}
    for item, has_id, position in zip(items, given, positions):
        current = item.get("id")
        if current in (None, ""):
            item["id"] = current = make_id(item, taken)
        key = id_key(current)
        if key in first:
            n = 2
            while f"{key}-{n}" in taken:
                n += 1
            new = f"{key}-{n}"
            if has_id and not rename:
                # render(): the engine uses the last item of an id and says so in Result.warnings,
                # as citeproc-js does; cites keep pointing at that id
                continue
            if has_id:
                if strict:
                    raise ItemError(f"duplicate id (items {first[key]} and {position}; ids are compared as text)",
                                    item_id=current)
                line = lines[position - 1] if lines and position - 1 < len(lines) else None
                problems.append(Problem(f"id used twice (first by item {first[key]}; ids are compared as "
                                        f"text); this item is renamed {new!r}", line, key, source, False, "id"))
            # an id made up for a brief ("zissis2006") repeats when one author wrote twice a year
            taken.add(new)
            item["id"] = key = new
        first[key] = position
