"""citekit: citations and bibliographies from typed Python data, in any official CSL style.

    import citekit
    brief = citekit.Brief(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"],
                          date="2006-12-19", publisher="Council on Foreign Relations",
                          url="http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242",
                          kind="Analysis Brief")
    citekit.cite(brief, style="mla")       # the full reference
    citekit.citation(brief, style="apa")   # "(Zissis, 2006)"
    citekit.render("chicago", items, clusters)   # citations, bibliography, warnings
    citekit.render_markdown(text, "refs.bib")     # a Markdown document with [@key] citations
    citekit.format_each(items, "apa", jobs=0)     # a catalogue: one entry per item, streamed

    citekit.read(Path("refs.bib"))         # BibTeX, RIS, CSL-JSON/YAML, saved pages

Every entry point reads data by the same rules (citekit.normalize). Documentation:
docs/guide.md (how-to, and "How citekit reads your data"), docs/reference.md (every
public name), docs/readers.md (file formats), the `citekit --help` command.

The names below are loaded on first use, so that `import citekit` (and the `citekit`
command) stays quick when only part of the library is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name → the module that defines it
_EXPORTS: dict[str, str] = {
    # one-call helpers
    "cite": "citekit.api",
    "citation": "citekit.api",
    "bibliography": "citekit.api",
    "render": "citekit.api",
    # models
    "Name": "citekit.models",
    "Date": "citekit.models",
    "Reference": "citekit.models",
    "Brief": "citekit.models",
    "json_schema": "citekit.models",
    # styles
    "Registry": "citekit.registry",
    "StyleEntry": "citekit.registry",
    "resolve_style": "citekit.registry:resolve",
    "search_styles": "citekit.registry:search",
    "style_entry": "citekit.registry:lookup",
    "style_aliases": "citekit.registry:aliases",
    # the engine's results
    "Style": "citekit.csl",
    "Result": "citekit.csl",
    "BibEntry": "citekit.csl",
    "FORMATS": "citekit.csl",
    # errors
    "CitekitError": "citekit.errors",
    "StyleNotFound": "citekit.errors",
    "ItemError": "citekit.errors",
    "LocaleNotFound": "citekit.errors",
    "StyleError": "citekit.errors",
}
_SUBMODULES = ("errors", "models", "registry", "api", "panel", "readers", "normalize")  # citekit.panel(item) is callable too

# readers: BibTeX, RIS, CSL-JSON/YAML and web pages' own metadata → References
_EXPORTS["read"] = "citekit.readers"
_EXPORTS["from_html"] = "citekit.readers"
# catalogues: one standalone entry per item, streamed, on every core
_EXPORTS["format_each"] = "citekit.each"
_EXPORTS["Formatted"] = "citekit.each"
# a document edited cluster by cluster (word-processor plug-ins)
_EXPORTS["Document"] = "citekit.api"
# citations in Markdown documents (pandoc's syntax)
_EXPORTS["render_markdown"] = "citekit.documents"
_EXPORTS["RenderedDocument"] = "citekit.documents"

__all__ = ["__version__", *_EXPORTS, *_SUBMODULES]


def _version() -> str:
    # importlib.metadata costs tens of milliseconds: read it only when asked
    from importlib import metadata

    try:
        return metadata.version("citekit")
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()["__version__"] = value = _version()
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"citekit.{name}")
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'citekit' has no attribute {name!r}")
    module_name, _, attr = target.partition(":")
    value = getattr(importlib.import_module(module_name), attr or name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from . import api, errors, models, registry  # noqa: F401
    from .api import bibliography, cite, citation, render  # noqa: F401
    from .documents import RenderedDocument, render_markdown  # noqa: F401
    from .each import Formatted, format_each  # noqa: F401
    from .csl import FORMATS, BibEntry, Result, Style  # noqa: F401
    from .errors import CitekitError, ItemError, LocaleNotFound, StyleError, StyleNotFound  # noqa: F401
    from .models import Brief, Date, Name, Reference, json_schema  # noqa: F401
    from .registry import Registry, StyleEntry  # noqa: F401
    from .registry import aliases as style_aliases  # noqa: F401
    from .registry import lookup as style_entry  # noqa: F401
    from .registry import resolve as resolve_style  # noqa: F401
    from .registry import search as search_styles  # noqa: F401
