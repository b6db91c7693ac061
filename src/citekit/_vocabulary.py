"""The CSL 1.0.2 vocabulary and the fields of citekit's models, without Pydantic.

`citekit.models` declares the models with these names; `citekit.normalize` and
`citekit._plain` read records by them without building a model, so that a command that
only formats clean input never imports Pydantic. tests/test_cold_start.py checks that
these tables and the models' fields agree, in order.
"""

from __future__ import annotations

ITEM_TYPES: tuple[str, ...] = (
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview",
    "legal_case", "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
    "paper-conference", "patent", "performance", "periodical", "personal_communication", "post",
    "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech",
    "standard", "thesis", "treaty", "webpage",
)

# CSL-JSON spellings that a plain "underscore → hyphen" rule does not give.
SPECIAL_ALIASES = {
    "doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN", "pmcid": "PMCID", "pmid": "PMID",
    "archive_collection": "archive_collection", "archive_location": "archive_location",
    "journal_abbreviation": "journalAbbreviation", "short_title": "shortTitle",
}


def csl_alias(python_name: str) -> str:
    """A model field's CSL-JSON name: `container_title` → `container-title`, `doi` → `DOI`."""
    return SPECIAL_ALIASES.get(python_name, python_name.replace("_", "-"))


# Reference's fields by kind, in the order the model declares them (Python names).
NAME_FIELDS = (
    "author", "chair", "collection_editor", "compiler", "composer", "container_author", "contributor",
    "curator", "director", "editor", "editorial_director", "editor_translator", "executive_producer",
    "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original_author",
    "performer", "producer", "recipient", "reviewed_author", "script_writer", "series_creator",
    "translator",
)
DATE_FIELDS = ("accessed", "available_date", "event_date", "issued", "original_date", "submitted")
NUMBER_FIELDS = (
    "chapter_number", "citation_number", "collection_number", "edition", "first_reference_note_number",
    "issue", "locator", "number", "number_of_pages", "number_of_volumes", "page", "page_first",
    "part_number", "printing_number", "section", "supplement_number", "version", "volume",
    # the CSL-JSON schema's names for three of them
    "part", "printing", "supplement",
)
TEXT_FIELDS = (
    "abstract", "annote", "archive", "archive_collection", "archive_location", "archive_place",
    "authority", "call_number", "citation_key", "citation_label", "collection_title", "container_title",
    "container_title_short", "dimensions", "division", "doi", "event", "event_place", "event_title",
    "genre", "isbn", "issn", "journal_abbreviation", "jurisdiction", "keyword", "language", "license",
    "medium", "note", "original_publisher", "original_publisher_place", "original_title", "part_title",
    "pmcid", "pmid", "publisher", "publisher_place", "references", "reviewed_genre", "reviewed_title",
    "scale", "short_title", "source", "status", "title", "title_short", "url", "volume_title",
    "volume_title_short", "year_suffix",
)
REFERENCE_FIELDS = ("id", "type", *NAME_FIELDS, *DATE_FIELDS, *NUMBER_FIELDS, *TEXT_FIELDS, "categories", "custom")

NAME_VARIABLES = tuple(csl_alias(n) for n in NAME_FIELDS)
DATE_VARIABLES = tuple(csl_alias(n) for n in DATE_FIELDS)
# As the models derive it, by type: `id` (`str | int | None`) has a number variable's type,
# so it is listed first, and citekit.normalize reads ids by the number rule.
NUMBER_VARIABLES = ("id", *(csl_alias(n) for n in NUMBER_FIELDS))
STANDARD_VARIABLES = tuple(csl_alias(n) for n in TEXT_FIELDS)

# Every name a Reference field answers to: its Python name and its CSL-JSON name.
REFERENCE_KEYS = frozenset({*REFERENCE_FIELDS, *map(csl_alias, REFERENCE_FIELDS)})

# Brief's fields in declaration order; "author" is accepted for "authors".
BRIEF_FIELDS = ("title", "authors", "date", "publisher", "url", "kind", "accessed", "updated", "id")
BRIEF_KEYS = frozenset({*BRIEF_FIELDS, "author"})

# Name's and Date's fields in declaration order: (Python name, kind). "text" is `str | None`,
# "flag" `bool | int | str | None`.
NAME_PART_FIELDS = (
    ("family", "text"), ("given", "text"), ("dropping_particle", "text"), ("non_dropping_particle", "text"),
    ("suffix", "text"), ("comma_suffix", "flag"), ("static_ordering", "flag"), ("literal", "text"),
    ("parse_names", "flag"),
)
DATE_OBJECT_FIELDS = ("date_parts", "season", "circa", "literal", "raw")

# The names of each model's fields, by model name, for messages about unknown fields.
MODEL_FIELDS = {
    "Reference": REFERENCE_FIELDS,
    "Brief": BRIEF_FIELDS,
    "Name": tuple(n for n, _ in NAME_PART_FIELDS),
    "Date": DATE_OBJECT_FIELDS,
}
# Names and dates take CSL-JSON names too; a Brief's fields have none of their own.
MODEL_ALIASES = {"Reference": True, "Brief": False, "Name": True, "Date": True}
