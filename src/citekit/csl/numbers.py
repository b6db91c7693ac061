"""Numbers: numeric detection, ordinals, roman numerals, and page-range formats."""

from __future__ import annotations

import re

from .richtext import Text, parse_markup

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
        return parse_markup(value)
    gender = ev.locale.gender_of(var if var != "number-of-pages" else "page")
    parts = _TOKEN_RE.split(value.strip())
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            sep = part.strip()
            if sep in ("-", "–"):
                out.append(ev.locale.term_text("page-range-delimiter") or "–" if var in ("page", "locator") else "-")
            elif sep == ",":
                out.append(", ")
            elif sep == "&":
                out.append(" & ")
            else:
                out.append(f" {sep} ")
            continue
        m = re.fullmatch(r"([A-Za-z]*)(\d+)([A-Za-z]*)", part)
        if not m or m.group(1) or m.group(3):
            out.append(part)
            continue
        n = int(m.group(2))
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

_RANGE_RE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-–]\s*([A-Za-z]*)(\d+)\s*$")


def page_range(value: str, fmt: str | None, locale) -> str:
    """Apply page-range-format to each range in a page field ("12-17, 20-25")."""
    delim = locale.term_text("page-range-delimiter") or "–"
    pieces = re.split(r"(\s*[,&]\s*)", value)
    out = []
    for i, p in enumerate(pieces):
        if i % 2 == 1:
            out.append(p)
            continue
        if "\\-" in p:
            out.append(p.replace("\\-", "-"))
            continue
        m = _RANGE_RE.match(p)
        if not m or m.group(1) != m.group(3):
            out.append(p.replace(" - ", delim) if not fmt else p)
            continue
        pre, a, _, b = m.groups()
        if len(b) < len(a) and fmt:
            b = a[: len(a) - len(b)] + b  # expand "321-8" to "321-328" first
        if fmt and int(b) > int(a):
            b = _collapse(a, b, fmt)
        out.append(f"{pre}{a}{delim}{pre}{b}")
    return "".join(out)


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
