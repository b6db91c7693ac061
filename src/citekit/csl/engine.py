"""process(): a whole document — items, citation clusters, bibliography — in one call.

The steps, in order: normalize items; read clusters; number items; give each cite
its position; disambiguate; render clusters (sorting and collapsing cites) and the
bibliography; resolve the rich text and hand it to the format's renderer.
"""

from __future__ import annotations

import math

from .bibliography import BibEntry, render_entries
from .collapse import render_cluster
from .disambiguate import disambiguate, registers_sort_names, year_suffix_letters
from .errors import CSLError
from .evaluate import Cite, DisambigState, Evaluator
from .limits import to_int
from .output import RENDERERS
from .positions import assign_positions
from .record import field, record
from .richtext import Tok, flatten, resolve
from .sort import AFTER_FIRST, EAGER, INVARIANT, compute_keys, sort_cites, sorted_places
from .variables import Item, _repr_text, clean_text

FORMATS = tuple(RENDERERS)


@record
class Result:
    citations: list = field(default_factory=list)
    bibliography: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    format: str = "text"
    bibliography_options: dict = field(default_factory=dict)

    def bibliography_block(self) -> str:
        """The whole bibliography as one string in the result's format."""
        r = RENDERERS[self.format]
        return r.bibliography([r.entry(e.text, e.id) for e in self.bibliography], self.bibliography_options)


class CiteSpec:
    """A cite as the caller gave it, before positions are known."""

    __slots__ = ("id", "locator", "label", "prefix", "suffix", "suppress_author", "author_only", "position")

    def __init__(self, d: dict, warnings: list | None = None):
        # the same cleaning as item fields: control characters out, lengths and numbers bounded
        self.id = clean_text(d.get("id", ""), "id", "", None) or ""
        where = f"cite of {self.id[:40]!r}"
        loc = d.get("locator")
        loc = clean_text(loc, "locator", where, warnings) if not isinstance(loc, bool) else None
        self.locator = loc.strip() or None if loc else None
        label = d.get("label")
        self.label = clean_text(label, "label", where, warnings) or None if label else None
        self.prefix = clean_text(d.get("prefix"), "prefix", where, warnings) or ""
        self.suffix = clean_text(d.get("suffix"), "suffix", where, warnings) or ""
        self.suppress_author = bool(d.get("suppress-author"))
        self.author_only = bool(d.get("author-only"))
        # a position fixed by the caller (citeproc-js: 0 first, 1 subsequent, 2 ibid, 3 ibid-with-locator)
        position = d.get("position")
        self.position = position if isinstance(position, (int, str)) and not isinstance(position, bool) else None


class Cluster:
    __slots__ = ("cites", "note_index", "id", "in_document")

    def __init__(self, cites, note_index=0, cid=None, in_document=True):
        self.cites = cites
        self.note_index = note_index
        self.id = cid
        # A citation object ({"citationItems", "properties"}) is a citation of a document,
        # which citeproc-js formats with processCitationCluster; a bare list of cites is
        # a cluster on its own (its makeCitationCluster), whose grouping is the
        # specification's alone (collapse.py).
        self.in_document = in_document


def read_clusters(clusters, known: set, warnings: list) -> list:
    out = []
    for n, cl in enumerate(clusters or []):
        note = None  # not given: note styles number clusters 1, 2, 3...
        cid = None
        if isinstance(cl, dict):
            props = cl.get("properties") or {}
            note = props.get("noteIndex")
            cid = cl.get("citationID")
            cites = cl.get("citationItems") or []
        elif isinstance(cl, (list, tuple)):
            cites = cl
        else:
            warnings.append(f"citation {n + 1}: not a list of cites, skipped")
            continue
        specs = []
        for c in cites:
            if isinstance(c, str):
                c = {"id": c}
            if not isinstance(c, dict):
                continue
            spec = CiteSpec(c, warnings)
            if spec.id not in known:
                warnings.append(f"citation {n + 1}: no item with id {spec.id!r}, cite skipped")
                continue
            specs.append(spec)
        note = _note_index(note)
        out.append(Cluster(specs, note, cid, in_document=isinstance(cl, dict)))
    return out


