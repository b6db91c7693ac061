"""A Python-Markdown extension: pandoc-style citations in any Markdown that Python-Markdown
renders (the `markdown` extra).

    import markdown
    html = markdown.markdown(text, extensions=["citekit.markdown_ext"],
                             extension_configs={"citekit.markdown_ext": {
                                 "bibliography": "refs.bib", "csl": "apa"}})

Citations become formatted text (or footnotes, with the `footnotes` extension, for note
styles), and the bibliography an HTML block in the `::: {#refs}` div or at the end. The
document's YAML front matter is read as pandoc reads it (`bibliography`, `csl`, `nocite`,
...) and removed. Warnings (keys not found, unreadable records) are logged on the
"citekit" logger and kept in `md.citekit_warnings`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor

from citekit.documents import render_markdown

log = logging.getLogger("citekit")


class CitekitPreprocessor(Preprocessor):
    def __init__(self, md: Any, extension: "CitekitExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        cfg = self.extension.getConfigs()
        bib = cfg["bibliography"]
        refs = [bib] if isinstance(bib, str) and bib else (list(bib) if bib else [])
        refs += list(cfg["references"] or [])
        doc = render_markdown("\n".join(lines), refs or None, style=cfg["csl"] or None,
                              locale=cfg["locale"] or None, base_dir=cfg["base_dir"] or Path.cwd(),
                              link_citations=cfg["link_citations"], html_bibliography=True,
                              read_files=cfg["read_files"])
        self.md.citekit_warnings = list(doc.warnings)
        for warning in doc.warnings:
            log.warning("citekit: %s", warning)
        return doc.text.split("\n")


class CitekitExtension(Extension):
    def __init__(self, **kwargs: Any):
        self.config = {
            "bibliography": [[], "reference files (CSL-JSON, CSL-YAML, .bib, .ris), one or a list"],
            "references": [[], "CSL-JSON items or citekit models"],
            "csl": ["", "the style: an alias (apa, chicago, ...), official id or .csl file"],
            "locale": ["", "a locale such as en-GB (default: the style's)"],
            "link_citations": [False, "link citations to their bibliography entries"],
            "base_dir": ["", "the folder relative file names are read from (default: the working directory)"],
            "read_files": [True, "let the front matter name files (bibliography, a .csl path)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Any) -> None:
        from markdown.extensions.footnotes import FootnoteExtension

        md.registerExtension(self)
        md.citekit_warnings = []
        if not any(isinstance(e, FootnoteExtension) for e in md.registeredExtensions):
            md.registerExtensions(["footnotes"], {})  # note styles make footnotes
        # after whitespace is normalized (30) and before raw HTML blocks are stashed (20)
        md.preprocessors.register(CitekitPreprocessor(md, self), "citekit", 28)


def makeExtension(**kwargs: Any) -> CitekitExtension:  # noqa: N802 (Python-Markdown's name)
    return CitekitExtension(**kwargs)
