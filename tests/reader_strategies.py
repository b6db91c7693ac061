"""Hypothesis strategies for hostile reader input: BibTeX, RIS, CSL-YAML and HTML text.

Each strategy mixes well-formed records with the shapes that broke the readers
(issue 12): `@string` doubling, `@xdata`/`crossref` fan-out, chains and cycles,
YAML anchors and aliases nested wide and deep, huge numbers and impossible dates,
HTML elements with many attributes hidden behind quotes, comments and script text,
control characters, stray braces and markup. Used by tests/test_fuzz_readers.py.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Characters that have broken parsers before: controls (C0, DEL, C1), markup, quotes,
# TeX specials, Unicode digits, a lone surrogate's neighbours, bidi and zero-width marks.
NASTY = "\x00\x07\x08\x1b\x7f\x85\x9b<>&\"'{}\\#%$~^_@=,\u00b2\u2460\u0663\u202e\u200b\ufeff\u00e9\u4e2d"
_text_chars = st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF)
words = st.text(alphabet=st.sampled_from("abcdefgh XYZ019"), min_size=1, max_size=12)
nasty_text = st.text(alphabet=st.one_of(_text_chars, st.sampled_from(NASTY)), max_size=40)
small_text = st.one_of(words, nasty_text)
huge_number = st.integers(min_value=4290, max_value=4400).map(lambda n: "9" * n)

# --------------------------------------------------------------------------- BibTeX

BIB_TYPES = ["article", "book", "inbook", "incollection", "inproceedings", "misc", "online",
             "mvbook", "collection", "thesis", "report", "xdata", "set", "weird"]
BIB_FIELDS = ["author", "editor", "title", "subtitle", "journal", "journaltitle", "booktitle",
              "year", "date", "month", "volume", "number", "pages", "publisher", "url", "doi",
              "note", "urldate", "langid", "type", "eprint", "eprinttype", "bookauthor"]
LATEX = ["\\emph{x}", "{\\\"u}", "\\textbf{B}", "$\\alpha$", "--", "~", "\\url{http://e.org}",
         "{\\em a}", "\\&", "\\", "{", "}", "\\newcommand", "\\textsuperscript{2}", "``q''"]


@st.composite
def bib_value(draw, macros: list[str]) -> str:
    """A field value: braced or quoted text, a number, macro names joined by #."""
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["brace", "quote", "number", "macro", "latex"]))
        if kind == "brace":
            pieces.append("{" + draw(small_text).replace("}", "").replace("{", "") + "}")
        elif kind == "quote":
            pieces.append('"' + draw(words) + '"')
        elif kind == "number":  # now and then more digits than Python's int() takes
            pieces.append(draw(huge_number) if draw(st.integers(0, 9)) == 0
                          else str(draw(st.integers(0, 3000))))
        elif kind == "macro" and macros:
            pieces.append(draw(st.sampled_from(macros)))
        else:
            pieces.append("{" + "".join(draw(st.lists(st.sampled_from(LATEX), max_size=4))) + "}")
    return " # ".join(pieces)


@st.composite
def bibtex_text(draw) -> str:
    keys = [f"k{i}" for i in range(draw(st.integers(1, 12)))]
    macros: list[str] = []
    out = []
    if draw(st.booleans()):  # @string doubling, some levels deep
        depth = draw(st.integers(1, 30))
        out.append('@string{m0 = "ab"}')
        out += [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, depth)]
        macros += [f"m{i}" for i in range(depth)]
    for key in keys:
        etype = draw(st.sampled_from(BIB_TYPES))
        fields = []
        for name in draw(st.lists(st.sampled_from(BIB_FIELDS), max_size=6)):
            fields.append(f"{name} = {draw(bib_value(macros))}")
        links = draw(st.lists(st.sampled_from(keys), max_size=3))  # fan-out, chains, cycles
        if links:
            link = draw(st.sampled_from(["crossref", "xdata"]))
            value = links[0] if link == "crossref" else ",".join(links)
            fields.append(f"{link} = {{{value}}}")
        sep = draw(st.sampled_from([",\n  ", ", ", "\n  "]))  # a missing comma, sometimes
        out.append(f"@{etype}{{{key},\n  " + sep.join(fields) + "\n}")
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(nasty_text))  # junk between entries
    return "\n".join(out)


# --------------------------------------------------------------------------- RIS

RIS_TAGS = ["TY", "AU", "A1", "TI", "T1", "T2", "JO", "PY", "DA", "Y1", "VL", "IS", "SP", "EP",
            "PB", "CY", "UR", "DO", "SN", "AB", "N1", "KW", "ID", "ER", "XX"]
RIS_TYPES = ["JOUR", "BOOK", "CHAP", "ELEC", "RPRT", "THES", "GEN", "NOPE", ""]


