"""Numbers: numeric detection, ordinals, roman numerals, and page-range formats."""

from __future__ import annotations

import re

from . import lazy
from .limits import to_int
from .richtext import Text, parse_markup

# A number with optional letter affixes ("2nd", "L2", "2a"), or a roman numeral.
_NUM = r"(?:[A-Za-z]*\d+[A-Za-z]*)"
# Numbers in a list are joined by a range hyphen, "&", "and", or a comma or semicolon
# followed by a space; a comma inside digits ("223,898", "1,2") is a thousands
# separator or a decimal comma, not a list (as citeproc-js reads numbers).
_JOINER = r"\s*[-–&]\s*|\s*[,;]\s+|\s+and\s+"
_NUMERIC_RE = lazy.pattern(globals(), "_NUMERIC_RE", rf"^\s*{_NUM}(?:(?:{_JOINER}){_NUM})*\s*$")
_TOKEN_RE = lazy.pattern(globals(), "_TOKEN_RE", rf"({_JOINER})")

# The variables whose ranges take the locale's range delimiter ("12–14"); others
# ("version": "2022-07", "part-number") keep their hyphens (as in citeproc-js).
RANGE_VARIABLES = frozenset(
    "page page-first locator chapter-number collection-number edition issue number number-of-pages "
    "number-of-volumes volume".split())


def is_numeric(value: str) -> bool:
    return bool(_NUMERIC_RE.match(value.replace("\\-", "-")))


# is-numeric also takes lower-case roman numerals of i, v and x ("viii", "ix-x") in number
# variables and the locator, as citeproc-js reads them: a front-matter page locator gets
# its label ("p. viii"); a title "vi" stays text. So do digits joined by slashes, one number
# to citeproc-js ("no. 946/1811", an Austrian law gazette's number/year)
_TESTED_NUM = r"(?:[A-Za-z]*\d+[A-Za-z]*|[ivx]+|\d+(?:/\d+)+)"
_TESTED_NUMERIC_RE = lazy.pattern(globals(), "_TESTED_NUMERIC_RE",
    rf"^\s*{_TESTED_NUM}(?:(?:{_JOINER}){_TESTED_NUM})*\s*$")


def tests_numeric(value: str, number_variable: bool) -> bool:
    """The is-numeric condition of cs:if, on a number variable (or the locator) or another."""
    if not number_variable:
        return is_numeric(value)
    return bool(_TESTED_NUMERIC_RE.match(value.replace("\\-", "-")))


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


def _lead(part: str) -> str:
    return re.match(r"\s*(\D*)", part).group(1)


def format_number_variable(ev, value: str, form: str, var: str, cite):
    """Render a number variable through <number>: each number in form, delimiters kept."""
    if not is_numeric(value):
        labelled = _labelled_numbers(ev, value, form, var, cite)
        if labelled is not None:
            return labelled
        return Text(value)  # as citeproc-js: a number field's markup is not interpreted
    gender = ev.locale.gender_of(var if var != "number-of-pages" else "page")
    parts = _TOKEN_RE.split(value.strip())
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            sep = part.strip()
            if sep in ("-", "–"):
                # a range only between numbers with the same prefix: "P60-280" (a report
                # number) keeps its hyphen, as in citeproc-js
                same = _lead(parts[i - 1]) == _lead(parts[i + 1]) if i + 1 < len(parts) else True
                out.append(ev.locale.term_text("page-range-delimiter") or "–"
                           if var in RANGE_VARIABLES and same else part)
            elif sep in (",", ";"):
                out.append(sep + " ")
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
            out.append(m.group(2))  # as written: "07" keeps its zero
    text = "".join(out)
    # a locale's ordinal suffix may carry markup ("<sup>e</sup>"), never the field itself
    return parse_markup(text, parse_quotes=False) if "<" in text and "ordinal" in form else Text(text)


_LABEL_SPLIT_RE = lazy.pattern(globals(), "_LABEL_SPLIT_RE", r"(\s+[a-z]{1,4}\.\s*)(?=\d)")


def _labelled_numbers(ev, value: str, form: str, var: str, cite):
    """Numbers with labels typed between them ("7, p. 3-8"), as citeproc-js reads them:
    the first numbers take the element's form, each label is the locale's term in the
    number of the numbers after it ("pp."), and those numbers are plain. None when the
    value is not made of numbers and labels only."""
    pieces = _LABEL_SPLIT_RE.split(value.strip())
    if len(pieces) < 3 or not pieces[0].strip():
        return None
    head = pieces[0].rstrip(" ,;")
    if not is_numeric(head) or not pieces[0][len(head):].endswith(","):
        return None
    out = [format_number_variable(ev, head, form, var, cite).text, pieces[0][len(head):]]
    for k in range(1, len(pieces), 2):
        label = pieces[k].strip()
        numbers = pieces[k + 1].rstrip(" ,;")
        if not is_numeric(numbers):
            return None
        term = _LOCATOR_LABELS.get(label[:-1])
        found = ev.locale.term(term, "short") if term else None
        if found is not None:
            # the variable's own label is not repeated ("12, vol. 4" of a volume: "12, 4")
            label = "" if term == var else found.text(is_plural_number(numbers, ev.locale.term_text("and")))
        if not out[-1].endswith(" "):
            out.append(" ")
        out.extend((label, " " if label else "", format_number_variable(ev, numbers, "numeric", var, cite).text,
                    pieces[k + 1][len(numbers):]))
    return Text("".join(out))


