"""Numbers: numeric detection, ordinals, roman numerals, and page-range formats."""

from __future__ import annotations

import re

from .limits import to_int
from .richtext import Text

# A number with optional letter affixes ("2nd", "L2", "2a"), or a roman numeral.
_NUM = r"(?:[A-Za-z]*\d+[A-Za-z]*)"
_NUMERIC_RE = re.compile(rf"^\s*{_NUM}(?:\s*(?:[-–,&]|\band\b)\s*{_NUM})*\s*$")
_TOKEN_RE = re.compile(r"(\s*(?:[-–,&]|\band\b)\s*)")


def is_numeric(value: str) -> bool:
    return bool(_NUMERIC_RE.match(value.replace("\\-", "-")))


def to_roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for v, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                 (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def format_number_variable(ev, value: str, form: str, var: str, cite):
    """Render a number variable through <number>: each number in form, delimiters kept."""
    if not is_numeric(value):
        return Text(value)  # as citeproc-js: a number field's markup is not interpreted
    gender = ev.locale.gender_of(var if var != "number-of-pages" else "page")
    parts = _TOKEN_RE.split(value.strip())
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            sep = part.strip()
            if sep in ("-", "–"):
                out.append(ev.locale.term_text("page-range-delimiter") or "–")
            elif sep == ",":
                out.append(", ")
            elif sep == "&":
                out.append(" & ")
            else:
                out.append(f" {sep} ")
            continue
        m = re.fullmatch(r"([A-Za-z]*)(\d+)([A-Za-z]*)", part)
        n = to_int(m.group(2)) if m and not m.group(1) and not m.group(3) else None
        if n is None:  # not a plain number, or too many digits to compute with
            out.append(part)
            continue
        if form == "ordinal":
            out.append(f"{n}{ev.locale.ordinal_suffix(n, gender)}")
        elif form == "long-ordinal":
            word = ev.locale.long_ordinal(n, gender)
            out.append(word if word else f"{n}{ev.locale.ordinal_suffix(n, gender)}")
        elif form == "roman":
            out.append(to_roman(n))
        else:
            out.append(str(n))
    return Text("".join(out))


# -- page ranges -------------------------------------------------------------

_ROMAN_RE = re.compile(r"^[ivxlcdm]+$|^[IVXLCDM]+$")
_SIDE_RE = re.compile(r"^(.*?)(\d+)$")
_SPLIT_RANGE_RE = re.compile(r"^\s*(\S+?)\s*[-–]\s*(\S+?)\s*$")
_LIST_SPLIT_RE = re.compile(r"(\s*[,&]\s*|\s+and\s+)")


def _numberish(side: str) -> bool:
    return any(c.isdigit() for c in side) or bool(_ROMAN_RE.match(side))


def split_range(piece: str):
    """(start, end) when a piece of a page field is a range of numbers, else None."""
    if "\\-" in piece:
        return None
    m = _SPLIT_RANGE_RE.match(piece)
    if not m or not (_numberish(m.group(1)) and _numberish(m.group(2))):
        return None
    return m.group(1), m.group(2)


def page_range(value: str, fmt: str | None, locale) -> str:
    """Ranges in a page or locator field: "12-17, 20-25" with the locale's range
    delimiter and the style's page-range-format; escaped hyphens ("3\\-B") stay."""
    delim = locale.term_text("page-range-delimiter") or "–"
    pieces = _LIST_SPLIT_RE.split(value)
    out = []
    for i, p in enumerate(pieces):
        if i % 2 == 1:
            sep = p.strip()
            if sep == "&" and p != "&" or sep == "&" and all(q.strip()[:1].isdigit() for q in pieces[i - 1:i + 2:2]):
                # "213&235" or "213 & 235": the locale's ampersand, spaced (citeproc-js)
                out.append(f" {locale.term_text('and', 'symbol') or '&'} ")
            else:
                out.append(p)
            continue
        rng = split_range(p)
        if rng is None:
            out.append(p.replace("\\-", "-"))
            continue
        a, b = rng
        ma, mb = _SIDE_RE.match(a), _SIDE_RE.match(b)
        if _ROMAN_RE.match(a) and _ROMAN_RE.match(b):
            out.append(f"{a}{delim}{b}")
            continue
        if not ma or not mb:
            out.append(f"{a}-{b}")
            continue
        pre_a, na = ma.groups()
        pre_b, nb = mb.groups()
        if pre_b != pre_a:
            out.append(f"{a}-{b}")  # different prefixes: not a range we can shorten
            continue
        if fmt and to_int(na) is not None and to_int(nb) is not None:
            if len(nb) < len(na):
                nb = na[: len(na) - len(nb)] + nb  # "321-8" means 321-328
            if int(nb) > int(na):
                nb = _collapse(na, nb, fmt)
            out.append(f"{pre_a}{na}{delim}{pre_b if fmt == 'expanded' else ''}{nb}")
        else:
            out.append(f"{pre_a}{na}{delim}{pre_b}{nb}")
    return "".join(out)


def is_plural_number(value: str, and_term: str | None = None) -> bool:
    """Ranges and lists of numbers are plural ("1-3", "2, 4", "3 & 5", "i-ix")."""
    text = value
    if and_term:
        text = re.sub(rf"\s+{re.escape(and_term)}\s+", " & ", text)
    pieces = [p for i, p in enumerate(_LIST_SPLIT_RE.split(text)) if i % 2 == 0]
    numeric = [p for p in pieces if p.strip() and _numberish(p.strip())]
    if len(numeric) > 1:
        return True
    return any(split_range(p) is not None for p in pieces)


def _collapse(a: str, b: str, fmt: str) -> str:
    if fmt == "expanded":
        return b
    if len(a) != len(b):
        return b
    if fmt == "minimal":
        return _minimal(a, b, 1)
    if fmt == "minimal-two":
        return _minimal(a, b, 2)
    if fmt in ("chicago", "chicago-15", "chicago-16"):
        return _chicago(a, b, fmt)
    return b


def _minimal(a: str, b: str, keep: int) -> str:
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    rest = b[i:]
    if len(rest) < keep and len(b) >= keep:
        rest = b[-keep:]
    return rest


def _chicago(a: str, b: str, fmt: str) -> str:
    n = int(a)
    if n < 100 or n % 100 == 0:
        return b
    if n % 100 < 10:
        return _minimal(a, b, 1)
    if fmt != "chicago-16" and len(a) == 4 and _minimal(a, b, 1) and len(_minimal(a, b, 2)) > 2:
        # chicago-15: four-digit numbers that change in more than two digits are given in full
        return b
    return _minimal(a, b, 2)
