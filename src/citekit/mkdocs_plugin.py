"""The MkDocs plugin `citekit`: pandoc-style citations in a MkDocs site.

    plugins:
      - citekit:
          bibliography: refs.bib        # one file or a list, relative to mkdocs.yml
          csl: apa                      # an alias, official id or .csl file (default: chicago-author-date)
          locale: en-GB
          link_citations: true
          bibliography_page: references.md   # optional: one bibliography for the whole site

Without `bibliography_page` every page gets the bibliography of what it cites (in its
`::: {#refs}` div, or at its end). With it, pages only cite, their citations link to that
page, and that page lists everything the site cites. A page's front matter may set
`bibliography`, `csl`, `nocite` and the other keys pandoc reads.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from citekit.documents import render_markdown
from citekit.documents.processor import CITATION_KEYS, split_front_matter
from citekit.documents.syntax import scan

log = logging.getLogger("mkdocs.plugins.citekit")


class CitekitConfig(Config):
    bibliography = opt.Type((str, list), default=[])
    csl = opt.Optional(opt.Type(str))
    locale = opt.Optional(opt.Type(str))
    link_citations = opt.Type(bool, default=True)
    bibliography_page = opt.Optional(opt.Type(str))


class CitekitPlugin(BasePlugin[CitekitConfig]):
    def on_config(self, config: Any) -> Any:
        from citekit.readers import load

        self.root = Path(config.config_file_path or ".").resolve().parent
        files = self.config.bibliography
        files = [files] if isinstance(files, str) else list(files)
        self.items: list[dict] = []
        for name in files:  # read once for the whole site
            path = Path(name) if Path(name).is_absolute() else self.root / name
            result = load(path)  # a Path: the file, not text
            for problem in result.problems:
                log.warning("citekit: %s", problem)
            self.items.extend(result.items)
        csl = self.config.csl
        if csl and csl.endswith(".csl") and (self.root / csl).is_file():
            csl = str(self.root / csl)
        self.style = csl
        self.site_keys: list[str] = []
        if "footnotes" not in config.markdown_extensions:
            config.markdown_extensions.append("footnotes")  # note styles make footnotes
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        if not self.config.bibliography_page:
            return files
        # the site's bibliography lists every key any page cites, so read them all first
        seen: dict[str, None] = {}
        for f in files.documentation_pages():
            try:
                text = Path(f.abs_src_path).read_text(encoding="utf-8")
                _, _, body = split_front_matter(text)
            except (OSError, ValueError):
                continue
            for cit in scan(body).citations:
                for cite in cit.cites:
                    seen.setdefault(cite.key, None)
        self.site_keys = list(seen)
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        from mkdocs.utils import get_relative_url

        meta = {k: v for k, v in (page.meta or {}).items() if k in CITATION_KEYS}
        text = markdown
        if meta:
            import yaml

            text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + markdown
        refs = list(self.items)
        if meta.get("bibliography"):  # a page's own files, relative to the page
            extra = meta.pop("bibliography")
            base = Path(page.file.abs_src_path).parent
            refs += [str(base / p) for p in ([extra] if isinstance(extra, str) else extra)]
        bib_page = self.config.bibliography_page
        kwargs: dict = {}
        if bib_page:
            is_bib = page.file.src_uri == bib_page.replace("\\", "/")
            if is_bib:
                kwargs["nocite"] = self.site_keys
            else:
                kwargs["bibliography"] = False
                target = files.get_file_from_path(bib_page)
                if target is not None:
                    kwargs["link_base"] = get_relative_url(target.url, page.url)
        # a page's own csl and lang win over the site's
        style = None if meta.get("csl") or meta.get("citation-style") else self.style
        locale = None if meta.get("lang") else self.config.locale
        doc = render_markdown(text, refs or None, style=style, locale=locale,
                              base_dir=Path(page.file.abs_src_path).parent,
                              link_citations=self.config.link_citations, html_bibliography=True, **kwargs)
        for warning in doc.warnings:
            log.warning("citekit: %s: %s", page.file.src_uri, warning)
        return doc.text

