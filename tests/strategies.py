"""Hypothesis strategies for hostile input, shared by tests/test_fuzz.py and
benchmarks/fuzz.py.

Engine strategies (this part): hostile text and numbers, CSL-JSON items, citation
clusters, and CSL styles built as random trees of CSL elements, with macro graphs that
fan out and hostile attribute values. Their names start with `hostile_`, `csl_` or
`engine_`.

Reader strategies (BibTeX, RIS, YAML, HTML text) belong in a section of their own at the
end of this module, with names of their own (`reader_...`, `bibtex_...`, ...).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from hypothesis import strategies as st

class HugeInt(int):
    """An int too long for Python to print (over 4,300 digits): str() still refuses it, as
    it does any such int, but repr() does not, so that Hypothesis can report an example."""

    def __repr__(self):
        return f"HugeInt(10**{int(self.bit_length() * 0.30103)})"


def hostile_huge_ints() -> st.SearchStrategy[int]:
    return st.tuples(st.integers(4301, 6000), st.booleans()).map(
        lambda t: HugeInt((-1 if t[1] else 1) * (10 ** t[0] - 7)))


# --- engine: hostile text --------------------------------------------------------------------------

# Characters str.isdigit() accepts but int() refuses, and decimal digits of other scripts.
UNICODE_DIGITS = ("²", "³", "¹", "①", "⑳", "⓿", "❶", "₂", "٣", "۴", "०", "𝟗", "১", "Ⅻ", "½", "〇", "二")
# C0 and C1 controls, escape sequences a terminal acts on, and lone surrogates.
CONTROL_CHARS = tuple(chr(c) for c in [*range(0, 32), *range(127, 160)])
ESCAPE_SEQUENCES = ("\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://x\x07l\x1b]8;;\x07", "\x9b31m", "\x07", "\x00")
SURROGATES = ("\ud800", "\udfff", "\udc80")
MARKUP_TAGS = ("<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>", "<sc>", "</sc>",
               '<span class="nocase">', '<span class="nodecor">', '<span style="font-variant:small-caps;">',
               "</span>", "<script>", "<a href='javascript:x'>", "&lt;", "&#0;", "\\", "{", "}", "$", "%")
QUOTES = ('"', "'", "“", "”", "‘", "’", "«", "»")


@st.composite
def hostile_deep_markup(draw) -> str:
    """Markup or quotes nested hundreds to thousands of levels deep, balanced or not."""
    depth = draw(st.integers(0, 1500))
    opener = draw(st.sampled_from(["<i>", "<b><i>", '<span class="nocase">', '"a ', "“a ‘b ", "<sup>", "<sc>"]))
    closer = {"<i>": "</i>", "<b><i>": "</i></b>", '<span class="nocase">': "</span>", "<sup>": "</sup>",
              "<sc>": "</sc>"}.get(opener, "")
    closes = draw(st.integers(0, depth))
    return opener * depth + draw(st.sampled_from(["x", "10²", "deep"])) + closer * closes


def hostile_numbers() -> st.SearchStrategy[str]:
    """Number-like text: huge digit runs, Unicode digits, ranges and lists of them."""
    huge = st.integers(90, 6000).map(lambda n: "9" * n)
    small = st.integers(-5, 10 ** 6).map(str)
    digit = st.sampled_from(UNICODE_DIGITS)
    part = st.one_of(huge, small, digit, st.tuples(small, digit).map("".join))
    sep = st.sampled_from(["-", "–", ", ", " & ", " and ", "\\-", "-", ""])
    return st.lists(st.tuples(part, sep), min_size=1, max_size=4).map(lambda ps: "".join(p + s for p, s in ps))


def hostile_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Text made of hostile fragments: Unicode digits, huge numbers, deep markup,
    controls and escape sequences, surrogates, quotes, tags and ordinary words."""
    fragment = st.one_of(
        st.text(max_size=20),
        st.sampled_from(UNICODE_DIGITS),
        st.sampled_from(CONTROL_CHARS),
        st.sampled_from(ESCAPE_SEQUENCES),
        st.sampled_from(SURROGATES),
        st.sampled_from(MARKUP_TAGS),
        st.sampled_from(QUOTES),
        st.sampled_from(["the", "of", "A", "Title", " ", ": ", ".", "-", "–", "10", "2001", "van", "de"]),
        hostile_numbers(),
    )
    return st.one_of(
        st.lists(fragment, max_size=max_size).map("".join),
        hostile_deep_markup(),
    )


