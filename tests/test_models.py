"""The models: names and dates from the forms people write, Reference ↔ CSL-JSON, Brief → webpage."""

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from citekit.errors import ItemError
from citekit.models import (
    DATE_VARIABLES,
    ITEM_TYPES,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STANDARD_VARIABLES,
    Brief,
    Date,
    Name,
    Reference,
    json_schema,
    parse_item,
)

SEED_URL = "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242"
SEED_ITEM = {
    "id": "zissis2006", "type": "webpage", "title": "Dim Prospects for Six-Party Deal",
    "author": [{"family": "Zissis", "given": "Carin"}], "issued": {"date-parts": [[2006, 12, 19]]},
    "container-title": "Council on Foreign Relations", "genre": "Analysis Brief", "URL": SEED_URL,
}
CSL_DATA_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "csl-schema" / "csl-data.json"


def seed_brief(**changes):
    fields = dict(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"], date="2006-12-19",
                  publisher="Council on Foreign Relations", url=SEED_URL, kind="Analysis Brief")
    fields.update(changes)
    return Brief(**fields)


# --- Name -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, parts", [
    ("Carin Zissis", {"given": "Carin", "family": "Zissis"}),
    ("Zissis, Carin", {"given": "Carin", "family": "Zissis"}),
    ("  Zissis ,  Carin ", {"given": "Carin", "family": "Zissis"}),
    ("Ludwig van Beethoven", {"given": "Ludwig", "dropping-particle": "van", "family": "Beethoven"}),
    ("Beethoven, Ludwig van", {"given": "Ludwig", "dropping-particle": "van", "family": "Beethoven"}),
    ("van Gogh, Vincent", {"given": "Vincent", "non-dropping-particle": "van", "family": "Gogh"}),
    ("Jean de La Fontaine", {"given": "Jean", "dropping-particle": "de", "family": "La Fontaine"}),
    ("Martin Luther King, Jr.", {"given": "Martin Luther", "family": "King", "suffix": "Jr."}),
    ("Martin Luther King Jr.", {"given": "Martin Luther", "family": "King", "suffix": "Jr."}),
    ("bell hooks", {"given": "bell", "family": "hooks"}),
    ("King, Martin Luther, Jr.", {"given": "Martin Luther", "family": "King", "suffix": "Jr."}),
    ("King, Jr., Martin Luther", {"given": "Martin Luther", "family": "King", "suffix": "Jr."}),
    ("{Council on Foreign Relations}", {"literal": "Council on Foreign Relations"}),
    ("Plato", {"family": "Plato"}),
])
def test_name_from_text(text, parts):
    assert Name(text).to_csl() == parts
    assert Name.parse(text) == Name(**{k.replace("-", "_"): v for k, v in parts.items()})


def test_name_from_dict_keeps_unknown_parts():
    data = {"family": "Zissis", "given": "Carin", "comma-suffix": True, "x-orcid": "0000"}
    name = Name.model_validate(data)
    assert name.comma_suffix is True
    assert name.to_csl() == data
    assert str(Name("Martin Luther King, Jr.")) == "Martin Luther King Jr."


@pytest.mark.parametrize("bad", ["", "   ", "A, B, C", "a,,b", 5])
def test_bad_names_say_what_was_expected(bad):
    with pytest.raises(ValidationError, match="expected|name"):
        Name.model_validate(bad)


def test_name_needs_some_part():
    with pytest.raises(ValidationError, match="family name, a given name or a literal"):
        Name(suffix="Jr.")


# --- Date ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, csl", [
    ("2006-12-19", {"date-parts": [[2006, 12, 19]]}),
    ("2006-12", {"date-parts": [[2006, 12]]}),
    ("2006", {"date-parts": [[2006]]}),
    ("2006~", {"date-parts": [[2006]], "circa": True}),
    ("2006?", {"date-parts": [[2006]], "circa": True}),
    ("2004/2006", {"date-parts": [[2004], [2006]]}),
    ("2004-03/2004-05", {"date-parts": [[2004, 3], [2004, 5]]}),
    ("2006-22", {"date-parts": [[2006]], "season": 2}),
    ("-0044-03-15", {"date-parts": [[-44, 3, 15]]}),
    ("2006-12-19T08:30:00Z", {"date-parts": [[2006, 12, 19]]}),
    (datetime.date(2006, 12, 19), {"date-parts": [[2006, 12, 19]]}),
    (datetime.datetime(2006, 12, 19, 8, 30), {"date-parts": [[2006, 12, 19]]}),
    (2006, {"date-parts": [[2006]]}),
    ({"date-parts": [["2006", "12", "19"]]}, {"date-parts": [["2006", "12", "19"]]}),
    ({"literal": "Spring term, 1850s"}, {"literal": "Spring term, 1850s"}),
    ({"raw": "19 Dec 2006"}, {"raw": "19 Dec 2006"}),
])
def test_date_forms(value, csl):
    assert Date(value).to_csl() == csl


