"""An incremental document, for editors and word-processor plug-ins.

    doc = Document(style, items)                  # a parsed Style, CSL-JSON items
    doc.insert_cluster({"citationID": "c1", "citationItems": [{"id": "doe"}],
                        "properties": {"noteIndex": 1}})
        → [ClusterUpdate(index=0, id="c1", text="(Doe, 2001)")]
    doc.edit_cluster("c1", [{"id": "doe", "locator": "3"}])
    doc.remove_cluster("c1")
    doc.citations, doc.bibliography(), doc.result()

Each edit returns, in document order, the clusters citeproc-js's processCitationCluster
re-renders (what a word processor updates): the edited or inserted cluster always, every
cluster whose text changed, and every cluster whose cites changed state even where the
text stays the same — an item's disambiguation or data changed; in a numeric style, its
citation number; where the style tests positions, a cite's position, near-note or
first-reference-note-number (a new first note number re-reports every cluster of the
item); in a note style with disambiguate="true" conditions, an item cited in one cluster
becoming cited in several, or back.

The semantics are those of `process()`: after any sequence of edits the document
gives exactly the strings `process(style, items, clusters)` gives for its current
items and clusters, because every edit re-runs the same pipeline (numbering,
positions, disambiguation, collapsing). What makes an edit cheap is the cache
shared between runs: normalized items, each item's ambiguous form per
disambiguation state, bibliography sort keys and each cluster's text per state of
its cites. Only clusters whose cites changed state are rendered again.
"""

from __future__ import annotations

from typing import NamedTuple

from .collapse import render_cluster
from .disambiguate import _Ambig, _name_keys, disambiguates, style_uses_disambiguate_condition
from .engine import Document as _Run
from .engine import Result
from .evaluate import DisambigState
from .variables import Item, clean_text


class ClusterUpdate(NamedTuple):
    index: int  # position of the cluster in the document
    id: str  # its citationID
    text: str  # its new text


class RenderCache:
    """What stays valid from one run of the pipeline to the next."""

    def __init__(self):
        self._items: dict = {}  # id → (raw copy, Item, warnings)
        self.versions: dict = {}  # id → edit count, part of every key involving the item
        self.ambig: dict = {}  # (id, version, number, state) → (text, names)
        self.sort_keys: dict = {}  # (context, id, version, number) → keys
        self.clusters: dict = {}  # cluster key → text
        self.last_keys: dict = {}  # cluster index → its cites' keys (_cite_key) in the last run

    def item(self, raw: dict, warnings: list):
        own: list = []
        iid = clean_text(raw.get("id", ""), "id", "", None) or ""
        hit = self._items.get(iid)
        snapshot = _copy(raw)
        if hit is not None and hit[0] == snapshot:
            warnings.extend(hit[2])
            return hit[1]
        item = Item(raw, own)
        warnings.extend(own)
        self._items[iid] = (snapshot, item, own)
        if hit is not None:
            self.versions[iid] = self.versions.get(iid, 0) + 1
        return item

    def version(self, iid) -> int:
        return self.versions.get(iid, 0)

    def cluster_text(self, run, index: int) -> str:
        key = tuple(_cite_key(self, c) for c in run.cites[index])
        self.last_keys[index] = key  # what _Taints compares from one run to the next
        hit = self.clusters.get(key)
        if hit is None:
            mark = len(run.warnings)
            text = run.finish(render_cluster(run, index))
            hit = self.clusters[key] = (text, run.warnings[mark:])
        else:
            run.warnings.extend(hit[1])
        return hit[0]

    def bib_sort_key(self, cite, compute):
        # bibliography keys are computed before disambiguation: item and number decide them
        key = (cite.item.id, self.version(cite.item.id), cite.citation_number)
        hit = self.sort_keys.get(key)
        if hit is None:
            hit = self.sort_keys[key] = compute()
        return hit

    def forget(self, iid) -> None:
        """Drop an item's normalized data (it was removed or replaced)."""
        if iid in self._items:
            del self._items[iid]
            self.versions[iid] = self.versions.get(iid, 0) + 1


def _copy(value, depth: int = 0):
    """What the engine reads of an item, copied to compare it with the next version: the
    engine reads three levels (fields, name and date objects, date-parts), so deeper
    containers (a `custom` object nested thousands deep, or containing itself) are cut."""
    if isinstance(value, dict):
        return {k: _copy(v, depth + 1) for k, v in value.items()} if depth < 4 else _CUT
    if isinstance(value, (list, tuple)):
        return [_copy(v, depth + 1) for v in value] if depth < 4 else _CUT
    if isinstance(value, float) and value != value:
        return "nan"  # NaN is not equal to itself: the item would never be found unchanged
    return value


_CUT = ("<deeper levels are not read>",)