@st.composite
def ris_text(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        lines.append(f"TY  - {draw(st.sampled_from(RIS_TYPES))}")
        for _ in range(draw(st.integers(0, 8))):
            tag = draw(st.sampled_from(RIS_TAGS[1:-2]))
            value = draw(st.one_of(small_text, huge_number, st.sampled_from(
                ["2006/12/19/", "2006", "19 December 2006", "javascript:alert(1)", "10--20"])))
            lines.append(f"{tag}  - {value}")
        if draw(st.integers(0, 4)):
            lines.append("ER  - ")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(nasty_text))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- YAML

YAML_FIELDS = ["title", "container-title", "publisher", "volume", "page", "note", "custom",
               "unknown-field", "issued", "author", "edition"]


def _yaml_scalar() -> st.SearchStrategy[str]:
    quoted = nasty_text.map(lambda t: '"' + t.encode("unicode_escape").decode("ascii")
                            .replace('"', '\\"') + '"')
    return st.one_of(words, quoted, huge_number, st.sampled_from(
        ["2006-12-19", "2006-13-45", "1e999", ".nan", "-.inf", "~", "yes", "0x1F", "[]", "{}",
         "*Drosophila*", "^13^C", "[x]{.nocase}"]))


@st.composite
def yaml_text(draw) -> str:
    width = draw(st.integers(1, 9))
    depth = draw(st.integers(0, 9))
    lines = []
    for i in range(draw(st.integers(1, 4))):
        lines += [f"- id: item{i}", "  type: book", f"  title: {draw(_yaml_scalar())}"]
        for name in draw(st.lists(st.sampled_from(YAML_FIELDS), max_size=4, unique=True)):
            if name in {"title"}:
                continue
            if depth and draw(st.booleans()):  # an alias pyramid, width x depth
                lines.append(f"  {name}:")
                lines.append(f"    a0: &a{i}_0 [" + ", ".join(["x"] * width) + "]")
                for level in range(1, depth):
                    refs = ", ".join([f"*a{i}_{level - 1}"] * width)
                    lines.append(f"    a{level}: &a{i}_{level} [{refs}]")
            elif name == "author":
                lines.append(f"  author: [{draw(words)}, {{family: {draw(words)}}}]")
            else:
                lines.append(f"  {name}: {draw(_yaml_scalar())}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(nasty_text))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML

META_NAMES = ["citation_title", "citation_author", "citation_date", "citation_journal_title",
              "dc.title", "og:title", "og:site_name", "author", "description", "citation_doi"]


@st.composite
def html_attributes(draw, many: int) -> str:
    """An attribute list, sometimes very long, with every quoting HTML5 allows (and some it does not)."""
    count = draw(st.sampled_from([0, 1, 3, many]))
    style = draw(st.sampled_from(["bare", "quoted", "single", "unquoted", "glued", "mixed"]))
    parts = []
    for i in range(count):
        s = style if style != "mixed" else ["bare", "quoted", "single", "unquoted", "glued"][i % 5]
        parts.append({"bare": f" a{i}", "quoted": f' a{i}="v <>"', "single": f" a{i}='v'",
                      "unquoted": f" a{i}=v", "glued": f'a{i}=""'}[s])
    if style == "glued":
        return " " + "".join(parts)
    return "".join(parts)


@st.composite
def html_text(draw, many: int = 300) -> str:
    """A page of tag soup: metadata, elements with many attributes, and places that hide tags."""
    body = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["meta", "div", "comment", "script", "title", "text", "bogus",
                                     "unclosed-quote", "ldjson"]))
        if kind == "meta":
            body.append(f'<meta name="{draw(st.sampled_from(META_NAMES))}" '
                        f'content="{draw(small_text).replace(chr(34), "&quot;")}">')
        elif kind == "div":
            body.append(f"<div{draw(html_attributes(many))}>{draw(small_text)}</div>")
        elif kind == "comment":
            body.append("<!--" + draw(st.sampled_from(["", "-", " x --!", " <div a b> "])) + ">")
        elif kind == "script":
            body.append(f'<script>a<b x="{draw(words)}</script>')
        elif kind == "title":
            body.append(f"<title>{draw(small_text)}</title>")
        elif kind == "bogus":
            body.append(draw(st.sampled_from(["<!x y>", "<?php x ?>", "</1>", "<![CDATA[ x ]]>"])))
        elif kind == "unclosed-quote":
            body.append('<p title="never closed')
        elif kind == "ldjson":
            body.append('<script type="application/ld+json">{"@type": "Article", "headline": '
                        f'"{draw(words)}", "author": {{"name": "{draw(words)}"}}}}</script>')
        else:
            body.append(draw(nasty_text))
    return "<html><head>" + "".join(body) + "</head><body></body></html>"