def _note_index(value) -> int | None:
    """A cluster's noteIndex as an int: 0 for what is not a usable number (Infinity, NaN,
    a string of more digits than LIMITS.max_digits, a list)."""
    if value is None:
        return None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and abs(value) < 1e18 else 0
    if isinstance(value, str):
        value = value.strip()
        if "." in value:  # "3.0"
            try:
                return _note_index(float(value))
            except ValueError:
                return 0
    n = to_int(value)
    return n if n is not None else 0


class Document:
    """Everything one run needs: style, locale, items, clusters and derived state."""

    def __init__(self, style, items, clusters, *, locale=None, format="text", cache=None):
        if format not in RENDERERS:
            raise CSLError(f"unknown output format {format!r}; choose one of {', '.join(RENDERERS)}")
        self.style = style
        self.warnings: list = list(getattr(style, "warnings", ()))  # what parsing the style ignored
        self.cache = cache  # a document.RenderCache when an incremental Document drives this run
        self.locale = style.locale(locale)
        self.format = format
        self.renderer = RENDERERS[format]
        self.items: dict = {}
        self.order: list = []
        for raw in items:
            if not isinstance(raw, dict):
                self.warnings.append(f"an item that is not an object was skipped: {_repr_text(raw)[:40]!r}")
                continue
            item = cache.item(raw, self.warnings) if cache is not None else Item(raw, self.warnings)
            if item.id in self.items:
                # as citeproc-js does: the later data wins, the first place stays
                self.warnings.append(f"item {item.id!r} given twice; the last one is used")
                self.items[item.id] = item
                continue
            self.items[item.id] = item
            self.order.append(item.id)
        self.clusters = read_clusters(clusters, set(self.items), self.warnings)
        self.cit = Evaluator(style, self.locale, "citation", self.warnings)
        self.bib = Evaluator(style, self.locale, "bibliography", self.warnings) if style.bibliography is not None else None
        self.disamb = {iid: DisambigState() for iid in self.order}
        self.punct_in_quote = self.locale.option("punctuation-in-quote")
        # citeproc-js turns parentheses nested in parentheses into brackets in note styles only
        self.nested_braces = style.style_class == "note"
        q = self.locale
        self.quotes = (q.term_text("open-quote") or "“", q.term_text("close-quote") or "”",
                       q.term_text("open-inner-quote") or "‘", q.term_text("close-inner-quote") or "’")
        self._number_items()
        disambiguate(self)
        self.sort_names = {}  # (read by disambiguation alone)
        self._resort_expanded()
        # after disambiguation: cites sort with the given names it added (citeproc-js)
        self.cites = assign_positions(self)  # list per cluster of Cite

    # -- numbering ---------------------------------------------------------------
    def _number_items(self):
        seen = []
        seen_set = set()
        for cl in self.clusters:
            for c in cl.cites:
                if c.id not in seen_set:
                    seen_set.add(c.id)
                    seen.append(c.id)
        for iid in self.order:
            if iid not in seen_set:
                seen.append(iid)
        self.numbers = {iid: i + 1 for i, iid in enumerate(seen)}
        self.registration = seen
        self.bib_order = seen
        self.sort_names = {}  # item id → name lists its bibliography sort keys rendered
        if self.bib is not None:
            sort_el = self.style.bibliography.child("sort")
            if sort_el is not None and len(seen) > 1:
                # each cite made as its keys are, and not kept: its keys keep what makes it
                # again when a comparison needs a key left for later (a cite an item less)
                cites = (self.bib_cite(iid) for iid in seen)
                # keys a comparison never reaches are not made: with an incremental document's
                # cache, none is left out (they are kept for later runs); when disambiguation
                # reads the keys' names, only those that depend on the item alone
                names_read = registers_sort_names(self)
                later = EAGER if self.cache is not None else INVARIANT if names_read else AFTER_FIRST
                # What the re-sort after global name expansion reads (_resort_expanded): an
                # incremental document's keys, which its cache keeps anyway; otherwise each
                # item's given floor alone, the keys being made again in the rare case that
                # the re-sort has to compare them (the keys take a kilobyte an item). When
                # disambiguation does not read the keys' names, nothing reads them again.
                kept = {}

                def key_of(cite, compute):
                    if self.cache is None:
                        k = compute()
                        if names_read:
                            kept[cite.item.id] = k.given_floor
                        return k
                    k = kept[cite.item.id] = self.cache.bib_sort_key(cite, compute)
                    return k
                places = sorted_places(self.bib, sort_el, cites, key_of, self.sort_names, later, keep_cites=False)
                if names_read:
                    if self.cache is not None:
                        self._bib_keys = kept
                    else:
                        self._given_floors = kept
                self.bib_order = [seen[i] for i in places]
                self._number_by_order(sort_el)

    def _number_by_order(self, sort_el):
        """Numbers follow the sorted bibliography; a citation-number key sorts by the order
        of first citation, and a descending one counts down (so the first cited keeps 1),
        as citeproc-js renumbers its sorted registry."""
        n = len(self.bib_order)
        if _citation_number_descending(self.style, sort_el):
            self.numbers = {iid: n - i for i, iid in enumerate(self.bib_order)}
        else:
            self.numbers = {iid: i + 1 for i, iid in enumerate(self.bib_order)}

    def _resort_expanded(self):
        """Sort the bibliography again when global name expansion added given names to some
        items: citeproc-js sorts the final bibliography with the names as its entries print
        them ("Lee, Hannah" before "Lee, Harold", whose keys were both "Lee, H."), and
        gives the year suffixes in that order. Only the expanded items' keys that
        print names are made again."""
        keys = getattr(self, "_bib_keys", None)
        floors = getattr(self, "_given_floors", None)
        if not (keys or floors) or not self.bib.shows_cite_givens:
            return  # (a bibliography that does not print the cites' given names sorts as before)
        expanded = [iid for iid, st in self.disamb.items() if st.global_levels]
        if not expanded:
            return
        sort_el = self.style.bibliography.child("sort")
        if keys is None:
            keys = _FirstSortKeys(self, sort_el)
        changed = False
        for iid in expanded:
            floor = floors.get(iid) if floors is not None else getattr(keys.get(iid), "given_floor", None)
            # (given names raised no higher than the key's names print them change nothing)
            if floor is not None and max(self.disamb[iid].global_levels.values()) > floor:
                old = keys[iid]
                new = compute_keys(self.bib, sort_el, self.bib_cite(iid), names_of=old)
                changed = changed or new != old
                keys[iid] = new
        if not changed:
            return
        cites = [self.bib_cite(iid) for iid in self.registration]
        ordered = sort_cites(self.bib, sort_el, cites, lambda c, compute: keys[c.item.id])
        self.bib_order = [c.item.id for c in ordered]
        self._number_by_order(sort_el)
        # year suffixes follow the new order too (citeproc-js: "Lee, Hannah, Kim, Daniel" 2020a
        # before "Lee, Hannah, Kim, David" 2020b, whose keys were both "Lee H., Kim D.")
        rank = {iid: i for i, iid in enumerate(self.bib_order)}
        for group in getattr(self, "suffix_groups", ()):
            for n, iid in enumerate(sorted(group, key=rank.__getitem__)):
                self.disamb[iid].year_suffix = year_suffix_letters(n)

    def bib_cite(self, iid) -> Cite:
        return Cite(self.items[iid], citation_number=self.numbers.get(iid), disamb=self.disamb.get(iid))

    # -- output ---------------------------------------------------------------------
    def finish(self, node, entry: bool = False) -> str:
        if node is None:
            return ""
        tokens = resolve(flatten(node), punctuation_in_quote=self.punct_in_quote, quotes=self.quotes,
                         nested_braces=self.nested_braces)
        if entry:
            _leading_space_out_of_display(tokens)
            _trailing_space_out_of_display(tokens)
        return self.renderer.render(tokens)

    def render_citations(self) -> list:
        if self.cache is not None:
            return [self.cache.cluster_text(self, i) for i in range(len(self.clusters))]
        return [self.finish(render_cluster(self, i)) for i in range(len(self.clusters))]

    def render_bibliography(self) -> list:
        if self.bib is None:
            return []
        return render_entries(self)