# Values of every JSON-ish type a field may hold, hostile ones first.
def hostile_value() -> st.SearchStrategy:
    return st.one_of(
        hostile_text(),
        st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -0.0, True, False, None]),
        hostile_huge_ints(),
        st.integers(-10, 3000),
        st.floats(),
        st.lists(hostile_text(4), max_size=3),
        st.dictionaries(st.sampled_from(["raw", "literal", "family", "x"]), hostile_text(4), max_size=2),
    )


# --- engine: items and clusters ------------------------------------------------------------------

CSL_TYPES = ("article", "article-journal", "book", "chapter", "paper-conference", "report", "thesis",
             "webpage", "legal_case", "motion_picture", "entry-encyclopedia", "no-such-type")
CSL_TEXT_FIELDS = ("title", "container-title", "collection-title", "publisher", "publisher-place", "genre",
                   "note", "URL", "DOI", "title-short", "event-title", "archive", "medium", "language",
                   "citation-label", "abstract")
CSL_NUMBER_FIELDS = ("volume", "edition", "page", "issue", "number", "number-of-pages", "chapter-number",
                     "collection-number", "page-first", "section", "version")
CSL_NAME_FIELDS = ("author", "editor", "translator", "container-author", "director")
CSL_DATE_FIELDS = ("issued", "accessed", "original-date", "event-date")


def csl_date() -> st.SearchStrategy:
    part = st.one_of(st.integers(-3000, 3000), hostile_huge_ints(), hostile_numbers(),
                     st.sampled_from([float("inf"), float("nan"), "2001²", "①", "", None, 13, 21, 99, -1]))
    point = st.lists(part, min_size=0, max_size=4)
    return st.one_of(
        st.fixed_dictionaries({"date-parts": st.lists(point, max_size=3)},
                              optional={"season": st.one_of(part, hostile_text(3)), "circa": st.booleans(),
                                        "literal": hostile_text(4)}),
        st.fixed_dictionaries({"raw": st.one_of(hostile_text(6), st.integers(1, 3000).map(lambda n: "2001/" * n))}),
        st.fixed_dictionaries({"literal": hostile_text(6)}),
        hostile_text(4),
        hostile_value(),
    )


def csl_name() -> st.SearchStrategy:
    parts = st.sampled_from(["family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle"])
    return st.one_of(
        st.dictionaries(parts, st.one_of(hostile_text(5), hostile_huge_ints()), max_size=4),
        hostile_text(5),
        hostile_value(),
    )


@st.composite
def csl_item(draw, item_id: str | None = None) -> dict:
    """A CSL-JSON item whose every field may be hostile."""
    item = {"id": item_id if item_id is not None else draw(st.one_of(st.text(max_size=6), st.integers()))}
    item["type"] = draw(st.sampled_from(CSL_TYPES))
    for field in draw(st.lists(st.sampled_from(CSL_TEXT_FIELDS), max_size=5, unique=True)):
        item[field] = draw(st.one_of(hostile_text(), hostile_value()))
    for field in draw(st.lists(st.sampled_from(CSL_NUMBER_FIELDS), max_size=4, unique=True)):
        item[field] = draw(st.one_of(hostile_numbers(), hostile_value()))
    for field in draw(st.lists(st.sampled_from(CSL_NAME_FIELDS), max_size=2, unique=True)):
        item[field] = draw(st.lists(csl_name(), max_size=5))
    for field in draw(st.lists(st.sampled_from(CSL_DATE_FIELDS), max_size=2, unique=True)):
        item[field] = draw(csl_date())
    if draw(st.integers(0, 9)) == 0:
        item["custom"] = item  # a dict that contains itself
    return item


@st.composite
def csl_items(draw, max_items: int = 4) -> list:
    n = draw(st.integers(1, max_items))
    ids = [f"i{k}" for k in range(n)]
    return [draw(csl_item(item_id=i)) for i in ids]