@pytest.mark.parametrize("bad, why", [
    ("19/12/2006", "ISO 8601"),
    ("12/2006", "ISO 8601"),
    ("19/12/2006", "ISO 8601"),
    ("next tuesday", "not a date citekit reads"),
    ("2006-13-01", "no month 13"),
    ("2006-02-30", "no day 30"),
    ("2006/2004", "ends before it starts"),
    ("", "ISO 8601"),
    ({"date-parts": [[2006, 40]]}, "no month 40"),
    ({"date-parts": [["MMVI"]]}, "whole numbers"),
    ({"date-parts": []}, "one date or two"),
    ({}, "date-parts, a literal or a raw"),
])
def test_bad_dates_say_what_was_expected(bad, why):
    with pytest.raises(ValidationError, match=why):
        Date.model_validate(bad)


def test_date_accessors():
    d = Date("2004-03/2006")
    assert (d.year, d.month, d.day, d.is_range) == (2004, 3, None, True)
    assert d.edtf == "2004-03/2006"
    assert Date("2006-12-19").to_date() == datetime.date(2006, 12, 19)
    assert Date("2006-12").to_date() is None
    assert str(Date(literal="n.d.")) == "n.d."


@given(st.dates(min_value=datetime.date(1, 1, 1)), st.booleans())
def test_date_edtf_round_trip(day, circa):
    text = day.isoformat() + ("~" if circa else "")
    date = Date(text)
    assert date.to_date() == day
    assert bool(date.circa) == circa
    assert Date(date.edtf) == date


# --- Reference ------------------------------------------------------------------------------------

def test_reference_names_and_aliases():
    ref = Reference.from_csl({"id": "a", "type": "article-journal", "container-title": "J", "DOI": "10.1/x",
                              "URL": "https://x.org", "journalAbbreviation": "J.", "archive_location": "Box 2"})
    assert (ref.container_title, ref.doi, ref.url, ref.journal_abbreviation, ref.archive_location) == (
        "J", "10.1/x", "https://x.org", "J.", "Box 2")
    by_name = Reference(id="a", type="book", container_title="C", collection_editor=["Ann Editor"])
    assert by_name.to_csl() == {"id": "a", "type": "book", "container-title": "C",
                                "collection-editor": [{"given": "Ann", "family": "Editor"}]}


def test_reference_round_trip_keeps_everything():
    data = {
        "id": 7, "type": "chapter", "title": "T", "author": [{"family": "A", "given": "B", "x": 1}],
        "editor": [{"literal": "Org"}], "issued": {"date-parts": [["2006", "12"]], "circa": 1},
        "page": "3-5", "volume": 2, "number-of-pages": "300", "custom": {"k": [1, 2]},
        "categories": ["a"], "note": "n",
    }
    ref = Reference.from_csl(data)
    assert ref.to_csl() == data
    # CSL-JSON has no other fields: the models refuse one, naming the closest (issue 11)
    with pytest.raises(ItemError, match="unknown-field: not a CSL-JSON field"):
        Reference.from_csl({**data, "unknown-field": {"nested": True}})


@given(
    type_=st.sampled_from(ITEM_TYPES),
    texts=st.dictionaries(st.sampled_from(STANDARD_VARIABLES), st.text(max_size=20), max_size=6),
    numbers=st.dictionaries(st.sampled_from(NUMBER_VARIABLES), st.one_of(st.integers(0, 9999), st.text(max_size=6)),
                            max_size=4),
    custom=st.dictionaries(st.text(alphabet="xyz-", min_size=3, max_size=8), st.integers(), max_size=2),
)
def test_reference_round_trip_property(type_, texts, numbers, custom):
    data = {"id": "i", "type": type_, **texts, **numbers, **({"custom": custom} if custom else {})}
    assert Reference.from_csl(data).to_csl() == data


def test_every_csl_variable_and_type_is_a_field():
    fields = {f.alias for f in Reference.model_fields.values()}
    # From the CSL 1.0.2 specification, Appendix IV, including variables the JSON schema lacks.
    spec_only = {"editor-translator", "license", "part-number", "printing-number", "supplement-number"}
    assert spec_only <= fields
    assert len(ITEM_TYPES) == 45
    assert {"author", "container-author", "series-creator"} <= set(NAME_VARIABLES)
    assert set(DATE_VARIABLES) == {"accessed", "available-date", "event-date", "issued", "original-date", "submitted"}
    if CSL_DATA_SCHEMA.is_file():
        schema = json.loads(CSL_DATA_SCHEMA.read_text())["items"]
        assert set(schema["properties"]) <= fields
        assert set(schema["properties"]["type"]["enum"]) == set(ITEM_TYPES)


