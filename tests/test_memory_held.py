"""What a sorted, disambiguated bibliography holds per item (issue 14, memory): shared
values, slots, and structures let go once nothing reads them. The figures themselves are
measured by benchmarks/memory.py, not here; these tests hold the mechanisms, and that the
output is the one the kept structures gave (the CSL suite and tests/test_differential.py
hold that more widely)."""

from __future__ import annotations

import pickle

import pytest

from citekit.csl import disambiguate as disambiguate_module
from citekit.csl import engine, process
from citekit.csl.bibliography import BibEntry
from citekit.csl.document import Document as IncrementalDocument
from citekit.csl.evaluate import DisambigState
from citekit.csl.variables import DateValue, Item
from citekit.registry import default_registry


def article(iid, authors, year, title):
    return {"id": iid, "type": "article-journal", "title": title, "container-title": "Journal",
            "author": [{"family": f, "given": g} for f, g in authors], "issued": {"date-parts": [year]}}


# Lees and Smiths whose cites need initials (a global given-name rule), and whose
# bibliography, printing full given names, sorts again after the expansion
ITEMS = [article("lee2020a", [("Lee", "Hannah"), ("Kim", "Daniel"), ("Park", "Soo")], [2020], "Microplastics"),
         article("lee2020b", [("Lee", "Hannah"), ("Kim", "David"), ("Choi", "Eun")], [2020], "Nanoplastic Uptake"),
         article("lee2020c", [("Lee", "Harold")], [2020], "Housing Subsidies"),
         article("smith2019a", [("Smith", "Julia")], [2019, 7, 1], "Soil Carbon"),
         article("smith2019b", [("Smith", "Julia")], [2019, 9], "Cover Crops"),
         article("smith2019c", [("Smith", "Julia"), ("Okafor", "Chidi")], [2019, 11, 15], "Earthworms"),
         article("smith2019d", [("Smith", "John")], [2019, 3], "Wage Rigidity"),
         article("smith2019e", [("Smith", "John"), ("Lee", "Hannah"), ("Patel", "Ravi")], [2019], "Commuting"),
         # another Smith's initial: APA's cites of the Smiths show theirs
         article("smith2018", [("Smith", "Anna")], [2018], "Tillage")]


def style(name):
    return default_registry().resolve(name)


def test_records_with_many_instances_have_slots_and_still_pickle():
    date = DateValue(parts=((2019, 7, 1),))
    entry = BibEntry("a", "text")
    for value in (date, entry):
        assert not hasattr(value, "__dict__")
        assert pickle.loads(pickle.dumps(value)) == value
    with pytest.raises(AttributeError):
        entry.text = "other"  # still frozen


def test_equal_dates_are_one_value():
    a = Item({"id": "a", "issued": {"date-parts": [[2019, 7]]}})
    b = Item({"id": "b", "issued": {"date-parts": [["2019", "7"]]}, "accessed": "2019-07"})
    assert a.dates["issued"] is b.dates["issued"] is b.dates["accessed"]


def test_clean_names_are_read_from_the_callers_data_and_never_changed():
    raw = {"id": "a", "author": [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rick"}],
           "editor": [{"family": "van Gogh", "given": "Vincent"}], "note": "translator: Poe||Edgar"}
    authors = [dict(n) for n in raw["author"]]
    item = Item(raw)
    assert item.names["author"] is raw["author"]  # nothing to clean: the caller's list
    # a name the engine reads otherwise (a particle split off) is its own copy
    assert item.names["editor"] == [{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}]
    assert raw["editor"] == [{"family": "van Gogh", "given": "Vincent"}]
    # a name from the note is added to a list of the engine's, not to the caller's
    raw2 = {"id": "b", "author": raw["author"], "note": "author: Poe||Edgar"}
    item2 = Item(raw2)
    assert [n["family"] for n in item2.names["author"]] == ["Doe", "Roe", "Poe"]
    assert raw["author"] == authors


def test_a_name_with_other_types_or_keys_is_copied():
    raw = {"id": "a", "author": [{"family": "Doe", "given": "Jane", "parse-names": True}]}
    assert Item(raw).names["author"][0] is not raw["author"][0]
    assert Item(raw).names["author"] == [{"family": "Doe", "given": "Jane"}]


def test_equal_disambiguation_states_share_their_key():
    a, b = DisambigState(), DisambigState()
    a.name_levels = {("author", 0): 1}
    b.name_levels = {("author", 0): 1}
    assert a.key() is b.key()


def test_no_sort_keys_are_held_after_the_bibliography_is_sorted():
    doc = engine.Document(style("apa"), ITEMS, None)
    assert not hasattr(doc, "_bib_keys")
    # the re-sort reads each item's given floor alone, and disambiguation's names are let go
    assert set(doc._given_floors) == {i["id"] for i in ITEMS}
    assert all(isinstance(f, int) for f in doc._given_floors.values())
    assert doc.sort_names == {}


def test_items_with_equal_global_levels_share_them():
    doc = engine.Document(style("apa"), ITEMS, None)
    levels = [doc.disamb[i].global_levels for i in ("smith2019a", "smith2019b")]
    assert levels[0] == {("author", 0): 1}
    assert levels[0] is levels[1]


def test_renders_of_states_an_item_left_are_dropped(monkeypatch):
    made = []

    class Watched(disambiguate_module._Ambig):
        def __init__(self, doc):
            super().__init__(doc)
            made.append(self)
    monkeypatch.setattr(disambiguate_module, "_Ambig", Watched)
    doc = engine.Document(style("apa"), ITEMS, None)
    (amb,) = made
    default = DisambigState().key()
    expanded = {iid for iid, st in doc.disamb.items() if st.global_levels}
    assert expanded
    kept = {key[0] for key in amb.cache if key[-1] == default}
    assert kept and not kept & expanded  # the others' first renders are still read


def test_a_re_sort_from_keys_made_again_orders_as_the_kept_keys(monkeypatch):
    # Chicago author-date: initials in the cites, full names in the bibliography, so the
    # bibliography sorts again after the expansion, reading the first sort's keys; a run
    # makes them again, an incremental document keeps them in its cache
    made = []
    missing = engine._FirstSortKeys.__missing__

    def counting(self, iid):
        made.append(iid)
        return missing(self, iid)
    monkeypatch.setattr(engine._FirstSortKeys, "__missing__", counting)
    st = style("chicago-author-date")
    entries = [e.text for e in process(st, ITEMS).bibliography]
    assert made  # the keys were made again
    kept = [e.text for e in IncrementalDocument(st, ITEMS).bibliography()]
    assert entries == kept
    assert entries.index(next(e for e in entries if "Lee, Hannah, Daniel Kim" in e)) < \
        entries.index(next(e for e in entries if "Lee, Harold" in e))
