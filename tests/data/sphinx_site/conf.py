# A small Sphinx project for tests/test_documents_sites.py: reStructuredText and MyST pages.
project = "citekit sample"
extensions = ["myst_parser", "citekit.sphinx"]
citekit_bibliography = ["../documents/refs.yaml"]
citekit_csl = "chicago-author-date"
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
