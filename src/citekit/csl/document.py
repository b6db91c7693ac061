"""An incremental document, for editors and word-processor plug-ins.

    doc = Document(style, items)                  # a parsed Style, CSL-JSON items
    doc.insert_cluster({"citationID": "c1", "citationItems": [{"id": "doe"}],
                        "properties": {"noteIndex": 1}})
        → [ClusterUpdate(index=0, id="c1", text="(Doe, 2001)")]
    doc.edit_cluster("c1", [{"id": "doe", "locator": "3"}])
    doc.remove_cluster("c1")
    doc.citations, doc.bibliography(), doc.result()

Each edit returns the clusters whose text changed (the edited or inserted cluster
always), in document order — what citeproc-js's processCitationCluster reports.

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

from .engine import Document as _Run
from .engine import Result
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
        from .collapse import render_cluster
        key = tuple(_cite_key(self, c) for c in run.cites[index])
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

    def process_citation_cluster(self, citation, citations_pre=(), citations_post=()) -> list:
        """citeproc-js's call: the document becomes pre + [citation] + post, each given
        as [citationID, noteIndex] pairs of clusters already in the document."""
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
        changes = []
        for i, (cl, text) in enumerate(zip(self._clusters, texts)):
            if text != (self._texts[i] if i < len(self._texts) else None) or cl["citationID"] == touched:
                changes.append(ClusterUpdate(i, cl["citationID"], text))
        self._texts = texts
        self._run = run
        # bounded: entries for states that no longer occur are not kept forever
        if len(self._cache.clusters) > 4 * len(texts) + 1024:
            self._cache.clusters.clear()
        if len(self._cache.ambig) > 8 * len(self._items) + 1024:
            self._cache.ambig.clear()
        return changes