def _cite_key(cache, c) -> tuple:
    iid = c.item.id
    return (iid, cache.version(iid), c.locator, c.label, c.prefix, c.suffix, c.suppress_author, c.author_only,
            c.position, c.near_note, c.first_note, c.note_index, c.citation_number, c.disamb.key())


class Document:
    """A document's items and citation clusters, updated one edit at a time."""

    def __init__(self, style, items=(), *, locale=None, format="text"):
        self.style = style
        self.locale = locale
        self.format = format
        self._items: dict = {}
        self._clusters: list = []  # normalized citeproc-js citations, in document order
        self._cache = RenderCache()
        self._texts: list = []
        self._taints = None  # what the cites were at the last run
        self._fetched: set = set()  # ids of items that came with a cluster (process_citation_cluster)
        self._run = None
        self._next_id = 1
        for raw in items:
            self._put_item(raw)
        self._refresh()

    # -- items ------------------------------------------------------------------------
    def add_items(self, items) -> list:
        """Add or replace items (by id); returns the clusters whose text changed."""
        for raw in items:
            self._put_item(raw)
            self._fetched.discard(str(raw.get("id", "")) if isinstance(raw, dict) else None)
        return self._refresh()

    def update_item(self, item: dict) -> list:
        return self.add_items([item])

    def remove_item(self, item_id) -> list:
        """Unregister an item; cites of it are skipped (with a warning) until it returns."""
        item_id = clean_text(item_id, "id", "", None) or ""
        self._items.pop(item_id, None)
        self._cache.forget(item_id)
        return self._refresh()

    def _put_item(self, raw):
        if not isinstance(raw, dict):
            raise TypeError("an item is a CSL-JSON dict")
        iid = clean_text(raw.get("id", ""), "id", "", None) or ""
        self._items[iid] = raw

    # -- clusters -------------------------------------------------------------------
    def insert_cluster(self, cluster, index: int | None = None) -> list:
        """Insert a cluster at `index` (default: the end). A cluster is a list of cite
        dicts or a citeproc-js citation {"citationID", "citationItems", "properties"}."""
        cl = self._normalize(cluster)
        if any(c["citationID"] == cl["citationID"] for c in self._clusters):
            raise ValueError(f"a cluster with id {cl['citationID']!r} is already in the document")
        if index is None:
            index = len(self._clusters)
        self._clusters.insert(index, cl)
        self._texts.insert(min(index, len(self._texts)), None)
        return self._refresh(touched=cl["citationID"])

    def edit_cluster(self, cluster_id, cluster) -> list:
        i = self._index(cluster_id)
        cl = self._normalize(cluster, cluster_id)
        self._clusters[i] = cl
        return self._refresh(touched=cl["citationID"])

    def remove_cluster(self, cluster_id) -> list:
        i = self._index(cluster_id)
        del self._clusters[i]
        del self._texts[i]
        return self._refresh()

    def set_clusters(self, clusters) -> list:
        """Replace every cluster at once (one run); returns the clusters whose text changed.
        For a caller that knows a whole document's clusters, such as a Markdown processor."""
        old, self._clusters = self._clusters, []  # generated ids need not avoid the old ones
        try:
            new = [self._normalize(c) for c in clusters]
        finally:
            self._clusters = old
        seen = set()
        for c in new:
            if c["citationID"] in seen:  # nothing changes when the clusters are refused
                raise ValueError(f"a cluster with id {c['citationID']!r} is given twice")
            seen.add(c["citationID"])
        self._clusters = new
        self._texts = [None] * len(new)
        return self._refresh()

    def process_citation_cluster(self, citation, citations_pre=(), citations_post=(), items=()) -> list:
        """citeproc-js's call: the document becomes pre + [citation] + post, each given
        as [citationID, noteIndex] pairs of clusters already in the document. `items` are
        added (or replaced) with the same update, as citeproc-js fetches the items a new
        cluster cites; they leave the document with the last cluster citing them, as in
        citeproc-js (items given to the constructor or add_items stay)."""
        for raw in items:
            self._put_item(raw)
            self._fetched.add(str(raw.get("id", "")))
        known = {c["citationID"]: c for c in self._clusters}
        cl = self._normalize(citation)
        order = []
        for cid, note in list(citations_pre) + [(cl["citationID"], None)] + list(citations_post):
            if cid == cl["citationID"]:
                order.append(cl)
                continue
            if cid not in known:
                raise KeyError(f"no cluster with id {cid!r}")
            c = dict(known[cid])
            c["properties"] = {**c.get("properties", {}), "noteIndex": note}
            order.append(c)
        old = {c["citationID"]: t for c, t in zip(self._clusters, self._texts)}
        cited = {str(c.get("id")) for cl in order for c in cl["citationItems"] if isinstance(c, dict)}
        for iid in self._fetched - cited:
            self._items.pop(iid, None)
            self._cache.forget(iid)
        self._fetched &= cited
        self._clusters = order
        self._texts = [old.get(c["citationID"]) for c in order]
        return self._refresh(touched=cl["citationID"])

    def _index(self, cluster_id) -> int:
        for i, c in enumerate(self._clusters):
            if c["citationID"] == cluster_id:
                return i
        raise KeyError(f"no cluster with id {cluster_id!r}")

    def _normalize(self, cluster, cid=None) -> dict:
        if isinstance(cluster, dict):
            out = {"citationID": cluster.get("citationID") or cid,
                   "citationItems": list(cluster.get("citationItems") or []),
                   "properties": dict(cluster.get("properties") or {})}
        elif isinstance(cluster, (list, tuple)):
            out = {"citationID": cid, "citationItems": list(cluster), "properties": {}}
        else:
            raise TypeError("a cluster is a list of cites or a citeproc-js citation dict")
        if not out["citationID"]:
            while any(c["citationID"] == f"cluster-{self._next_id}" for c in self._clusters):
                self._next_id += 1
            out["citationID"] = f"cluster-{self._next_id}"
            self._next_id += 1
        out["citationID"] = clean_text(out["citationID"], "citationID", "", None) or f"cluster-{self._next_id}"
        return out

    # -- output --------------------------------------------------------------------
    @property
    def cluster_ids(self) -> list:
        return [c["citationID"] for c in self._clusters]

    @property
    def clusters(self) -> list:
        """The clusters as process()/render() take them."""
        return [dict(c) for c in self._clusters]

    @property
    def items(self) -> list:
        return list(self._items.values())

    @property
    def citations(self) -> list:
        return list(self._texts)

    def citation(self, cluster_id) -> str:
        return self._texts[self._index(cluster_id)]

    @property
    def warnings(self) -> list:
        return list(self._run.warnings)

    def bibliography(self) -> list:
        return self._run.render_bibliography()

    def result(self) -> Result:
        """Everything process() returns, for the document as it stands."""
        bib = self.bibliography()
        opts = {}
        if self.style.bibliography is not None:
            b = self.style.bibliography.attrs
            for k in ("hanging-indent", "second-field-align", "line-spacing", "entry-spacing"):
                if k in b:
                    opts[k] = b[k]
        return Result(citations=list(self._texts), bibliography=bib, warnings=list(self._run.warnings),
                      format=self.format, bibliography_options=opts)

    # -- the run ---------------------------------------------------------------------
    def _refresh(self, touched=None) -> list:
        run = _Run(self.style, list(self._items.values()), self._clusters, locale=self.locale,
                   format=self.format, cache=self._cache)
        texts = run.render_citations()
        taints = _Taints(self.style, run, self._clusters, self._cache, self._taints)
        tainted = taints.tainted_since(self._taints)
        changes = []
        for i, (cl, text) in enumerate(zip(self._clusters, texts)):
            cid = cl["citationID"]
            if text != (self._texts[i] if i < len(self._texts) else None) or cid == touched or cid in tainted:
                changes.append(ClusterUpdate(i, cid, text))
        self._taints = taints
        self._texts = texts
        self._run = run
        # bounded: entries for states that no longer occur are not kept forever
        if len(self._cache.clusters) > 4 * len(texts) + 1024:
            self._cache.clusters.clear()
        if len(self._cache.ambig) > 8 * len(self._items) + 1024:
            self._cache.ambig.clear()
        return changes


