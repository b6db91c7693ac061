"""The incremental Document against the one-shot pipeline.

After every edit of a random sequence (insert, edit and remove clusters, add,
change and remove items), the document's citations and bibliography must be the
strings `process()` gives for the same items and clusters, and the reported
updates must be exactly the clusters whose text changed (plus the edited one).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citekit
from citekit import registry
from citekit.csl import ClusterUpdate, Document, process
from csl_suite import fixture_paths, read_fixture, suite_dir

STYLES = {name: registry.resolve(name) for name in
          ("apa", "chicago-notes-bibliography", "nature", "chicago-author-date", "modern-language-association")}

# Few authors, few years, similar titles: plenty of ambiguity for disambiguation.
FAMILIES = ["Doe", "Roe", "Smith"]
GIVENS = ["John", "Jane", "Alan"]


def _item(i, fam, giv, year, n_authors, typ):
    authors = [{"family": FAMILIES[(fam + k) % 3], "given": GIVENS[(giv + k) % 3]} for k in range(n_authors)]
    return {"id": f"i{i}", "type": typ, "title": f"Title {i % 3}", "author": authors,
            "issued": {"date-parts": [[2000 + year]]}, "container-title": "Journal", "page": "1-10"}


items_strategy = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 1), st.integers(1, 4),
              st.sampled_from(["book", "article-journal"])),
    min_size=2, max_size=6,
).map(lambda specs: [_item(i, *s) for i, s in enumerate(specs)])

cite_strategy = st.fixed_dictionaries({"item": st.integers(0, 5)}, optional={
    "locator": st.sampled_from(["3", "12", "4-6"]),
    "suppress-author": st.just(True),
    "prefix": st.sampled_from(["see ", "cf. "]),
})

op_strategy = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10), st.lists(cite_strategy, min_size=1, max_size=3),
              st.integers(0, 3)),
    st.tuples(st.just("edit"), st.integers(0, 10), st.lists(cite_strategy, min_size=1, max_size=3),
              st.integers(0, 3)),
    st.tuples(st.just("remove"), st.integers(0, 10)),
    st.tuples(st.just("item"), st.integers(0, 5), st.integers(0, 2), st.integers(0, 1)),
)


def _cites(specs, n_items):
    out = []
    for s in specs:
        c = {"id": f"i{s['item'] % n_items}"}
        for k in ("locator", "suppress-author", "prefix"):
            if k in s:
                c[k] = s[k]
        out.append(c)
    return out


def _check(doc, style, before, changes):
    res = process(style, doc.items, doc.clusters)
    assert doc.citations == res.citations
    assert [(e.id, e.text) for e in doc.bibliography()] == [(e.id, e.text) for e in res.bibliography]
    ids = doc.cluster_ids
    for ch in changes:
        assert isinstance(ch, ClusterUpdate)
        assert ids[ch.index] == ch.id and doc.citations[ch.index] == ch.text
    changed = {ch.id for ch in changes}
    for cid, text in zip(ids, doc.citations):
        if before.get(cid) != text:
            assert cid in changed, f"cluster {cid} changed but was not reported"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(style_name=st.sampled_from(sorted(STYLES)), items=items_strategy,
       ops=st.lists(op_strategy, min_size=1, max_size=8))
def test_random_edits_match_process(style_name, items, ops):
    style = STYLES[style_name]
    doc = Document(style, items)
    n = len(items)
    note = 0
    for op in ops:
        before = dict(zip(doc.cluster_ids, doc.citations))
        if op[0] == "insert":
            _, where, specs, gap = op
            note += 1 + gap
            cluster = {"citationItems": _cites(specs, n), "properties": {"noteIndex": note}}
            changes = doc.insert_cluster(cluster, min(where, len(doc.cluster_ids)))
        elif op[0] == "edit":
            if not doc.cluster_ids:
                continue
            _, which, specs, _gap = op
            cid = doc.cluster_ids[which % len(doc.cluster_ids)]
            changes = doc.edit_cluster(cid, _cites(specs, n))
            assert any(ch.id == cid for ch in changes)
        elif op[0] == "remove":
            if not doc.cluster_ids:
                continue
            cid = doc.cluster_ids[op[1] % len(doc.cluster_ids)]
            changes = doc.remove_cluster(cid)
            assert cid not in doc.cluster_ids
        else:
            _, which, fam, year = op
            changed = _item(which % n, fam, fam, year, 1 + which % 3, "book")
            changes = doc.update_item(changed)
        _check(doc, style, before, changes)


def test_insert_reports_the_new_cluster_and_the_ones_it_changes():
    style = STYLES["apa"]
    a = {"id": "a", "type": "book", "title": "A", "author": [{"family": "Doe", "given": "John"}],
         "issued": {"date-parts": [[2001]]}}
    b = {"id": "b", "type": "book", "title": "B", "author": [{"family": "Doe", "given": "Mary"}],
         "issued": {"date-parts": [[2001]]}}
    doc = Document(style, [a])
    assert doc.insert_cluster({"citationID": "c1", "citationItems": [{"id": "a"}]}) == [
        ClusterUpdate(0, "c1", "(Doe, 2001)")]
    # a second Doe of 2001 makes the first cite ambiguous: both clusters change
    changes = doc.add_items([b])
    assert changes == [ClusterUpdate(0, "c1", "(J. Doe, 2001)")]
    changes = doc.insert_cluster({"citationID": "c2", "citationItems": [{"id": "b"}]}, 0)
    assert changes == [ClusterUpdate(0, "c2", "(M. Doe, 2001)")]
    assert doc.citations == ["(M. Doe, 2001)", "(J. Doe, 2001)"]
    # removing the other item leaves "Doe" alone again; its own cluster is now empty
    assert doc.remove_item("b") == [ClusterUpdate(0, "c2", ""), ClusterUpdate(1, "c1", "(Doe, 2001)")]
    with pytest.raises(KeyError):
        doc.remove_cluster("nope")


def test_notes_update_positions_when_a_cluster_is_removed():
    style = STYLES["chicago-notes-bibliography"]
    a = {"id": "a", "type": "book", "title": "Alpha", "author": [{"family": "Doe", "given": "John"}],
         "issued": {"date-parts": [[2001]]}, "publisher": "P"}
    b = {"id": "b", "type": "book", "title": "Beta", "author": [{"family": "Roe", "given": "Jane"}],
         "issued": {"date-parts": [[2002]]}, "publisher": "P"}
    doc = Document(style, [a, b])
    for n, iid in enumerate(["a", "b", "a"], 1):
        # no noteIndex: in a note style each cluster is the next note
        doc.insert_cluster({"citationID": f"n{n}", "citationItems": [{"id": iid}]})
    assert doc.citations == ["John Doe, Alpha (P, 2001).", "Jane Roe, Beta (P, 2002).", "Doe, Alpha."]
    # the first note goes: the later note on the same book becomes its first, full reference
    assert doc.remove_cluster("n1") == [ClusterUpdate(1, "n3", "John Doe, Alpha (P, 2001).")]


def test_process_citation_cluster_reorders_like_citeproc_js():
    style = STYLES["apa"]
    a = {"id": "a", "type": "book", "title": "A", "author": [{"family": "Doe", "given": "John"}],
         "issued": {"date-parts": [[2001]]}}
    doc = Document(style, [a])
    doc.process_citation_cluster({"citationID": "x", "citationItems": [{"id": "a"}],
                                  "properties": {"noteIndex": 0}})
    changes = doc.process_citation_cluster({"citationID": "y", "citationItems": [{"id": "a", "locator": "5"}],
                                            "properties": {"noteIndex": 0}}, [["x", 0]], [])
    assert changes == [ClusterUpdate(1, "y", "(Doe, 2001, p. 5)")]
    assert doc.cluster_ids == ["x", "y"]


SUITE = suite_dir()
PROGRESSIVE = [p for p in fixture_paths(SUITE) if "CITATIONS =" in p.read_text(encoding="utf-8")] if SUITE else []


@pytest.mark.skipif(not PROGRESSIVE, reason="CSL test suite not found")
def test_progressive_fixtures_through_the_document_match_render():
    """Every CSL-suite fixture that builds its document cluster by cluster gives,
    through process_citation_cluster, the strings render() gives at each step."""
    from citekit.csl import parse_style
    for path in PROGRESSIVE:
        fx = read_fixture(path)
        style = parse_style(fx["csl"])
        doc = Document(style, fx["input"], format="html")
        for citation, pre, post in fx["citations"]:
            doc.process_citation_cluster(citation, pre, post)
            res = citekit.render(style, fx["input"], doc.clusters, format="html")
            assert doc.citations == res.citations, path.stem
