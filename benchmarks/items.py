"""A seeded generator of realistic CSL-JSON items for the benchmarks.

Journal articles, books, chapters, web pages and reports with 1–8 authors. Surnames,
given names and years come from small pools so that many items share an author and a
year: the styles' disambiguation (year suffixes, added names and initials) has real
work to do, as in a real reference list.

`generate(n, seed)` returns the first n items of one seeded sequence, so the 100-item
list is a prefix of the 1,000-item list, and every engine gets the same items.
"""

from __future__ import annotations

import json
import random
import sys

SURNAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernández Lopez "
    "Müller Schmidt Schneider Fischer Weber Dubois Martin Bernard Rossi Russo Ferrari Kowalski "
    "Nowak Novák Horvát Nagy Tanaka Suzuki Watanabe Kim Lee Park Chen Wang Zhang Li Singh Patel "
    "O'Brien MacDonald Nguyen Ivanov Petrova Andersen Nielsen Jensen"
).split() + ["van der Berg", "de la Cruz"]
GIVEN = (
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara "
    "Anna Maria Jean-Luc Émilie Hans Sofia Yuki Hiroshi Min-jun Wei Priya Arjun Olga Ivan "
    "Lars Ingrid Seán Aoife Carlos Lucía"
).split()
WORDS = (
    "analysis approach assessment behaviour climate cognition communities comparative data "
    "development dynamics education effects evidence evolution framework global governance "
    "health history identity impact infrastructure learning markets memory methods migration "
    "models networks outcomes patterns performance policy politics practice quality reform "
    "regional resilience risk schools social structure systems theory trade urban variation"
).split()
JOURNALS = (
    "Journal of Applied Research", "Social Science Quarterly", "Nature Reviews Methods",
    "The Historical Journal", "Annual Review of Policy", "Cognitive Science",
    "Journal of Urban Studies", "Economic Inquiry", "Global Health Perspectives",
    "Quarterly Journal of Education",
)
PUBLISHERS = (
    ("Oxford University Press", "Oxford"), ("Cambridge University Press", "Cambridge"),
    ("Routledge", "London"), ("Springer", "Berlin"), ("University of Chicago Press", "Chicago"),
    ("MIT Press", "Cambridge, MA"), ("Princeton University Press", "Princeton"),
    ("Sage", "Thousand Oaks, CA"),
)
INSTITUTIONS = ("World Bank", "OECD", "RAND Corporation", "National Bureau of Economic Research",
                "Pew Research Center", "Brookings Institution")
SITES = ("BBC News", "The Conversation", "Council on Foreign Relations", "Wikipedia",
         "Our World in Data", "Smithsonian Magazine")

TYPES = (("article-journal", 45), ("book", 15), ("chapter", 15), ("webpage", 15), ("report", 10))
YEARS = tuple(range(2005, 2025))


def _title(rng: random.Random, words: int) -> str:
    picked = rng.sample(WORDS, words)
    title = " ".join(picked).capitalize()
    if rng.random() < 0.35:
        title += ": " + " ".join(rng.sample(WORDS, rng.randint(2, 4)))
    return title


def _people(rng: random.Random, low: int, high: int) -> list[dict]:
    count = rng.choices(range(low, high + 1), weights=[2 ** -k for k in range(high - low + 1)])[0]
    people = []
    for _ in range(count):
        given = rng.choice(GIVEN)
        if rng.random() < 0.2:
            given += " " + rng.choice("ABCDEFGHJKLMNPRST") + "."
        people.append({"family": rng.choice(SURNAMES), "given": given})
    return people


def _date(rng: random.Random, full: bool = False) -> dict:
    parts = [rng.choice(YEARS)]
    if full or rng.random() < 0.3:
        parts += [rng.randint(1, 12), rng.randint(1, 28)]
    return {"date-parts": [parts]}


def _item(rng: random.Random, index: int) -> dict:
    kind = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES])[0]
    item: dict = {"id": f"item{index:05d}", "type": kind}
    if kind == "article-journal":
        first = rng.randint(1, 400)
        item.update(
            author=_people(rng, 1, 8), title=_title(rng, rng.randint(3, 7)),
            issued=_date(rng), volume=str(rng.randint(1, 60)), issue=str(rng.randint(1, 12)),
            page=f"{first}-{first + rng.randint(5, 40)}",
            DOI=f"10.{rng.randint(1000, 9999)}/{rng.randrange(16 ** 8):08x}",
        )
        item["container-title"] = rng.choice(JOURNALS)
    elif kind == "book":
        publisher, place = rng.choice(PUBLISHERS)
        item.update(author=_people(rng, 1, 4), title=_title(rng, rng.randint(2, 6)), issued=_date(rng),
                    publisher=publisher, ISBN=f"978-{rng.randint(0, 9)}-{rng.randint(1000, 9999)}-"
                                                f"{rng.randint(1000, 9999)}-{rng.randint(0, 9)}")
        item["publisher-place"] = place
        if rng.random() < 0.3:
            item["edition"] = str(rng.randint(2, 5))
    elif kind == "chapter":
        publisher, place = rng.choice(PUBLISHERS)
        first = rng.randint(1, 300)
        item.update(author=_people(rng, 1, 3), editor=_people(rng, 1, 3), title=_title(rng, rng.randint(3, 6)),
                    issued=_date(rng), publisher=publisher, page=f"{first}-{first + rng.randint(10, 30)}")
        item["container-title"] = _title(rng, rng.randint(2, 5))
        item["publisher-place"] = place
    elif kind == "webpage":
        item.update(author=_people(rng, 1, 2), title=_title(rng, rng.randint(3, 8)),
                    issued=_date(rng, full=True), accessed=_date(rng, full=True),
                    URL=f"https://example.org/{rng.choice(WORDS)}/{rng.randrange(10 ** 6)}")
        item["container-title"] = rng.choice(SITES)
    else:  # report
        item.update(author=_people(rng, 1, 5), title=_title(rng, rng.randint(3, 7)), issued=_date(rng),
                    publisher=rng.choice(INSTITUTIONS), number=str(rng.randint(100, 9999)))
        item["collection-title"] = "Working Paper Series"
    return item


def generate(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [_item(rng, i) for i in range(n)]


def first_of_type(items: list[dict], kind: str) -> dict:
    return next(item for item in items if item["type"] == kind)


if __name__ == "__main__":  # python benchmarks/items.py 10 → ten items as CSL-JSON
    json.dump(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10), sys.stdout, indent=1, ensure_ascii=False)