class _Taints:
    """What decides, from one run to the next, which clusters citeproc-js re-renders though
    their text may be unchanged: per cluster, a signature of its cites' state; per item,
    its first-reference note number and whether several clusters cite it."""

    def __init__(self, style, run, clusters, cache, previous=None):
        position_mode, numeric_mode = _update_modes(style)
        count_mode = style.style_class == "note" and _uses_disambiguate_condition(style)
        self.signatures: dict = {}  # cluster id → its cites' ids, positions, numbers
        self.first_notes: dict = {}  # (cluster id, item id) → first-reference-note-number
        self.cited_by: dict = {}  # item id → number of clusters citing it
        self.states: dict = {}  # item id → its version and disambiguation state
        self.cites = []  # (cluster id, ids of the items it cites)
        # the cites' keys the render cache has just built: (id, version, locator, label,
        # prefix, suffix, suppress-author, author-only, position, near-note, first note,
        # note index, citation number, disambiguation state)
        keys = cache.last_keys
        for i, cl in enumerate(clusters):
            cid = cl["citationID"]
            cite_keys = keys.get(i, ())
            ids = [k[0] for k in cite_keys]
            self.cites.append((cid, ids))
            for k in cite_keys:
                self.states[k[0]] = (k[1], k[13])
            if position_mode:
                firsts = [k[10] if k[8] != "first" else None for k in cite_keys]
                for iid, first in zip(ids, firsts):
                    self.first_notes[(cid, iid)] = first
                sig = tuple((k[0], k[8], k[9], f, k[12] if numeric_mode else None) for k, f in zip(cite_keys, firsts))
            else:
                sig = tuple((k[0], k[12]) for k in cite_keys) if numeric_mode else tuple(ids)
            self.signatures[cid] = sig
            if count_mode:
                for iid in set(ids):
                    self.cited_by[iid] = self.cited_by.get(iid, 0) + 1
        # Items sharing their ambiguous form with an item that comes or goes are disambiguated
        # again; their clusters re-render when one of their names starts or stops colliding
        # with another item's (citeproc-js's name registry), though the text may not change.
        self.ids = set(run.order)
        self.versions = dict(cache.versions)
        if previous is not None and previous.ids == self.ids and previous.versions == self.versions:
            self.akeys, self.collisions = previous.akeys, previous.collisions  # the same items
        else:
            self.akeys, self.collisions = _name_collisions(run)

    def _rerun(self, old) -> set:
        out = set()
        for ids, forms in ((self.ids - old.ids, self.akeys), (old.ids - self.ids, old.akeys)):
            keys = {forms[i] for i in ids if i in forms}
            out |= {i for i, k in self.akeys.items() if k in keys}
        return {i for i in out if i in old.ids and self.collisions[i] != old.collisions.get(i, set())}

    def tainted_since(self, old) -> set:
        if old is None:
            return set()
        out = set()
        if self.signatures != old.signatures:
            out = {cid for cid, sig in self.signatures.items() if cid in old.signatures and old.signatures[cid] != sig}
        items = set()
        if self.first_notes != old.first_notes:
            for key, note in self.first_notes.items():
                if key in old.first_notes and old.first_notes[key] != note:
                    items.add(key[1])
        for iid, n in self.cited_by.items():
            if iid not in old.cited_by or (old.cited_by[iid] < 2) != (n < 2):
                items.add(iid)
        if self.states != old.states:
            items |= {i for i, st in self.states.items() if i in old.states and old.states[i] != st}
        if self.ids != old.ids:
            items |= self._rerun(old)
        if items:
            out |= {cid for cid, ids in self.cites if not items.isdisjoint(ids)}
        return out


