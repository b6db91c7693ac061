"""The bounds on what one input may cost the readers, and how to change them.

Hostile files of a few kilobytes can ask for exponential work: `@string` macros
that double at each step, `@xdata` entries that each name the previous one twice,
YAML anchors nested nine wide and nine deep, one HTML element with a million
attributes. The readers do this work once (inheritance is memoised, YAML aliases
are measured on the parsed node graph) and against these limits, so that reading
costs time and memory linear in the input. A limit that is reached is a `Problem`
that names it (and the record and line), never a hang; the default values are far
above what any real file needs. See docs/readers.md, "Limits".

    from citekit.readers import load, Limits
    result = load(text, limits=Limits(bibtex_chain_depth=500))
"""

from __future__ import annotations

from ..csl.record import fields, record

__all__ = ["Limits", "DEFAULT_LIMITS"]


@record(frozen=True)
class Limits:
    """Bounds on the work reading one input may take; each is documented in docs/readers.md.

    The two BibTeX totals grow with the file: the budget used is the larger of the
    value here and one macro character per character of the file, or one inherited
    field per 10 characters, so that big legitimate files are never cut while a
    file of a few kilobytes cannot ask for gigabytes (or hours of LaTeX decoding).
    """

    #: Characters in one BibTeX field or `@string` value that uses macros, once they are expanded.
    bibtex_value_chars: int = 100_000
    #: Characters that `@string` macros may add to the whole file (at least one per character of the file).
    bibtex_macro_chars: int = 1_000_000
    #: Fields that `crossref`/`xdata` inheritance may copy, in all (at least one per 10 characters of the file).
    bibtex_inherited_fields: int = 1_000_000
    #: Entries in one `crossref`/`xdata` chain (a child, its parent, the parent's parent ...).
    bibtex_chain_depth: int = 100
    #: Nodes (and scalar characters) that YAML aliases (`*name`, `<<: *name`) may add, in all.
    yaml_alias_nodes: int = 100_000
    #: Attributes read on one HTML element; those after it are ignored.
    html_attributes: int = 256
    #: Bytes in one line of a file or stream read a line at a time (`iter_load`); a longer line is not read.
    line_bytes: int = 200_000_000
    #: Bytes of a stream in a format `iter_load` reads whole (CSL-YAML, a page, one JSON object).
    whole_bytes: int = 200_000_000
    #: Ids (and BibTeX keys) `iter_load` keeps to find repeated ones; past it, later ones are not compared.
    stream_ids: int = 2_000_000

    def __post_init__(self) -> None:
        for name in fields(self):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive integer, not {value!r}")

    def macro_budget(self, text_length: int) -> int:
        return max(self.bibtex_macro_chars, text_length)

    def inheritance_budget(self, text_length: int) -> int:
        return max(self.bibtex_inherited_fields, text_length // 10)


DEFAULT_LIMITS = Limits()
