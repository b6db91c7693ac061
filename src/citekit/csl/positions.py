"""Positions of cites in a document: first, subsequent, ibid, ibid-with-locator,
near-note, and the note number of each item's first reference."""

from __future__ import annotations

from .evaluate import Cite


def assign_positions(doc) -> list:
    """Build the Cite objects of every cluster, in document order."""
    near_distance = _int(doc.style.citation.get("near-note-distance"), 5)
    first_note: dict = {}
    last_note: dict = {}
    prev_cluster_items = None  # (ids, cites) of the previous cluster
    out = []
    for ci, cl in enumerate(doc.clusters):
        note = cl.note_index or (ci + 1 if doc.style.style_class == "note" else 0)
        cites = []
        for k, spec in enumerate(cl.cites):
            item = doc.items[spec.id]
            if spec.id not in first_note:
                position = "first"
            else:
                prev = None
                if k > 0:
                    prev = cl.cites[k - 1]
                elif prev_cluster_items is not None and len(prev_cluster_items) == 1:
                    prev = prev_cluster_items[0]
                elif prev_cluster_items is not None and len(set(p.id for p in prev_cluster_items)) == 1:
                    prev = prev_cluster_items[-1]
                if prev is not None and prev.id == spec.id:
                    if spec.locator is None and prev.locator is None:
                        position = "ibid"
                    elif spec.locator is not None and (prev.locator != spec.locator or prev.label != spec.label):
                        position = "ibid-with-locator"
                    elif spec.locator is not None:
                        position = "ibid"
                    else:
                        position = "subsequent"
                else:
                    position = "subsequent"
            near = spec.id in last_note and (note - last_note[spec.id]) <= near_distance
            cite = Cite(item, locator=spec.locator, label=spec.label, position=position, near_note=near,
                        first_note=first_note.get(spec.id), citation_number=doc.numbers.get(spec.id),
                        disamb=doc.disamb[spec.id], note_index=note, prefix=spec.prefix, suffix=spec.suffix,
                        suppress_author=spec.suppress_author, author_only=spec.author_only)
            cite.cite_index = k
            cites.append(cite)
        for spec in cl.cites:
            first_note.setdefault(spec.id, note)
            last_note[spec.id] = note
        prev_cluster_items = cl.cites if cl.cites else prev_cluster_items
        out.append(cites)
    return out


def _int(v, default):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default
