"""citekit.dask on a real cluster: two worker processes (distributed.LocalCluster), a bag
and a DataFrame formatted partition by partition, as format_each formats them."""

from __future__ import annotations

import json

import pytest

import citekit
import citekit.dask
from citekit.each import format_each

dask = pytest.importorskip("dask", reason="the dask extra (pip install 'citekit[dask]', in the test extra)")
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from test_each import ARTICLE, BAD_DATE, BOOK, generated  # noqa: E402

REPAIRED = {"id": "rep", "type": "book", "title": "Kept", "issued": "next tuesday"}
ITEMS = [BOOK, ARTICLE, *generated(30), BAD_DATE, REPAIRED]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def expected(styles):
    return [e.record() for e in format_each(ITEMS, styles)]


def test_bag_of_items(client):
    bag = db.from_sequence(ITEMS, npartitions=4)
    records = citekit.dask.format_bag(bag, ["apa", "mla"]).compute()
    assert records == expected(["apa", "mla"])
    assert records[0] == {"id": "poe", "apa": citekit.cite(BOOK, "apa"), "mla": citekit.cite(BOOK, "mla")}
    assert records[-2] == {"id": "bad", "problems": ["bad: issued: '2006-13-01' is no date (no month 13) (skipped)"]}
    assert records[-1]["apa"] and "next tuesday" in records[-1]["problems"][0]
    # the styles were parsed in the workers, not sent parsed from here
    parsed = client.run(lambda: citekit.dask._worker_style.cache_info().currsize)
    assert sum(parsed.values()) >= 2 and citekit.dask._worker_style.cache_info().currsize == 0


def test_bag_of_json_lines(client, tmp_path):
    for n in range(3):
        part = ITEMS[n * 12:(n + 1) * 12]
        (tmp_path / f"refs-{n}.jsonl").write_text("".join(json.dumps(i) + "\n\n" for i in part), encoding="utf-8")
    records = citekit.dask.format_bag(db.read_text(str(tmp_path / "refs-*.jsonl")), "ieee").compute()
    assert records == expected("ieee")


def test_dataframe_columns_as_fields(client):
    frame = pd.DataFrame(ITEMS)  # a column per CSL-JSON field, NaN where an item has none
    # Dask turns object columns into text by default, which would print a name list as its
    # Python repr: nested fields need the conversion off (docs/catalogue.md).
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(frame, npartitions=3)
        column = citekit.dask.format_dataframe(ddf, "apa").compute()
        both = citekit.dask.format_dataframe(ddf, ["apa", "mla"], problems="problems").compute()
    assert column.name == "apa" and list(column.index) == list(frame.index)
    want = [r.get("apa") for r in expected("apa")]
    assert [None if pd.isna(v) else v for v in column.tolist()] == want
    assert list(both.columns) == ["apa", "mla", "problems"]
    assert both["mla"].iloc[0] == citekit.cite(BOOK, "mla")
    assert "no month 13" in both["problems"].iloc[-2] and pd.isna(both["apa"].iloc[-2])
    assert both["problems"].iloc[0] == ""


def test_dataframe_of_flat_text_columns(client):
    # names and dates written as text, as in a spreadsheet: read by the one door, with
    # Dask's default text columns
    rows = [{"id": "poe", "type": "book", "title": "Tales", "author": "Poe, Edgar Allan", "issued": "1845"},
            {"id": "z", "type": "webpage", "title": "Dim prospects", "author": "Carin Zissis",
             "issued": "2006-12-19", "URL": "https://example.org/p1"}]
    column = citekit.dask.format_dataframe(dd.from_pandas(pd.DataFrame(rows), npartitions=2), "apa").compute()
    assert column.tolist() == [citekit.cite(r, "apa") for r in rows]


def test_dataframe_column_of_json(client):
    frame = pd.DataFrame({"csl": [json.dumps(i) for i in ITEMS], "n": range(len(ITEMS))})
    column = citekit.dask.format_dataframe(dd.from_pandas(frame, npartitions=2), "mla", column="csl").compute()
    assert [None if pd.isna(v) else v for v in column.tolist()] == [r.get("mla") for r in expected("mla")]


def test_unknown_style_fails_in_the_client():
    with pytest.raises(citekit.StyleNotFound):
        citekit.dask.format_bag(db.from_sequence([BOOK]), "no-such-style-xyz")