@pytest.mark.parametrize("data, field, words", [
    ({"id": "a1", "type": "bok"}, "type", "did you mean book"),
    ({"id": "a1", "type": "book", "author": [{"family": 3}]}, "author[0].family", "valid string, got 3"),
    ({"id": "a1", "type": "book", "issued": "19/12/2006"}, "issued", "expected an ISO 8601"),
    ({"id": "a1", "title": "x", "container-title": "y"}, "type", "required"),
])
def test_reference_errors_name_item_and_field(data, field, words):
    with pytest.raises(ItemError) as info:
        Reference.from_csl(data)
    assert info.value.item_id == "a1"
    assert info.value.field == field
    assert words in str(info.value)
    assert str(info.value).startswith(f"item 'a1': {field}: ")


# --- Brief ------------------------------------------------------------------------------------------

def test_seed_brief_is_exactly_the_engine_item():
    assert seed_brief().to_csl() == SEED_ITEM
    assert Brief.model_validate(json.loads(Path(__file__).parents[1].joinpath("examples/brief.json").read_text())) \
        == seed_brief()


def test_brief_fields_map_to_csl():
    item = seed_brief(authors=["Zissis, Carin", "{Council Staff}"], accessed="2024-01-31", updated="2007-01-02",
                      id="cfr-brief").to_csl()
    assert item["id"] == "cfr-brief"
    assert item["author"] == [{"family": "Zissis", "given": "Carin"}, {"literal": "Council Staff"}]
    assert item["accessed"] == {"date-parts": [[2024, 1, 31]]}
    assert item["issued"] == {"date-parts": [[2006, 12, 19]]}
    assert item["custom"] == {"updated": {"date-parts": [[2007, 1, 2]]}}
    assert "publisher" not in item  # the publisher is the container, never duplicated


def test_brief_updated_stands_in_for_a_missing_date():
    item = seed_brief(date=None, updated="2007-01-02").to_csl()
    assert item["issued"] == {"date-parts": [[2007, 1, 2]]}
    assert item["id"] == "zissis2007"


def test_brief_ids_are_derived_deterministically():
    assert seed_brief(authors=["Ærøe, Åse"]).default_id() == "aeroe2006"
    assert seed_brief(authors=["Jean de La Fontaine"], date="1668").to_csl()["id"] == "lafontaine1668"
    assert seed_brief(authors=["{Council on Foreign Relations}"]).to_csl()["id"] == "council2006"
    assert seed_brief(authors=[], date=None).to_csl()["id"] == "prospects"
    assert Brief(title="!!").to_csl()["id"] == "brief"


def test_brief_accepts_author_singular_and_a_single_name():
    assert Brief.model_validate({"title": "T", "author": "Carin Zissis"}).authors == [Name("Carin Zissis")]


@pytest.mark.parametrize("data, field, words", [
    ({"title": "x", "date": "19/12/2006"}, "date", "expected an ISO 8601 / EDTF date such as 2006-12-19"),
    ({"title": "x", "url": "www.cfr.org"}, "url", "absolute URL"),
    ({"title": "  "}, "title", "empty"),
    ({"date": "2006"}, "title", "required"),
    ({"title": "x", "authr": "A B"}, "authr", "did you mean authors"),
    ({"title": "x", "authors": ["A, B, C, D"]}, "authors[0]", "expected a name"),
])
def test_brief_errors_name_the_field(data, field, words):
    with pytest.raises(ItemError) as info:
        Brief.from_data(data)
    assert info.value.field == field
    assert words in str(info.value)


def test_parse_item_tells_briefs_from_csl():
    assert isinstance(parse_item({"title": "T", "authors": ["A B"]}), Brief)
    assert isinstance(parse_item({"id": "x", "type": "book"}), Reference)
    with pytest.raises(ItemError, match=r"item 3: expected a CSL-JSON dict or a citekit model"):
        parse_item(["not", "an", "object"], position=3)


def test_json_schema_exports():
    ref = json_schema("reference")
    assert ref["properties"]["container-title"]["anyOf"][0] == {"type": "string"}
    assert "webpage" in ref["properties"]["type"]["enum"]
    assert ref["additionalProperties"] is True
    name = ref["$defs"]["Name"]
    assert name["anyOf"][1]["type"] == "string"  # a written name is accepted too
    brief = json_schema("brief")
    assert brief["required"] == ["title"] and brief["additionalProperties"] is False
    json.dumps(brief)  # serialisable
    with pytest.raises(ValueError, match="expected one of"):
        json_schema("nothing")