# -- page ranges -------------------------------------------------------------

_ROMAN_RE = lazy.pattern(globals(), "_ROMAN_RE", r"^[ivxlcdm]+$|^[IVXLCDM]+$")
_SIDE_RE = lazy.pattern(globals(), "_SIDE_RE", r"^(.*?)(\d+)$")
_SPLIT_RANGE_RE = lazy.pattern(globals(), "_SPLIT_RANGE_RE", r"^\s*(\S+?)\s*[-–]\s*(\S+?)\s*$")
_LIST_SPLIT_RE = lazy.pattern(globals(), "_LIST_SPLIT_RE", r"(\s*&\s*|\s*[,;]\s+|\s+and\s+)")


# A short label typed inside a number field before a number ("fol. 186", "n. 3").
_IN_FIELD_LABEL_RE = lazy.pattern(globals(), "_IN_FIELD_LABEL_RE", r"(?:^|\s)[a-z]{1,4}\.\s*(?=\d)")


def _first_label_group(pieces: list) -> list:
    """The pieces up to the first label typed inside the field: only they decide the
    plural of the field's own label ("3, 5 n. 2" is plural, "1, fol. 186" is not), as
    citeproc-js groups the numbers of a field by label."""
    out = []
    for i, p in enumerate(pieces):
        m = _IN_FIELD_LABEL_RE.search(p)
        if m is None or (i == 0 and not p[:m.start()].strip()):
            out.append(p)  # no label, or the label the whole field starts with
            continue
        out.append(p[:m.start()])
        break
    return out


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
    pieces = _first_label_group(pieces)
    numeric = [p for p in pieces if p.strip() and _numberish(p.strip())]
    if len(numeric) > 1:
        return True
    # a range of numbers, not of other things ("1.2-3" is a version, "10,000-12,000" is
    # not read as numbers by citeproc-js either)
    return any(rng is not None and _SIMPLE_NUM_RE.fullmatch(rng[0]) and _SIMPLE_NUM_RE.fullmatch(rng[1])
               for rng in map(split_range, pieces))


_SIMPLE_NUM_RE = lazy.pattern(globals(), "_SIMPLE_NUM_RE", rf"{_NUM}|[ivxlcdm]+|[IVXLCDM]+")


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


# A label typed at the head of a locator ("vol. 1, fol. 186") is read out of it, as
# citeproc-js does for items that are not legislation: abbreviation -> locator term.
_LOCATOR_LABELS = {
    "vrs": "verse", "sv": "sub-verbo", "subpara": "subparagraph", "op": "opus", "subch": "subchapter",
    "add": "addendum", "amend": "amendment", "annot": "annotation", "app": "appendix", "art": "article",
    "bibliog": "bibliography", "bk": "book", "ch": "chapter", "cl": "clause", "col": "column",
    "cmt": "comment", "dec": "decision", "dept": "department", "ex": "example", "fig": "figure",
    "fld": "field", "fol": "folio", "n": "note", "hypo": "hypothetical", "illus": "illustration",
    "intro": "introduction", "l": "line", "no": "issue", "p": "page", "pp": "page", "para": "paragraph",
    "pt": "part", "pmbl": "preamble", "princ": "principle", "pub": "publication", "r": "rule",
    "rn": "randnummer", "sched": "schedule", "sec": "section", "subdiv": "subdivision",
    "subsec": "subsection", "supp": "supplement", "tbl": "table", "tit": "title", "vol": "volume",
}
_LOCATOR_LABEL_RE = lazy.pattern(globals(), "_LOCATOR_LABEL_RE",
    r"^(%s)\.\s+(.*)" % "|".join(sorted(_LOCATOR_LABELS, key=len, reverse=True)), re.S)
_NO_LABEL_PARSING = frozenset(("bill", "gazette", "legislation", "regulation", "treaty"))


def locator_with_label(locator, label, item_type, locale):
    """(locator, label) with a label typed into the locator read out of it, when the
    cite has no label but page, or the same label as the one typed ("sec. 2" with
    label section is section 2, as in citeproc-js), and the locale has a term for it."""
    if not locator or item_type in _NO_LABEL_PARSING:
        return locator, label
    m = _LOCATOR_LABEL_RE.match(str(locator))
    if m is None:
        return locator, label
    term = _LOCATOR_LABELS[m.group(1)]
    if (label and label not in ("page", term)) or not locale.term_text(term):
        return locator, label
    return m.group(2), term


def starts_with_label(locator, locale) -> bool:
    """Whether a locator still begins with a label of its own ("sec. 4" of legislation,
    or beside an explicit label): the style's label for it is then not printed."""
    m = _LOCATOR_LABEL_RE.match(str(locator))
    return m is not None and bool(locale.term_text(_LOCATOR_LABELS[m.group(1)]))