def _name_collisions(run) -> tuple:
    """item id → its ambiguous form (before disambiguation); item id → the set of its cited
    names' families that have several initials, and of its (family, initials) that stand
    for several given names, among the run's items."""
    if not disambiguates(run):
        return {}, {}
    amb = _Ambig(run)
    primary = run.cit.opts.get("givenname-disambiguation-rule", "by-cite").startswith("primary-")
    keys_of = {}
    akeys = {}
    inits: dict = {}
    givens: dict = {}
    memo: dict = {}
    for iid in run.order:
        keys = []
        akeys[iid], sets = amb.render(iid, DisambigState())
        for _var, _names, shown, _form, _iw in sets:
            for name in shown[:1] if primary else shown:
                k = _name_keys(name, run.cit.demote_particle, memo)
                if k:
                    keys.append(k)
                    inits.setdefault(k[0], set()).add(k[1])
                    givens.setdefault(k[:2], set()).add(k[2])
        keys_of[iid] = keys
    return akeys, {iid: {k[0] for k in keys if len(inits[k[0]]) > 1} | {k[:2] for k in keys if len(givens[k[:2]]) > 1}
                   for iid, keys in keys_of.items()}


def _update_modes(style) -> tuple:
    """(positions matter, citation numbers matter) for the citation, as citeproc-js decides
    which changes re-render a cluster: position tests or a subsequent et-al different from
    the first; citation-number rendered in cites."""
    cached = style._facts.get("update-modes")
    if cached is not None:
        return cached
    position = numeric = False
    seen = set()

    def walk(el):
        nonlocal position, numeric
        if el.get("position") is not None and el.tag in ("if", "else-if"):
            position = True
        if el.tag in ("text", "number") and el.get("variable") == "citation-number":
            numeric = True
        macro = el.get("macro")
        if macro and macro not in seen and macro in style.macros:
            seen.add(macro)
            walk(style.macros[macro])
        for c in el.children:
            walk(c)
    if style.citation is not None:
        walk(style.citation)
        a = {**style.options, **style.citation.attrs}
        for sub, plain in (("et-al-subsequent-min", "et-al-min"), ("et-al-subsequent-use-first", "et-al-use-first")):
            if a.get(sub) and a.get(sub) != a.get(plain):
                position = True
    style._facts["update-modes"] = (position, numeric)
    return position, numeric


def _uses_disambiguate_condition(style) -> bool:
    return style_uses_disambiguate_condition(style)
