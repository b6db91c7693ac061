"""Citations in Markdown documents: pandoc's citation syntax, resolved by citekit's engine.

    import citekit
    doc = citekit.render_markdown(open("paper.md").read(), "refs.bib", style="apa")
    doc.text          # the document: citations resolved, notes made, bibliography placed
    doc.citations     # each citation's text, in document order
    doc.bibliography  # the entries, (id, text)
    doc.warnings      # keys not found, unreadable records, ...

See docs/documents.md for the syntax and the front-matter keys.
"""

from .processor import (DEFAULT_STYLE, TARGETS, PlacedCitation, RenderedDocument, render_markdown,
                        split_front_matter)

__all__ = ["render_markdown", "RenderedDocument", "PlacedCitation", "split_front_matter", "DEFAULT_STYLE", "TARGETS"]
