"""Positions of cites in a document: first, subsequent, ibid, ibid-with-locator,
near-note, and the note number of each item's first reference.

Cites are taken in each cluster's sorted order. The rules follow CSL 1.0.2 and,
where it is silent, the reference implementation:

- ibid: the same item as the cite just before it in the same cluster; or, for the
  first cite of a cluster, the same item as the previous cluster's cite when that
  cluster is alone in the previous (or the same) note — for clusters in the same
  note (or in-text clusters, note 0), the previous cluster's last cite is compared;
- a cite without locator after one with a locator is "subsequent", not ibid;
  a different (or new) locator makes it ibid-with-locator;
- near-note: a previous cite of the item at most near-note-distance notes back
  (always, for in-text clusters that are not first).
"""

from __future__ import annotations

from .evaluate import Cite
from .numbers import locator_with_label
from .sort import sort_cites


def _loc(cite):
    if cite.locator is None:
        return None
    return (cite.locator, cite.label or "page")


def assign_positions(doc) -> list:
    """Build the Cite objects of every cluster (sorted), in document order."""
    ctx = doc.style.citation
    near_distance = _int(ctx.get("near-note-distance"), 5) if ctx is not None else 5
    note_class = doc.style.style_class == "note"
    sort_el = ctx.child("sort") if ctx is not None else None
    locale = doc.cit.locale
    notes = []
    for ci, cl in enumerate(doc.clusters):
        notes.append(cl.note_index if cl.note_index is not None else (ci + 1 if note_class else 0))
    out = []
    # Clusters in the running text (note 0) and in notes are two separate sequences,
    # each with its own first references (as in citeproc-js).
    streams: dict = {}
    for ci, cl in enumerate(doc.clusters):
        note = notes[ci]
        st = streams.get(note == 0)
        if st is None or (note and st["prev_note"] is not None and st["prev_note"] > note):
            st = streams[note == 0] = {"first": {}, "last": {}, "per_note": {}, "prev": None, "prev_note": None}
        first_note, last_note, per_note = st["first"], st["last"], st["per_note"]
        prev_cites, prev_note = st["prev"], st["prev_note"]
        per_note[note] = per_note.get(note, 0) + len(cl.cites)
        cites = []
        forced: dict = {}  # positions the caller fixed
        for spec in cl.cites:
            item = doc.items[spec.id]
            locator, label = locator_with_label(spec.locator, spec.label, item.type, locale)
            cite = Cite(item, locator=locator, label=label,
                        citation_number=doc.numbers.get(spec.id), disamb=doc.disamb[spec.id],
                        note_index=note, prefix=spec.prefix, suffix=spec.suffix,
                        suppress_author=spec.suppress_author, author_only=spec.author_only)
            if spec.position is not None and spec.position in _FORCED:
                forced[id(cite)] = _POSITIONS[_FORCED[spec.position]]
            cites.append(cite)
        if sort_el is not None and len(cites) > 1:
            cites = sort_cites(doc.cit, sort_el, cites)
        for k, cite in enumerate(cites):
            cite.cite_index = k
            iid = cite.item.id
            if iid not in last_note:
                cite.position = "first"
                first_note[iid] = note
            else:
                prev = None
                if k > 0:
                    if cites[k - 1].item.id == iid:
                        prev = cites[k - 1]
                elif prev_cites:
                    if prev_note != note:
                        if (prev_cites[0].item.id == iid and prev_note >= note - 1
                                and (per_note.get(prev_note) == 1 or prev_note == 0)):
                            prev = prev_cites[0]
                    elif prev_cites[-1].item.id == iid:
                        prev = prev_cites[-1]
                cite.position = "subsequent"
                if prev is not None:
                    before, now = _loc(prev), _loc(cite)
                    if before is None and now is None:
                        cite.position = "ibid"
                    elif now is not None and before != now:
                        cite.position = "ibid-with-locator"
                    elif now is not None:
                        cite.position = "ibid"
                if first_note.get(iid) != note:
                    cite.first_note = first_note.get(iid)
            if id(cite) in forced:
                cite.position = forced[id(cite)]
            if note:
                if cite.position != "first" and note - last_note.get(iid, note) <= near_distance:
                    cite.near_note = True
            elif cite.position != "first":
                cite.near_note = True
            last_note[iid] = note
        if cites:
            st["prev"], st["prev_note"] = cites, note
        out.append(cites)
    return out


_POSITIONS = ("first", "subsequent", "ibid", "ibid-with-locator")
_FORCED = {**{i: i for i in range(4)}, **{str(i): i for i in range(4)}, **{p: i for i, p in enumerate(_POSITIONS)}}


def _int(v, default):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default
