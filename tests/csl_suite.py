"""Reading and running fixtures of the official CSL test suite.

The suite itself is never copied into the project: it is read from
../shared/csl-test-suite beside the project, or from $CITEKIT_CSL_TEST_SUITE.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

_SECTION_RE = re.compile(r">>=+\s*([A-Z0-9-]+)\s*=+>>\n?(.*?)\n?<<=+\s*\1\s*=+<<", re.S)


def suite_dir() -> Path | None:
    env = os.environ.get("CITEKIT_CSL_TEST_SUITE")
    if env:
        p = Path(env)
        return p if p.is_dir() else None
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "shared" / "csl-test-suite", here / ".." / "shared" / "csl-test-suite"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


def read_fixture(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    sections = {m.group(1): m.group(2) for m in _SECTION_RE.finditer(text)}
    fx = {"name": path.stem, "mode": sections["MODE"].strip(), "result": sections["RESULT"],
          "csl": sections["CSL"], "input": json.loads(sections["INPUT"])}
    if "CITATION-ITEMS" in sections:
        fx["citation_items"] = json.loads(sections["CITATION-ITEMS"])
    if "CITATIONS" in sections:
        fx["citations"] = json.loads(sections["CITATIONS"])
    return fx


def fixture_paths(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*_*.txt"))


def run_fixture(fx: dict, render, document=None) -> str:
    """Render a fixture with render(style, items, clusters, format) -> Result; the
    string citeproc-js's test runner would print. document(style, format) -> an
    incremental citekit.csl.Document, when the engine has one: fixtures of successive
    clusters then go through it, and its reports of re-rendered clusters make the
    ">>" markers."""
    items = _with_ids(fx["input"])
    style = fx["csl"]
    if "citations" in fx:
        if document is not None:
            return _run_document(fx, document)
        return _run_progressive(fx, render)
    if "citation_items" in fx:
        clusters = fx["citation_items"]
    elif fx["mode"] == "citation":
        ids = list(dict.fromkeys(it.get("id") for it in items))
        # citeproc-js's runner cites the items in the order of its registry, which
        # is the bibliography's sort order when the style sorts its bibliography
        listed = [e.id for e in render(style, items, None, "html").bibliography]
        if listed and "<bibliography" in style and "<sort" in style.split("<bibliography", 1)[1]:
            rank = {iid: n for n, iid in enumerate(listed)}
            ids.sort(key=lambda i: rank.get(str(i), len(rank)))
        clusters = [[{"id": i} for i in ids]]
    else:
        clusters = None
    result = render(style, items, clusters, "html")
    if fx["mode"] == "citation":
        return "\n".join(result.citations)
    return result.bibliography_block()


def _with_ids(items):
    # citeproc-js's test runner names items without an id ITEM-1, ITEM-2, ...
    return [it if it.get("id") not in (None, "") else {**it, "id": f"ITEM-{i}"}
            for i, it in enumerate(items, 1)]


def _run_progressive(fx, render):
    items = _with_ids(fx["input"])
    style = fx["csl"]
    registry: dict = {}
    previous: dict = {}
    changed: set = set()
    order: list = []
    result = None
    for citation, pre, post in fx["citations"]:
        cid = citation.get("citationID")
        registry[cid] = citation
        pre_ids = [p[0] for p in pre]
        post_ids = [p[0] for p in post]
        for i, pid in enumerate(pre_ids):
            registry[pid].setdefault("properties", {})["noteIndex"] = pre[i][1]
        for i, pid in enumerate(post_ids):
            registry[pid].setdefault("properties", {})["noteIndex"] = post[i][1]
        order = pre_ids + [cid] + post_ids
        clusters = [registry[x] for x in order]
        # citeproc-js registers an item when a cluster cites it: uncited items do not
        # take part (in disambiguation, for one)
        cited = {str(c.get("id")) for x in order for c in registry[x].get("citationItems", [])}
        result = render(style, [it for it in items if str(it.get("id")) in cited], clusters, "html")
        current = dict(zip(order, result.citations))
        # the cluster just processed is always reported, as citeproc-js does
        changed = {x for x in order if previous.get(x) != current[x]} | {cid}
        previous = current
    if fx["mode"] == "bibliography":
        return result.bibliography_block()
    lines = []
    for i, x in enumerate(order):
        mark = ">>" if x in changed else ".."
        lines.append(f"{mark}[{i}] {previous[x]}")
    return "\n".join(lines)


def _run_document(fx, document):
    # citeproc-js's runner: one processCitationCluster call per entry, items fetched as
    # clusters cite them; ">>" marks the clusters the last call returned
    items = {str(it["id"]): it for it in _with_ids(fx["input"])}
    doc = document(fx["csl"], "html")
    changed: set = set()
    for citation, pre, post in fx["citations"]:
        ids = dict.fromkeys(str(c.get("id")) for c in citation.get("citationItems", []))
        cited = [items[i] for i in ids if i in items]
        changed = {u.id for u in doc.process_citation_cluster(citation, pre, post, items=cited)}
    if fx["mode"] == "bibliography":
        return doc.result().bibliography_block()
    return "\n".join(f"{'>>' if cid in changed else '..'}[{i}] {text}"
                     for i, (cid, text) in enumerate(zip(doc.cluster_ids, doc.citations)))


def normalize(s: str) -> str:
    return s.strip()