@st.composite
def csl_clusters(draw, ids: list) -> list:
    """Citation clusters over `ids` (and an unknown id), with hostile cite fields and note indexes."""
    cite = st.fixed_dictionaries(
        {"id": st.sampled_from([*ids, "missing"])},
        optional={"locator": st.one_of(hostile_numbers(), hostile_text(4), hostile_value()),
                  "label": st.sampled_from(["page", "chapter", "sub verbo", "no-label", "", "\x1b"]),
                  "prefix": hostile_text(4), "suffix": hostile_text(4),
                  "suppress-author": st.booleans(), "author-only": st.booleans(),
                  "position": st.sampled_from([0, 1, 2, 3, "ibid", 9, None, [1], "x"])})
    note = st.one_of(st.integers(-3, 20), st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e300,
                                                           "9" * 5000, "3", None, [1]]))
    cluster = st.one_of(
        st.lists(cite, max_size=3),
        st.fixed_dictionaries({"citationItems": st.lists(cite, max_size=3),
                               "properties": st.fixed_dictionaries({"noteIndex": note})}),
    )
    return draw(st.lists(cluster, max_size=4))


# --- engine: styles ------------------------------------------------------------------------------------

CSL_NS = 'xmlns="http://purl.org/net/xbiblio/csl" version="1.0"'
STYLE_VARIABLES = (*CSL_TEXT_FIELDS, *CSL_NUMBER_FIELDS, "locator", "citation-number", "year-suffix",
                   "first-reference-note-number", "citation-label")
STYLE_TERMS = ("and", "et-al", "page", "editor", "in", "no date", "ibid", "open-quote", "ordinal", "season-01",
               "month-13", "no-such-term")
FORMATTING = {
    "font-style": ("italic", "normal", "oblique"), "font-weight": ("bold", "normal", "light"),
    "font-variant": ("small-caps", "normal"), "text-decoration": ("underline", "none"),
    "vertical-align": ("sup", "sub", "baseline"), "text-case": ("title", "sentence", "uppercase", "lowercase",
                                                                 "capitalize-first", "capitalize-all"),
    "display": ("block", "left-margin", "right-inline", "indent"), "quotes": ("true",),
    "strip-periods": ("true",),
}


