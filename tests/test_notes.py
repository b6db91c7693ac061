"""Whole documents through citekit.render: the seed document of the document-engine
issue (two briefs by one author, cited in three notes), positions in notes and cite
options."""

from __future__ import annotations

import pytest

import citekit

URL = "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242"
BRIEF = citekit.Brief(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"], date="2006-12-19",
                      publisher="Council on Foreign Relations", url=URL, kind="Analysis Brief")
SECOND = {"id": "zissis2006b", "type": "webpage", "title": "Beijing's Pressure on Pyongyang",
          "author": [{"family": "Zissis", "given": "Carin"}], "issued": {"date-parts": [[2006, 11, 2]]},
          "container-title": "Council on Foreign Relations", "genre": "Analysis Brief"}


def _seed_document():
    first = BRIEF.to_csl()
    clusters = [
        {"citationItems": [{"id": first["id"]}], "properties": {"noteIndex": 1}},
        {"citationItems": [{"id": "zissis2006b"}], "properties": {"noteIndex": 2}},
        {"citationItems": [{"id": first["id"], "locator": "3"}], "properties": {"noteIndex": 3}},
    ]
    return [first, SECOND], clusters


def test_seed_document_apa():
    items, clusters = _seed_document()
    res = citekit.render("apa", items, clusters)
    assert res.citations == ["(Zissis, 2006b)", "(Zissis, 2006a)", "(Zissis, 2006b, p. 3)"]
    assert [e.text for e in res.bibliography] == [
        "Zissis, C. (2006a, November 2). Beijing’s Pressure on Pyongyang [Analysis Brief]. "
        "Council on Foreign Relations.",
        "Zissis, C. (2006b, December 19). Dim Prospects for Six-Party Deal [Analysis Brief]. "
        f"Council on Foreign Relations. {URL}",
    ]


def test_seed_document_mla():
    items, clusters = _seed_document()
    res = citekit.render("modern-language-association", items, clusters)
    assert res.citations == [
        "(Zissis, “Dim Prospects for Six-Party Deal”)",
        "(Zissis, “Beijing’s Pressure on Pyongyang”)",
        "(Zissis, “Dim Prospects for Six-Party Deal” 3)",
    ]
    assert res.bibliography[1].text.startswith("———. “Dim Prospects for Six-Party Deal.”")


def test_seed_document_chicago_notes():
    items, clusters = _seed_document()
    res = citekit.render("chicago-notes-bibliography", items, clusters)
    assert res.citations[0].startswith("Carin Zissis, “Dim Prospects for Six-Party Deal,”")
    assert res.citations[2] == "Zissis, “Dim Prospects for Six-Party Deal,” 3."


def test_mla_adds_the_title_only_when_one_author_has_two_works():
    alone = citekit.render("modern-language-association", [BRIEF], [[{"id": BRIEF.to_csl()["id"]}]])
    assert alone.citations == ["(Zissis)"]


# -- positions in a hand-written note style ---------------------------------------------

NOTE_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><id>t</id><title>t</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation near-note-distance="2" et-al-min="3" et-al-use-first="3"
            et-al-subsequent-min="2" et-al-subsequent-use-first="1">
    <layout delimiter="; " suffix=".">
      <choose>
        <if position="ibid-with-locator">
          <group delimiter=", "><text term="ibid"/><text variable="locator"/></group>
        </if>
        <else-if position="ibid"><text term="ibid"/></else-if>
        <else-if position="near-note">
          <group delimiter=", ">
            <names variable="author"><name form="short"/></names>
            <text variable="title" form="short"/>
            <group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>
          </group>
        </else-if>
        <else-if position="subsequent">
          <group delimiter=", ">
            <names variable="author"><name form="short"/></names>
            <group delimiter=" "><text term="note"/><text variable="first-reference-note-number"/></group>
          </group>
        </else-if>
        <else>
          <group delimiter=", ">
            <names variable="author"/>
            <text variable="title"/>
            <group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>
          </group>
        </else>
      </choose>
    </layout>
  </citation>
</style>"""

ITEMS = [
    {"id": "a", "type": "book", "title": "Alpha", "author": [
        {"family": "Doe", "given": "John"}, {"family": "Roe", "given": "Jane"}, {"family": "Poe", "given": "Al"}]},
    {"id": "b", "type": "book", "title": "Beta", "author": [{"family": "Smith", "given": "Ann"}]},
]


def _notes(*clusters):
    return [{"citationItems": c, "properties": {"noteIndex": n}} for n, c in enumerate(clusters, 1)]


def test_first_ibid_ibid_with_locator_and_subsequent():
    res = citekit.render(NOTE_STYLE, ITEMS, _notes(
        [{"id": "a"}],
        [{"id": "a"}],
        [{"id": "a", "locator": "12"}],
        [{"id": "a", "locator": "12"}],
        [{"id": "b"}],
        [{"id": "b"}, {"id": "a", "locator": "3", "label": "chapter"}],
        [{"id": "b"}],
        [{"id": "b"}],
        [{"id": "b"}],
        [{"id": "a"}],
    ))
    assert res.citations == [
        "John Doe, Jane Roe, Al Poe, Alpha.",
        "Ibid.",
        "Ibid., 12.",
        "Ibid.",
        "Ann Smith, Beta.",
        # et-al-subsequent-* shorten the names of later cites
        "Ibid.; Doe et al., Alpha, chap. 3.",
        # ibid only after a note with a single cite; near-note within two notes
        "Smith, Beta.",
        "Ibid.",
        "Ibid.",
        "Doe et al., note 1.",
    ]


def test_ibid_after_a_locator_needs_one_of_its_own():
    res = citekit.render(NOTE_STYLE, ITEMS, _notes([{"id": "b", "locator": "4"}], [{"id": "b"}]))
    assert res.citations == ["Ann Smith, Beta, p. 4.", "Smith, Beta."]


def test_cite_options_prefix_suffix_suppress_author_and_author_only():
    res = citekit.render("apa", [BRIEF], [
        [{"id": BRIEF.to_csl()["id"], "prefix": "see ", "suffix": ", for one", "locator": "2-4"}],
        [{"id": BRIEF.to_csl()["id"], "suppress-author": True}],
        [{"id": BRIEF.to_csl()["id"], "author-only": True}],
        [{"id": BRIEF.to_csl()["id"], "locator": "7", "label": "chapter"}],
    ])
    assert res.citations == [
        "(see Zissis, 2006, pp. 2–4, for one)",
        "(2006)",
        "(Zissis)",
        "(Zissis, 2006, Chapter 7)",
    ]


@pytest.mark.parametrize("style", ["nature", "american-medical-association"])
def test_numeric_styles_collapse_ranges(style):
    items = [{"id": f"n{i}", "type": "book", "title": f"T{i}", "author": [{"family": f"F{i}", "given": "G"}],
              "issued": {"date-parts": [[2000]]}} for i in range(6)]
    # numbers follow first citation: n0-n2 are 1-3, then n3, n4, n5 are 4, 5, 6
    res = citekit.render(style, items, [[{"id": f"n{i}"} for i in (0, 1, 2)],
                                        [{"id": "n3"}, {"id": "n4"}, {"id": "n5"}, {"id": "n0"}],
                                        [{"id": "n5"}, {"id": "n0"}, {"id": "n4"}]])
    assert [c.replace(", ", ",") for c in res.citations] == ["1–3", "1,4–6", "1,5,6"]
