"""citekit's documents against pandoc 3 --citeproc, block by block.

Every Markdown document in tests/data/documents/ is processed twice: by
`pandoc --citeproc` and by `citekit.render_markdown`, whose Markdown is read back by
pandoc. Both are written as plain text and compared block by block. A difference must be
listed in tests/data/documents/differences.yaml with its reason (where pandoc's own engine
formats a string differently from citeproc-js, citekit follows citeproc-js); a listed
difference that no longer occurs fails too, so the list only shrinks.

pandoc comes from pypandoc-binary (the `test` extra); without it these tests fail rather
than skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pandoc_compare import DOCS, compare, differences, pandoc_path

DOCUMENTS = sorted(p for p in DOCS.glob("*.md"))
LISTED = yaml.safe_load((DOCS / "differences.yaml").read_text(encoding="utf-8"))


def _normalize(block: str) -> str:
    # citeproc-js (and so citekit) puts a no-break space between a label and its number
    # ("p. 33", "vol. 5"); pandoc's engine a plain space. The only global difference.
    return block.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def pandoc() -> str:
    path = pandoc_path()
    if not path:
        pytest.fail("pandoc is needed: pip install -e '.[test]' (pypandoc-binary ships it)")
    return path


def test_enough_documents():
    assert len(DOCUMENTS) >= 25


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_same_blocks_as_pandoc(doc: Path, pandoc: str, tmp_path: Path):
    theirs, ours, _ = compare(doc, tmp_path, pandoc)
    found = [(_normalize(a), _normalize(b)) for a, b in differences(theirs, ours)
             if _normalize(a) != _normalize(b)]
    listed = [(d["pandoc"], d["citekit"]) for d in LISTED.get(doc.name, [])]
    unexplained = [f"pandoc:  {a}\ncitekit: {b}" for a, b in found if (a, b) not in listed]
    gone = [f"pandoc:  {a}\ncitekit: {b}" for a, b in listed if (a, b) not in found]
    assert not unexplained, "differences not in differences.yaml:\n" + "\n\n".join(unexplained)
    assert not gone, "listed differences that no longer occur (remove them):\n" + "\n\n".join(gone)


def test_every_listed_difference_has_a_reason():
    for name, entries in LISTED.items():
        assert (DOCS / name).is_file(), name
        for entry in entries:
            assert entry.get("reason", "").strip(), f"{name}: a difference without a reason"