def hostile_attribute_value() -> st.SearchStrategy[str]:
    """Attribute text a hostile style may carry (controls only where XML allows them)."""
    xml_safe = hostile_text(6).map(lambda s: "".join(c for c in s if c in "\t\n\r" or (
        ord(c) >= 0x20 and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff")))
    return st.one_of(xml_safe, hostile_numbers(), st.sampled_from(["", " ", "\x85", "\u2028", "-1", "0", "NaN"]))


@st.composite
def _attributes(draw, allowed: tuple = ()) -> str:
    attrs = {}
    for name in draw(st.lists(st.sampled_from(sorted(FORMATTING)), max_size=3, unique=True)):
        attrs[name] = draw(st.sampled_from(FORMATTING[name]))
    for name in draw(st.lists(st.sampled_from(["prefix", "suffix", "delimiter", *allowed]), max_size=2, unique=True)):
        attrs[name] = draw(hostile_attribute_value())
    return "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())


@st.composite
def _leaf(draw, macros: list) -> str:
    kind = draw(st.sampled_from(["variable", "term", "value", "macro", "number", "date", "label", "names"]))
    attrs = draw(_attributes())
    if kind == "macro" and macros:
        return f'<text macro="{draw(st.sampled_from(macros))}"{attrs}/>'
    if kind == "variable":
        form = draw(st.sampled_from(["", ' form="short"']))
        return f'<text variable="{draw(st.sampled_from(STYLE_VARIABLES))}"{form}{attrs}/>'
    if kind == "term":
        return f'<text term="{draw(st.sampled_from(STYLE_TERMS))}"{attrs}/>'
    if kind == "number":
        form = draw(st.sampled_from(["numeric", "ordinal", "long-ordinal", "roman"]))
        return f'<number variable="{draw(st.sampled_from(CSL_NUMBER_FIELDS))}" form="{form}"{attrs}/>'
    if kind == "date":
        var = draw(st.sampled_from(CSL_DATE_FIELDS))
        if draw(st.booleans()):
            return f'<date variable="{var}" form="{draw(st.sampled_from(["text", "numeric"]))}"{attrs}/>'
        parts = "".join(f'<date-part name="{p}" form="{draw(st.sampled_from(["numeric", "long", "short", "ordinal"]))}"/>'
                        for p in draw(st.lists(st.sampled_from(["year", "month", "day"]), max_size=3, unique=True)))
        return f'<date variable="{var}"{attrs}>{parts}</date>'
    if kind == "label":
        return f'<label variable="{draw(st.sampled_from(["page", "locator", "volume", "editor"]))}"{attrs}/>'
    if kind == "names":
        options = draw(_attributes(("et-al-min", "et-al-use-first", "initialize-with", "and")))
        sub = f'<substitute><text macro="{draw(st.sampled_from(macros))}"/></substitute>' if macros and draw(
            st.booleans()) else ""
        return (f'<names variable="{" ".join(draw(st.lists(st.sampled_from(CSL_NAME_FIELDS), min_size=1, max_size=2)))}">'
                f'<name{options}/>{sub}</names>')
    return f"<text value={quoteattr(draw(hostile_attribute_value()))}{attrs}/>"


@st.composite
def csl_element_tree(draw, macros: list, depth: int = 3) -> str:
    """A random tree of CSL rendering elements: groups, choose branches and leaves."""
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return draw(_leaf(macros))
    children = "".join(draw(csl_element_tree(macros, depth - 1)) for _ in range(draw(st.integers(1, 3))))
    kind = draw(st.sampled_from(["group", "choose", "group"]))
    if kind == "group":
        return f"<group{draw(_attributes())}>{children}</group>"
    test = draw(st.sampled_from([f'variable="{draw(st.sampled_from(STYLE_VARIABLES))}"', 'type="book"',
                                 'is-numeric="volume"', 'position="first"', 'disambiguate="true"',
                                 'locator="page"', 'is-uncertain-date="issued"']))
    match = draw(st.sampled_from(["", ' match="any"', ' match="none"', ' match="all"']))
    other = draw(csl_element_tree(macros, depth - 1))
    return f"<choose><if {test}{match}>{children}</if><else>{other}</else></choose>"


@st.composite
def csl_style(draw) -> str:
    """A CSL style: random element trees for citation and bibliography, and a macro
    graph in which each macro may call later macros several times (fan-out), so that
    expansion is sometimes exponential. Style-level options are hostile too."""
    n_macros = draw(st.integers(0, 45))
    names = [f"m{i}" for i in range(n_macros)]
    macros = []
    for i, name in enumerate(names):
        later = names[i + 1:]
        if later and draw(st.integers(0, 3)) > 0:
            # a chain that fans out: the next macro, called 1 to 3 times, and maybe others
            body = "".join(f'<text macro="{names[i + 1]}"/>' for _ in range(draw(st.integers(1, 3))))
            body += draw(csl_element_tree(later, 2))
        else:
            body = draw(csl_element_tree([], 2))
        macros.append(f'<macro name="{name}">{body}</macro>')
    cls = draw(st.sampled_from(["in-text", "note"]))
    options = "".join(f" {k}={quoteattr(draw(st.one_of(st.sampled_from(v), hostile_attribute_value())))}"
                      for k, v in draw(st.lists(st.sampled_from([
                          ("page-range-format", ("chicago", "minimal", "expanded", "minimal-two")),
                          ("et-al-min", ("3", "9" * 5000, "-1")), ("et-al-use-first", ("1", "9" * 5000)),
                          ("initialize-with", (". ", "\x85")), ("demote-non-dropping-particle", ("never",)),
                          ("name-as-sort-order", ("all", "first")), ("near-note-distance", ("5", "9" * 5000)),
                      ]), max_size=3, unique_by=lambda kv: kv[0])))
    start = names[:1]
    citation = draw(csl_element_tree(start, 3))
    sort = ""
    if draw(st.booleans()):
        key = draw(st.sampled_from([f'<key macro="{names[0]}"/>' if names else '<key variable="title"/>',
                                    '<key variable="issued"/>', '<key variable="volume"/>',
                                    '<key variable="author" names-min="' + "9" * 5000 + '"/>',
                                    '<key variable="citation-number" sort="descending"/>']))
        sort = f"<sort>{key}</sort>"
    bibliography = draw(csl_element_tree(start, 3))
    second = draw(st.sampled_from(["", ' second-field-align="flush"', ' subsequent-author-substitute="---"']))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<style {CSL_NS} class="{cls}"{options}>'
            f"<info><title>Fuzz</title><id>fuzz</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
            f"{''.join(macros)}<citation disambiguate-add-year-suffix=\"true\" disambiguate-add-names=\"true\" "
            f'disambiguate-add-givenname="true">{sort}<layout delimiter="; ">{citation}</layout></citation>'
            f"<bibliography{second}>{sort}<layout>{bibliography}</layout></bibliography></style>")


# --- readers: BibTeX, RIS, YAML and HTML text (added by the readers' side) ------------------------------