class _FirstSortKeys(dict):
    """The bibliography's sort keys as its first sort made them, made again when asked
    for: the item's number as it was then (its place among the registered items), its
    disambiguation state as it was (none), the keys that depend on the item alone still
    left for a comparison to make. The same keys, so the re-sort orders as if they had
    been kept."""

    def __init__(self, doc, sort_el):
        super().__init__()
        self.doc, self.sort_el = doc, sort_el
        self.numbers = {iid: i + 1 for i, iid in enumerate(doc.registration)}

    def __missing__(self, iid):
        doc = self.doc
        cite = Cite(doc.items[iid], citation_number=self.numbers.get(iid), disamb=DisambigState())
        keys = self[iid] = compute_keys(doc.bib, self.sort_el, cite, later=INVARIANT)
        return keys


def _leading_space_out_of_display(tokens) -> None:
    """The space an entry's first display block starts with is printed before the block
    (as citeproc-js hoists it), also when an emptied block before it left it first."""
    display = None
    for k, tok in enumerate(tokens):
        if tok.kind == "open":
            if tok.key == "display":
                display = k if display is None else display
                continue
            if display is not None:
                return  # formatting inside the block keeps the space (citeproc-js)
            continue
        if display is not None and tok.kind == "text" and tok.text.startswith(" "):
            stripped = tok.text.lstrip(" ")
            tokens.insert(display, Tok("text", text=tok.text[:len(tok.text) - len(stripped)]))
            tok.text = stripped
            if not stripped:
                del tokens[k + 1]
        return


