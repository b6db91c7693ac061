"""Sort keys made when a comparison reaches them (issue 14, csl/sort.py LATER): fewer keys
are made, the order is the same (tests/test_differential.py holds that on the CSL suite and
the agreement corpus), and the keys that disambiguation reads are still made for every item."""

from __future__ import annotations

import citekit
from citekit.csl import engine, sort
from citekit.registry import default_registry

ITEMS = [{"id": f"i{n}", "type": "book", "title": f"Title {n % 7}", "publisher": f"Press {n % 3}",
          "author": [{"family": f"Family{n % 50}", "given": "Ann"}],  # ten pairs of one author
          "issued": {"date-parts": [[1990 + n % 4]]}} for n in range(60)]


def _count_macro_keys(monkeypatch, style, eager: bool):
    made = []
    original = sort._macro_key_text

    def counting(ev, key, cite, mode):
        made.append(key.get("macro"))
        return original(ev, key, cite, mode)
    with monkeypatch.context() as m:
        m.setattr(sort, "_macro_key_text", counting)
        if eager:
            m.setattr(engine, "INVARIANT", sort.EAGER)
            m.setattr(engine, "AFTER_FIRST", sort.EAGER)
        result = citekit.render(style, ITEMS)
    return made, [e.text for e in result.bibliography], result


def test_keys_after_the_first_are_made_only_for_ties(monkeypatch):
    # MLA: no global given-name rule, so every key after the first may wait
    style = default_registry().resolve("modern-language-association")
    lazy, lazy_text, _ = _count_macro_keys(monkeypatch, style, eager=False)
    every, every_text, _ = _count_macro_keys(monkeypatch, style, eager=True)
    assert lazy_text == every_text
    assert lazy.count("author") == every.count("author") == len(ITEMS)  # the first key: always
    assert lazy.count("title") < every.count("title") == len(ITEMS)
    assert len(lazy) < len(every) // 2


def test_with_a_global_given_name_rule_the_keys_with_names_are_made_for_every_item(monkeypatch):
    # APA (primary-name-with-initials): the names its keys print count for disambiguation
    style = default_registry().resolve("apa")
    lazy, lazy_text, result = _count_macro_keys(monkeypatch, style, eager=False)
    every, every_text, _ = _count_macro_keys(monkeypatch, style, eager=True)
    assert lazy_text == every_text
    assert lazy.count("author-sort") == len(ITEMS)
    # the title key depends on the item alone: made only where author and date tie
    assert lazy.count("title") < every.count("title")
    assert len(lazy) < len(every)