def _trailing_space_out_of_display(tokens) -> None:
    """An entry's trailing space does not stay inside its last display block."""
    if len(tokens) < 2 or tokens[-1].kind != "close" or tokens[-1].key != "display":
        return
    k = len(tokens) - 2
    while k >= 0 and tokens[k].kind == "close":
        k -= 1
    if k >= 0 and tokens[k].kind == "text" and tokens[k].text.endswith(" "):
        stripped = tokens[k].text.rstrip(" ")
        tokens.append(Tok("text", text=tokens[k].text[len(stripped):]))
        tokens[k].text = stripped


def _citation_number_descending(style, sort_el) -> bool:
    """Whether the first sort key on citation-number (a variable, or a macro that prints
    it) is descending (computed once per style)."""
    found = style._facts.get("citation-number-descending")
    if found is None:
        found = False
        for key in sort_el.children:
            if key.get("variable") == "citation-number" or (
                    key.get("macro") in style.macros
                    and style.finds(style.macros[key.get("macro")], _is_citation_number)):
                found = key.get("sort") == "descending"
                break
        style._facts["citation-number-descending"] = found
    return found


def _is_citation_number(el) -> bool:
    return el.tag in ("text", "number") and el.get("variable") == "citation-number"

def process(style, items, clusters=None, *, locale=None, format="text") -> Result:
    """Format a document: every item is registered (bibliography and disambiguation
    context); clusters are the citations, in document order."""
    doc = Document(style, list(items or []), clusters, locale=locale, format=format)
    citations = doc.render_citations()
    bibliography = doc.render_bibliography()
    opts = {}
    if style.bibliography is not None:
        b = style.bibliography.attrs
        for k in ("hanging-indent", "second-field-align", "line-spacing", "entry-spacing"):
            if k in b:
                opts[k] = b[k]
    return Result(citations=citations, bibliography=bibliography, warnings=doc.warnings,
                  format=format, bibliography_options=opts)
