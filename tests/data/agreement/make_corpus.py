"""Writes corpus.json (CSL-JSON items) and clusters.json (citation clusters) beside this file.

    python tests/data/agreement/make_corpus.py

The items are realistic references written by hand for citekit's agreement measure
against citeproc-js (benchmarks/agreement.py, tests/test_agreement.py). They cover
every CSL item type and the cases that trip engines up: edited and translated books
without an author, chapters by the book's own editor, one author with several works in
one year, equal surnames with different given names, organisations, missing, seasonal,
ranged and literal dates, versions, patents, legal items, datasets and software,
multi-volume works, non-Latin and accented names, particles, one to thirty authors.

Changing an item or a cluster changes the corpus hash: the citeproc-js outputs cached
by the benchmark and the committed expectations of the test must then be regenerated.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def p(*names: str) -> list[dict]:
    """Names as "Family, Given", "Family, Given, Suffix", "van der|Berg, Anna" (particle),
    "von~Neumann, John" (dropping particle), or "=Literal Organisation"."""
    out = []
    for name in names:
        if name.startswith("="):
            out.append({"literal": name[1:]})
            continue
        parts = [s.strip() for s in name.split(",")]
        person: dict = {"family": parts[0]}
        if len(parts) > 1 and parts[1]:
            person["given"] = parts[1]
        if len(parts) > 2:
            person["suffix"] = parts[2]
        for mark, key in (("|", "non-dropping-particle"), ("~", "dropping-particle")):
            if mark in person["family"]:
                person[key], person["family"] = person["family"].split(mark)
        out.append(person)
    return out


def d(*parts, season=None, end=None, circa=False) -> dict:
    """A date: d(2019, 3, 4); d(2019, season=2); d(2018, end=(2019,)); d(literal)."""
    if len(parts) == 1 and isinstance(parts[0], str):
        return {"literal": parts[0]}
    out: dict = {"date-parts": [list(parts)] + ([list(end)] if end else [])}
    if season:
        out["season"] = season
    if circa:
        out["circa"] = True
    return out


ITEMS: list[dict] = []


def add(id_: str, type_: str, **fields) -> None:
    item = {"id": id_, "type": type_}
    for key, value in fields.items():
        item[key.replace("_", "-") if key not in ("DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID") else key] = value
    ITEMS.append(item)


ACC = d(2024, 1, 9)

# --- journal articles: one to thirty authors, DOIs, same author and year -------------------------
add("goodin2011a", "article-journal", author=p("Goodin, Robert E."), title="The Paradox of Persisting Opposition",
    container_title="Politics, Philosophy & Economics", volume="1", issue="1", page="109-126", issued=d(2011, 2),
    DOI="10.1177/1470594X02001001006")
add("smith2019a", "article-journal", author=p("Smith, Julia"), title="Soil Carbon Dynamics under Reduced Tillage",
    container_title="Agronomy Journal", container_title_short="Agron. J.", volume="111", issue="4",
    page="1563-1575", issued=d(2019, 7, 1), DOI="10.2134/agronj2018.10.0651")
add("smith2019b", "article-journal", author=p("Smith, Julia"), title="Cover Crops and Nitrogen Leaching: A Meta-Analysis",
    container_title="Field Crops Research", volume="240", page="44-56", issued=d(2019, 9), DOI="10.1016/j.fcr.2019.05.012")
add("smith2019c", "article-journal", author=p("Smith, Julia", "Okafor, Chidi"),
    title="Measuring Earthworm Abundance in Arable Fields", container_title="Applied Soil Ecology", volume="142",
    page="100-108", issued=d(2019, 11, 15))
add("smith2019d", "article-journal", author=p("Smith, John"), title="Wage Rigidity in Regional Labour Markets",
    container_title="Journal of Regional Science", volume="59", issue="2", page="287-310", issued=d(2019, 3))
add("smith2019e", "article-journal", author=p("Smith, John", "Lee, Hannah", "Patel, Ravi"),
    title="Commuting Zones and Wage Growth", container_title="Regional Studies", volume="53", issue="8",
    page="1101-1114", issued=d(2019), DOI="10.1080/00343404.2019.1577552")
add("doe2020", "article-journal", author=p("Doe, Jane"), title="Trust in Science after the Pandemic",
    container_title="Public Understanding of Science", volume="29", issue="7", page="651-667", issued=d(2020, 10))
add("doe2019", "article-journal", author=p("Doe, Jane"), title="Deliberative Polling in Small Towns",
    container_title="Political Behavior", volume="41", page="377-399", issued=d(2019, 6))
add("cork2018", "article-journal", author=p("Cork, Martin"), title="The Long Shadow of the Enclosure Acts",
    container_title="Economic History Review", volume="71", issue="3", page="802-829", issued=d(2018, 8))
add("two2017", "article-journal", author=p("Nguyen, Thi Lan", "Ferreira, João"),
    title="Mangrove Loss and Coastal Flooding in the Mekong Delta", container_title="Nature Sustainability",
    volume="1", page="12-19", issued=d(2017, 12, 4), DOI="10.1038/s41893-017-0001-2", URL="https://doi.org/10.1038/s41893-017-0001-2")
add("three2016", "article-journal", author=p("García-Márquez, Inés", "Müller, Jürgen", "Østergaard, Søren"),
    title="Ice-Sheet Mass Balance from GRACE, 2002–2015", container_title="Geophysical Research Letters",
    volume="43", issue="14", page="7311-7318", issued=d(2016, 7, 28), DOI="10.1002/2016GL069666")
add("four2015", "article-journal",
    author=p("Kowalski, Piotr", "Nowak, Anna", "Wiśniewska, Zofia", "Dąbrowski, Tomasz"),
    title="Heat Waves and Hospital Admissions in Central Europe", container_title="Environmental Health",
    volume="14", page="e41", issued=d(2015, 5), PMID="25956340")
add("five2021", "article-journal",
    author=p("Andersson, Karin", "Berg, Lars", "Carlsson, Eva", "Dahl, Nils", "Ek, Maria"),
    title="Sleep Duration and Academic Performance in Adolescents", container_title="Sleep Medicine",
    container_title_short="Sleep Med.", volume="84", page="288-295", issued=d(2021, 8), DOI="10.1016/j.sleep.2021.05.041")
add("six2014", "article-journal",
    author=p("Brown, Alice", "Clark, Ben", "Davis, Carol", "Evans, Dan", "Fisher, Emma", "Green, Frank"),
    title="A Randomised Trial of Exercise Referral in Primary Care", container_title="BMJ", volume="349",
    page="g4852", issued=d(2014, 8, 12), DOI="10.1136/bmj.g4852")
add("seven2022", "article-journal",
    author=p("Ito, Hiroshi", "Kato, Yumi", "Mori, Takeshi", "Saito, Aiko", "Suzuki, Ken", "Tanaka, Rie", "Watanabe, Sho"),
    title="Deep Learning for Seismic Phase Picking", container_title="Seismological Research Letters",
    volume="93", issue="2A", page="1-15", issued=d(2022, 3), DOI="10.1785/0220210123")
add("eight2013", "article-journal",
    author=p("Adams, Ruth", "Baker, Simon", "Cole, Tina", "Dunn, Victor", "Ellis, Wendy", "Ford, Xavier",
             "Grant, Yvonne", "Hall, Zachary"),
    title="Genome-Wide Association Study of Migraine", container_title="Nature Genetics", volume="45",
    issue="8", page="912-917", issued=d(2013, 6, 23), DOI="10.1038/ng.2676")
add("eleven2018", "article-journal",
    author=p("Rossi, Marco", "Bianchi, Giulia", "Romano, Luca", "Colombo, Sara", "Ricci, Paolo", "Marino, Elena",
             "Greco, Andrea", "Bruno, Chiara", "Gallo, Davide", "Conti, Marta", "De Luca, Stefano"),
    title="Air Pollution and Cognitive Decline in Older Adults", container_title="The Lancet Planetary Health",
    volume="2", issue="9", page="e394-e402", issued=d(2018, 9), DOI="10.1016/S2542-5196(18)30179-5")
add("thirty2020", "article-journal",
    author=p(*[f"{fam}, {giv}" for fam, giv in [
        ("Abbott", "Benjamin P."), ("Abbott", "Rich"), ("Acernese", "Fausto"), ("Ackley", "Kendall"),
        ("Adams", "Carl"), ("Addesso", "Paolo"), ("Adhikari", "Rana X."), ("Adya", "Vaishali B."),
        ("Affeldt", "Christoph"), ("Agathos", "Michalis"), ("Agatsuma", "Kazuhiro"), ("Aggarwal", "Nancy"),
        ("Aguiar", "Odylio D."), ("Aiello", "Lorenzo"), ("Ain", "Anirban"), ("Ajith", "Parameswaran"),
        ("Allen", "Bruce"), ("Allocca", "Annalisa"), ("Altin", "Paul A."), ("Ananyeva", "Alena"),
        ("Anderson", "Stuart B."), ("Anderson", "Warren G."), ("Appert", "Sebastien"), ("Arai", "Koji"),
        ("Araya", "Melody C."), ("Areeda", "Joseph S."), ("Arnaud", "Nicolas"), ("Arun", "K. G."),
        ("Ascenzi", "Stefano"), ("Ashton", "Gregory")]]),
    title="GW190425: Observation of a Compact Binary Coalescence with Total Mass ∼ 3.4 M⊙",
    container_title="The Astrophysical Journal Letters", volume="892", issue="1", page="L3",
    issued=d(2020, 3, 19), DOI="10.3847/2041-8213/ab75f5")
add("vanderberg2012", "article-journal", author=p("van der|Berg, Anna", "de|Vries, Pieter"),
    title="Dike Failure Probabilities under Sea-Level Rise", container_title="Coastal Engineering",
    volume="64", page="1-12", issued=d(2012, 6))
add("debeauvoir1949", "article-journal", author=p("de|Beauvoir, Simone"), title="La femme et les mythes",
    container_title="Les Temps modernes", issue="32", page="1921-1943", issued=d(1949, 5), language="fr")
add("vonneumann1928", "article-journal", author=p("von~Neumann, John"), title="Zur Theorie der Gesellschaftsspiele",
    container_title="Mathematische Annalen", volume="100", page="295-320", issued=d(1928), language="de",
    DOI="10.1007/BF01448847")
add("dalembert1743", "book", author=p("d'|Alembert, Jean le Rond"), title="Traité de dynamique",
    publisher="David", publisher_place="Paris", issued=d(1743), language="fr")
add("king1963", "article-journal", author=p("King, Martin Luther, Jr."), title="Letter from Birmingham Jail",
    container_title="The Atlantic Monthly", volume="212", issue="2", page="78-88", issued=d(1963, 8))
add("season2019", "article-journal", author=p("Whitfield, Laura"), title="Reading Woolf in Wartime",
    container_title="Modernism/modernity", volume="26", issue="2", page="301-320", issued=d(2019, season=1))
add("season2018", "article-magazine", author=p("Ochieng, Grace"), title="The Quiet Return of the Lake Victoria Cichlids",
    container_title="Natural History", volume="126", issue="3", page="22-29", issued=d(2018, season=3))
add("range2018", "article-journal", author=p("Haddad, Samir"), title="Climate Migration in the Sahel",
    container_title="Population and Environment", volume="39", page="201-233", issued=d(2018, 11, end=(2019, 2)))
add("range2010", "article-journal", author=p("Lindqvist, Eva"), title="Winter Ecology of the Arctic Fox",
    container_title="Polar Biology", volume="33", page="1021-1030", issued=d(2010, end=(2011,)))
add("forthcoming", "article-journal", author=p("Moreau, Claire"), title="Sovereign Debt and Constitutional Courts",
    container_title="European Law Journal", issued=d("forthcoming"))
add("inpress", "article-journal", author=p("Kim, Ji-woo", "Park, Min-jun"), title="Working Memory in Bilingual Children",
    container_title="Developmental Science", issued=d("in press"), DOI="10.1111/desc.13001")
add("circa1850", "manuscript", author=p("Darwin, Charles"), title="Notebook on the transmutation of species",
    archive="Cambridge University Library", archive_location="DAR 121", issued=d(1850, circa=True))
add("nodate-article", "article-journal", author=p("Fischer, Tobias"), title="Notes on the Kantian Sublime",
    container_title="Kant-Studien", volume="12", page="45-67")
add("italic-title", "article-journal", author=p("Reyes, Daniel"),
    title="Reading <i>Moby-Dick</i> in the Age of Extinction: “The Whale” as Archive",
    container_title="American Literature", volume="92", issue="4", page="655-681", issued=d(2020, 12))
add("quote-title", "article-journal", author=p("Owens, Patricia"),
    title="“Not Life but Good Life”: Hannah Arendt on Household Politics", container_title="Political Theory",
    volume="40", issue="5", page="568-591", issued=d(2012), DOI="10.1177/0090591712450402")
add("unbalanced", "article-journal", author=p("Bauer, Karl"),
    title="<i>Wo> as a Politically Significant Term", container_title="German Life and Letters",
    volume="70", page="1-20", issued=d(2017))
add("case-title", "article-journal", author=p("Hansen, James", "Sato, Makiko"),
    title="GISTEMP v4 and the NASA Global Temperature Record", container_title="Reviews of Geophysics",
    volume="58", issue="4", page="e2019RG000693", issued=d(2020), DOI="10.1029/2019RG000693")
add("pages-roman", "article-journal", author=p("Thompson, E. P."), title="The Moral Economy of the English Crowd",
    container_title="Past & Present", volume="50", page="76-136", issued=d(1971, 2))
add("pages-long", "article-journal", author=p("Coase, R. H."), title="The Problem of Social Cost",
    container_title="Journal of Law and Economics", volume="3", page="1-44", issued=d(1960, 10))
add("pages-collapse", "article-journal", author=p("Fama, Eugene F."), title="Efficient Capital Markets: A Review",
    container_title="Journal of Finance", volume="25", issue="2", page="383-417", issued=d(1970, 5))
add("accessed-article", "article-journal", author=p("Alvarez, Lucía"), title="Open Peer Review in Practice",
    container_title="Learned Publishing", volume="35", page="210-222", issued=d(2022, 4, 20), accessed=ACC,
    URL="https://example.org/lp/35/210")

# --- CJK, Cyrillic, Arabic, Greek names --------------------------------------------------------------
add("cjk-zh", "article-journal", author=p("王, 小明", "李, 华"), title="城市化对地下水的影响",
    container_title="地理学报", volume="74", issue="5", page="1012-1025", issued=d(2019, 5), language="zh-CN")
add("cjk-ja", "book", author=p("村上, 春樹"), title="職業としての小説家", publisher="新潮社",
    publisher_place="東京", issued=d(2016), language="ja")
add("cjk-ko", "article-journal", author=p("김, 민수"), title="한국 사회의 세대 갈등", container_title="한국사회학",
    volume="53", issue="2", page="1-30", issued=d(2019), language="ko")
add("cjk-romanised", "article-journal", author=p("Zhang, Wei", "Zhang, Li", "Wang, Fang"),
    title="Graphene Oxide Membranes for Desalination", container_title="Chinese Science Bulletin",
    volume="64", page="2871-2880", issued=d(2019, 10), DOI="10.1360/N972019-00312")
add("ru-article", "article-journal", author=p("Иванов, Иван Петрович", "Смирнова, Ольга Николаевна"),
    title="Динамика численности населения Сибири", container_title="Вопросы экономики", volume="12",
    issue="3", page="45-62", issued=d(2018), language="ru")
add("ru-book", "book", author=p("Толстой, Лев Николаевич"), title="Война и мир", volume="1",
    number_of_volumes="4", publisher="Художественная литература", publisher_place="Москва", issued=d(1978), language="ru")
add("ru-latin", "book", author=p("Bakhtin, Mikhail"), title="Rabelais and His World", translator=p("Iswolsky, Hélène"),
    publisher="Indiana University Press", publisher_place="Bloomington", issued=d(1984),
    original_date=d(1965), original_title="Творчество Франсуа Рабле")
add("ar-article", "article-journal", author=p("الخطيب, محمد"), title="التحولات الاجتماعية في المدن العربية",
    container_title="مجلة العلوم الاجتماعية", volume="47", issue="2", page="9-38", issued=d(2019), language="ar")
add("ar-latin", "book", author=p("Al-Khalili, Jim"), title="The House of Wisdom: How Arabic Science Saved Ancient Knowledge",
    publisher="Penguin Press", publisher_place="New York", issued=d(2011))
add("el-article", "article-journal", author=p("Παπαδόπουλος, Γιώργος"), title="Η οικονομική κρίση στην Ελλάδα",
    container_title="Επιθεώρηση Κοινωνικών Ερευνών", volume="140", page="3-27", issued=d(2013), language="el")
add("accented", "book", author=p("Šimek, Dušan", "Çelik, Ayşe", "Nørgaard, Åse", "Ó Briain, Seán"),
    title="Small Languages in a Digital Europe", publisher="Multilingual Matters", publisher_place="Bristol",
    issued=d(2021), ISBN="9781800411234")
add("given-only", "book", author=[{"given": "Plato"}], title="Republic", translator=p("Grube, G. M. A."),
    publisher="Hackett", publisher_place="Indianapolis", issued=d(1992))
add("mononym", "song", author=[{"literal": "Beyoncé"}], title="Formation", container_title="Lemonade",
    publisher="Parkwood Entertainment", issued=d(2016, 4, 23))

# --- books: edited, translated, without author, organisations, volumes, editions -------------------
add("goodin2011b", "book", editor=p("Goodin, Robert E."), title="The Oxford Handbook of Political Science",
    publisher="Oxford University Press", publisher_place="Oxford", issued=d(2011), ISBN="9780199604456")
add("goodin2011c", "chapter", author=p("Goodin, Robert E."), title="The State of the Discipline, the Discipline of the State",
    container_title="The Oxford Handbook of Political Science", editor=p("Goodin, Robert E."),
    publisher="Oxford University Press", publisher_place="Oxford", page="3-57", issued=d(2011),
    DOI="10.1093/oxfordhb/9780199604456.013.0001")
add("edited-two", "book", editor=p("Meila, Marina", "Zhang, Tong"), title="Proceedings of the 38th International Conference on Machine Learning",
    collection_title="Proceedings of Machine Learning Research", collection_number="139", publisher="PMLR",
    issued=d(2021))
add("edited-vol", "book", editor=p("Meila, Marina", "Zhang, Tong"), title="Edited Volume", publisher="MIT Press",
    publisher_place="Cambridge, MA", issued=d(2020))
add("translated-iliad", "book", translator=p("Fagles, Robert"), title="The Iliad", publisher="Penguin Classics",
    publisher_place="New York", issued=d(1990))
add("homer-iliad", "book", author=p("Homer"), translator=p("Lattimore, Richmond"), title="The Iliad of Homer",
    publisher="University of Chicago Press", publisher_place="Chicago", issued=d(1951), original_date=d(-750))
add("editor-translator", "book", author=p("Weber, Max"), editor=p("Roth, Guenther", "Wittich, Claus"),
    translator=p("Roth, Guenther", "Wittich, Claus"), title="Economy and Society: An Outline of Interpretive Sociology",
    volume="2", number_of_volumes="2", publisher="University of California Press", publisher_place="Berkeley",
    issued=d(1978), original_date=d(1922))
add("same-ed-trans", "book", author=p("Freud, Sigmund"), editor=p("Strachey, James"), translator=p("Strachey, James"),
    title="The Interpretation of Dreams", publisher="Basic Books", publisher_place="New York", issued=d(2010),
    original_date=d(1900))
add("book-edition", "book", author=p("Knuth, Donald E."), title="The Art of Computer Programming",
    volume="1", volume_title="Fundamental Algorithms", edition="3", number_of_volumes="4",
    publisher="Addison-Wesley", publisher_place="Reading, MA", issued=d(1997))
add("book-edition-text", "book", author=p("Strunk, William, Jr.", "White, E. B."), title="The Elements of Style",
    edition="4th ed.", publisher="Longman", publisher_place="New York", issued=d(2000))
add("multi-volume", "book", author=p("Gibbon, Edward"), title="The History of the Decline and Fall of the Roman Empire",
    number_of_volumes="6", editor=p("Womersley, David"), publisher="Penguin", publisher_place="London",
    issued=d(1994))
add("multi-volume-range", "book", author=p("Braudel, Fernand"),
    title="The Mediterranean and the Mediterranean World in the Age of Philip II", volume="1-2",
    translator=p("Reynolds, Siân"), publisher="Harper & Row", publisher_place="New York", issued=d(1972, end=(1973,)))
add("org-book", "book", author=p("=World Health Organization"), title="World Health Statistics 2023: Monitoring Health for the SDGs",
    publisher="World Health Organization", publisher_place="Geneva", issued=d(2023), ISBN="9789240074323",
    URL="https://www.who.int/publications/i/item/9789240074323")
add("org-report", "report", author=p("=Intergovernmental Panel on Climate Change"),
    title="Climate Change 2021: The Physical Science Basis", genre="Working Group I Contribution to the Sixth Assessment Report",
    publisher="Cambridge University Press", publisher_place="Cambridge", issued=d(2021), DOI="10.1017/9781009157896")
add("org-apa", "book", author=p("=American Psychological Association"),
    title="Publication Manual of the American Psychological Association", edition="7",
    publisher="American Psychological Association", publisher_place="Washington, DC", issued=d(2020),
    DOI="10.1037/0000165-000")
add("no-author-book", "book", title="The Chicago Manual of Style", edition="17",
    publisher="University of Chicago Press", publisher_place="Chicago", issued=d(2017))
add("no-author-no-date", "webpage", title="Frequently Asked Questions about Copyright",
    container_title="Library Guides", URL="https://library.example.edu/copyright/faq", accessed=ACC)
add("nodate-book", "book", author=p("Lovelace, Ada"), title="Notes on the Analytical Engine",
    publisher="Richard and John E. Taylor", publisher_place="London")
add("reprint", "book", author=p("Wollstonecraft, Mary"), title="A Vindication of the Rights of Woman",
    publisher="Dover", publisher_place="Mineola, NY", issued=d(1996), original_date=d(1792),
    original_publisher="J. Johnson", original_publisher_place="London")
add("series-book", "book", author=p("Ostrom, Elinor"), title="Governing the Commons: The Evolution of Institutions for Collective Action",
    collection_title="Political Economy of Institutions and Decisions", publisher="Cambridge University Press",
    publisher_place="Cambridge", issued=d(1990), number_of_pages="280")
add("french-book", "book", author=p("Bourdieu, Pierre"), title="La distinction : critique sociale du jugement",
    publisher="Éditions de Minuit", publisher_place="Paris", issued=d(1979), edition="2", language="fr")
add("german-book", "book", author=p("Habermas, Jürgen"), title="Strukturwandel der Öffentlichkeit",
    edition="3", publisher="Suhrkamp", publisher_place="Frankfurt am Main", issued=d(1990), language="de")
add("spanish-book", "book", author=p("García Márquez, Gabriel"), title="Cien años de soledad",
    publisher="Editorial Sudamericana", publisher_place="Buenos Aires", issued=d(1967), language="es")
add("many-editors", "book", editor=p("Lee, Min", "Ortiz, Rosa", "Chen, Yu", "Hughes, Peter", "Ibrahim, Amina"),
    title="Handbook of Urban Ecology", publisher="Springer", publisher_place="Cham", issued=d(2022),
    DOI="10.1007/978-3-030-00000-0")

# --- chapters ---------------------------------------------------------------------------------------
add("chapter-basic", "chapter", author=p("Hall, Stuart"), title="Encoding/Decoding",
    container_title="Culture, Media, Language", editor=p("Hall, Stuart", "Hobson, Dorothy", "Lowe, Andrew", "Willis, Paul"),
    publisher="Hutchinson", publisher_place="London", page="128-138", issued=d(1980))
add("chapter-other", "chapter", author=p("Scott, Joan W."), title="Gender: A Useful Category of Historical Analysis",
    container_title="Feminism and History", editor=p("Scott, Joan W."), publisher="Oxford University Press",
    publisher_place="Oxford", page="152-180", issued=d(1996))
add("chapter-translated", "chapter", author=p("Benjamin, Walter"),
    title="The Work of Art in the Age of Mechanical Reproduction", container_title="Illuminations",
    editor=p("Arendt, Hannah"), translator=p("Zohn, Harry"), publisher="Schocken", publisher_place="New York",
    page="217-251", issued=d(1969), original_date=d(1935))
add("chapter-volume", "chapter", author=p("Hobsbawm, Eric"), title="The Crisis of the Seventeenth Century",
    container_title="Crisis in Europe 1560–1660", editor=p("Aston, Trevor"), volume="2", collection_title="Past and Present Series",
    publisher="Routledge & Kegan Paul", publisher_place="London", page="5-58", issued=d(1965), chapter_number="2")
add("chapter-nopage", "chapter", author=p("Nussbaum, Martha C."), title="Compassion: The Basic Social Emotion",
    container_title="The Communitarian Challenge to Liberalism", editor=p("Paul, Ellen Frankel", "Miller, Fred D., Jr.", "Paul, Jeffrey"),
    publisher="Cambridge University Press", publisher_place="Cambridge", issued=d(1996))
add("chapter-cjk", "chapter", author=p("山田, 太郎"), title="近代日本の都市計画", container_title="日本の都市史",
    editor=p("佐藤, 花子"), publisher="岩波書店", publisher_place="東京", page="45-78", issued=d(2005), language="ja")

# --- conference, thesis, report, manuscripts --------------------------------------------------------
add("conf-paper", "paper-conference", author=p("Vaswani, Ashish", "Shazeer, Noam", "Parmar, Niki", "Uszkoreit, Jakob",
                                                 "Jones, Llion", "Gomez, Aidan N.", "Kaiser, Łukasz", "Polosukhin, Illia"),
    title="Attention Is All You Need", container_title="Advances in Neural Information Processing Systems 30",
    event_title="Neural Information Processing Systems (NIPS 2017)", event_place="Long Beach, CA",
    event_date=d(2017, 12, 4, end=(2017, 12, 9)), page="5998-6008", publisher="Curran Associates", issued=d(2017))
add("conf-unpublished", "paper-conference", author=p("Rahman, Farida"), title="Informal Credit Networks in Dhaka",
    event_title="Annual Meeting of the American Economic Association", event_place="San Diego",
    issued=d(2020, 1, 4), genre="Paper presented")
add("conf-doi", "paper-conference", author=p("He, Kaiming", "Zhang, Xiangyu", "Ren, Shaoqing", "Sun, Jian"),
    title="Deep Residual Learning for Image Recognition",
    container_title="Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
    publisher="IEEE", publisher_place="Las Vegas, NV", page="770-778", issued=d(2016, 6),
    DOI="10.1109/CVPR.2016.90")
add("thesis-phd", "thesis", author=p("Nakamura, Emi"), title="Essays on Price Dynamics", genre="PhD dissertation",
    publisher="Harvard University", publisher_place="Cambridge, MA", issued=d(2007))
add("thesis-ma", "thesis", author=p("O'Connor, Siobhán"), title="Irish-Language Broadcasting and Its Audiences, 1972–2000",
    genre="Master's thesis", publisher="University College Dublin", publisher_place="Dublin", issued=d(2015, 9))
add("report-number", "report", author=p("Autor, David", "Dorn, David", "Hanson, Gordon H."),
    title="The China Shock: Learning from Labor Market Adjustment to Large Changes in Trade",
    collection_title="NBER Working Paper", number="21906", publisher="National Bureau of Economic Research",
    publisher_place="Cambridge, MA", issued=d(2016, 1), DOI="10.3386/w21906")
add("report-gov", "report", author=p("=U.S. Census Bureau"), title="Income and Poverty in the United States: 2022",
    number="P60-280", genre="Current Population Reports", publisher="U.S. Government Publishing Office",
    publisher_place="Washington, DC", issued=d(2023, 9), URL="https://www.census.gov/library/publications/2023/demo/p60-280.html",
    accessed=d(2024, 2, 1))
add("manuscript", "manuscript", author=p("Lopez, Maria"), title="Migration and Memory in the Andes",
    genre="Unpublished manuscript", publisher="Department of Anthropology, University of Texas", issued=d(2021))
add("preprint", "article", author=p("Brown, Tom B.", "Mann, Benjamin", "Ryder, Nick"),
    title="Language Models Are Few-Shot Learners", publisher="arXiv", number="2005.14165", genre="Preprint",
    issued=d(2020, 5, 28), DOI="10.48550/arXiv.2005.14165", URL="https://arxiv.org/abs/2005.14165")
add("document", "document", author=p("=Stadtarchiv Köln"), title="Bestandsübersicht der Ratsprotokolle",
    issued=d(2015), publisher_place="Köln", language="de")
add("pamphlet", "pamphlet", author=p("Paine, Thomas"), title="Common Sense", publisher="R. Bell",
    publisher_place="Philadelphia", issued=d(1776, 1, 10))
add("standard", "standard", author=p("=International Organization for Standardization"),
    title="Information and Documentation — Guidelines for Bibliographic References and Citations to Information Resources",
    number="ISO 690:2021", publisher="ISO", publisher_place="Geneva", issued=d(2021), edition="4")

# --- news, magazines, blogs, web, posts -------------------------------------------------------------
add("news", "article-newspaper", author=p("Kolata, Gina"), title="A Cancer Drug’s Big Price Rise Is Criticized",
    container_title="The New York Times", section="A", page="1", issued=d(2015, 9, 21), publisher_place="New York",
    URL="https://www.nytimes.com/2015/09/21/business/a-huge-overnight-increase-in-a-drugs-price.html")
add("news-noauthor", "article-newspaper", title="Floods Close Roads across Yorkshire", container_title="The Guardian",
    issued=d(2020, 2, 16), URL="https://www.theguardian.com/uk-news/2020/feb/16/floods", accessed=d(2020, 2, 17))
add("magazine", "article-magazine", author=p("Gladwell, Malcolm"), title="The Tipping Point",
    container_title="The New Yorker", page="32-38", issued=d(1996, 6, 3), volume="72")
add("blog", "post-weblog", author=p("Tao, Terence"), title="What Is Good Mathematics?", container_title="What's New",
    issued=d(2007, 3, 21), URL="https://terrytao.wordpress.com/2007/03/21/", accessed=ACC)
add("post", "post", author=p("Rowling, J. K."), title="Harry Potter and the Cursed Child opens tonight", container_title="Twitter",
    issued=d(2016, 7, 30), URL="https://twitter.com/jk_rowling/status/759412212345", genre="Tweet")
add("webpage", "webpage", author=p("=National Aeronautics and Space Administration"),
    title="GISS Surface Temperature Analysis (GISTEMP v4)", container_title="NASA Goddard Institute for Space Studies",
    issued=d(2023, 1, 12), URL="https://data.giss.nasa.gov/gistemp/", accessed=ACC)
add("webpage-nodate", "webpage", author=p("Berners-Lee, Tim"), title="Information Management: A Proposal",
    container_title="W3C", URL="https://www.w3.org/History/1989/proposal.html", accessed=d(2024, 1, 9))
add("webpage-nodate2", "webpage", author=p("Berners-Lee, Tim"), title="The Original Proposal of the WWW, HTMLized",
    container_title="W3C", URL="https://www.w3.org/History/1989/proposal-html.html", accessed=d(2024, 1, 9))
add("review-book", "review-book", author=p("Kakutani, Michiko"), title="The Quiet Horror of the Suburbs",
    reviewed_title="The Corrections", reviewed_author=p("Franzen, Jonathan"), container_title="The New York Times",
    issued=d(2001, 9, 4))
add("review", "review", author=p("Mendelsohn, Daniel"), title="The Wizard", reviewed_title="Avatar",
    container_title="The New York Review of Books", volume="57", issue="5", issued=d(2010, 3, 25))

# --- reference works ---------------------------------------------------------------------------------
add("entry-encyc", "entry-encyclopedia", author=p("Zalta, Edward N."), title="Gottlob Frege",
    container_title="The Stanford Encyclopedia of Philosophy", edition="Fall 2023", editor=p("Zalta, Edward N.", "Nodelman, Uri"),
    publisher="Metaphysics Research Lab, Stanford University", issued=d(2023, 8, 14),
    URL="https://plato.stanford.edu/archives/fall2023/entries/frege/", accessed=ACC)
add("entry-dict", "entry-dictionary", title="Serendipity", container_title="Oxford English Dictionary",
    publisher="Oxford University Press", edition="3", issued=d(2019), URL="https://www.oed.com/view/Entry/176387")
add("entry", "entry", author=p("Hobsbawm, Eric"), title="Nationalism", container_title="International Encyclopedia of the Social Sciences",
    volume="5", page="439-444", publisher="Macmillan", publisher_place="New York", issued=d(2008))
add("classic", "classic", author=p("Aristotle"), title="Nicomachean Ethics", translator=p("Ross, W. D."),
    section="1094a", issued=d(-340))
add("classic-bible", "classic", title="The Holy Bible: New Revised Standard Version", publisher="Oxford University Press",
    publisher_place="New York", issued=d(1989))

# --- law: cases, legislation, bills, regulations, treaties, hearings --------------------------------
add("case-us", "legal_case", title="Brown v. Board of Education", authority="U.S. Supreme Court",
    container_title="U.S. Reports", volume="347", page="483", issued=d(1954, 5, 17))
add("case-uk", "legal_case", title="Donoghue v Stevenson", container_title="AC", volume="1932", page="562",
    authority="House of Lords", issued=d(1932, 5, 26))
add("case-eu", "legal_case", title="Costa v ENEL", number="Case 6/64", authority="Court of Justice of the European Communities",
    container_title="ECR", page="585", issued=d(1964, 7, 15))
add("case-at", "legal_case", title="VfSlg 19.632", authority="VfGH", number="G 12/2011", issued=d(2012, 3, 14),
    jurisdiction="at", language="de-AT")
add("legislation-us", "legislation", title="Civil Rights Act of 1964", container_title="Stat.", volume="78",
    page="241", section="§ 7", issued=d(1964, 7, 2))
add("legislation-uk", "legislation", title="Human Rights Act 1998", number="c. 42", issued=d(1998),
    container_title="UK Public General Acts")
add("legislation-at", "legislation", title="Allgemeines bürgerliches Gesetzbuch", title_short="ABGB",
    container_title="JGS", number="946/1811", issued=d(1811), jurisdiction="at", language="de-AT")
add("legislation-at2", "legislation", title="Bundes-Verfassungsgesetz", title_short="B-VG", container_title="BGBl",
    number="1/1930", issued=d(1930), jurisdiction="at", language="de-AT")
add("bill", "bill", title="Affordable Care Act", number="H.R. 3590", authority="U.S. House", chapter_number="111",
    container_title="Congressional Record", volume="155", page="H1234", issued=d(2009))
add("regulation", "regulation", title="General Data Protection Regulation", number="Regulation (EU) 2016/679",
    container_title="Official Journal of the European Union", volume="L 119", page="1-88", issued=d(2016, 5, 4))
add("treaty", "treaty", title="Treaty on the Non-Proliferation of Nuclear Weapons", container_title="United Nations Treaty Series",
    volume="729", page="161", issued=d(1968, 7, 1))
add("hearing", "hearing", title="Facebook, Social Media Privacy, and the Use and Abuse of Data",
    authority="U.S. Senate Committee on the Judiciary", number="115-683", issued=d(2018, 4, 10),
    publisher="U.S. Government Publishing Office", publisher_place="Washington, DC")

# --- patents, standards, data, software --------------------------------------------------------------
add("patent", "patent", author=p("Edison, Thomas A."), title="Electric Lamp", number="223,898", authority="U.S. Patent Office",
    issued=d(1880, 1, 27))
add("patent2", "patent", author=p("Berners-Lee, Tim", "Cailliau, Robert"), title="Hypertext Document Retrieval System",
    number="US 5,000,000 B2", authority="United States", issued=d(2003, 6, 10), URL="https://patents.google.com/patent/US5000000")
add("dataset", "dataset", author=p("=NASA Goddard Institute for Space Studies"),
    title="GISS Surface Temperature Analysis (GISTEMP), Version 4", publisher="NASA GISS", version="4",
    issued=d(2023), URL="https://data.giss.nasa.gov/gistemp/", accessed=ACC)
add("dataset-doi", "dataset", author=p("Hersbach, Hans", "Bell, Bill", "Berrisford, Paul"),
    title="ERA5 Hourly Data on Single Levels from 1940 to Present", publisher="Copernicus Climate Change Service (C3S) Climate Data Store",
    issued=d(2023), DOI="10.24381/cds.adbb2d47", version="2022-07", medium="NetCDF")
add("dataset-zenodo", "dataset", author=p("Kovács, Eszter"), title="Survey Data on Rural Broadband Use in Hungary, 2019–2021",
    publisher="Zenodo", issued=d(2022, 2, 14), DOI="10.5281/zenodo.1234567", version="v1.2", genre="Data set")
add("software", "software", author=p("Harris, Charles R.", "Millman, K. Jarrod", "van der|Walt, Stéfan J."),
    title="NumPy", version="1.26.0", publisher="NumPy Developers", issued=d(2023, 9, 16),
    URL="https://numpy.org", DOI="10.5281/zenodo.8357125")
add("software2", "software", author=p("=R Core Team"), title="R: A Language and Environment for Statistical Computing",
    version="4.3.1", publisher="R Foundation for Statistical Computing", publisher_place="Vienna", issued=d(2023),
    URL="https://www.R-project.org/")
add("software-nodate", "software", author=p("Torvalds, Linus"), title="Git", version="2.43", URL="https://git-scm.com",
    accessed=ACC)

# --- media, art, events, personal --------------------------------------------------------------------
add("film", "motion_picture", director=p("Kurosawa, Akira"), title="Rashomon", publisher="Daiei Film",
    issued=d(1950, 8, 25), medium="Film")
add("film2", "motion_picture", author=p("Bong, Joon-ho"), director=p("Bong, Joon-ho"), title="Parasite",
    publisher="CJ Entertainment", issued=d(2019), language="ko")
add("broadcast", "broadcast", title="The Blue Planet", container_title="BBC One", number="Episode 1",
    director=p("Fothergill, Alastair"), issued=d(2001, 9, 12), publisher="BBC")
add("podcast", "broadcast", author=p("Koenig, Sarah"), title="The Alibi", container_title="Serial", number="1",
    genre="Podcast", issued=d(2014, 10, 3), URL="https://serialpodcast.org/season-one/1/the-alibi")
add("song", "song", composer=p("Lennon, John", "McCartney, Paul"), author=p("=The Beatles"), title="Yesterday",
    container_title="Help!", publisher="Parlophone", issued=d(1965, 8, 6), medium="LP")
add("score", "musical_score", composer=p("van~Beethoven, Ludwig"), title="Symphony No. 9 in D Minor, Op. 125",
    editor=p("Del Mar, Jonathan"), publisher="Bärenreiter", publisher_place="Kassel", issued=d(1996))
add("performance", "performance", author=p("Shakespeare, William"), title="Hamlet", director=p("Doran, Gregory"),
    event_place="Courtyard Theatre, Stratford-upon-Avon", issued=d(2008, 8, 5), genre="Play")
add("graphic", "graphic", author=p("Hokusai, Katsushika"), title="The Great Wave off Kanagawa", medium="Woodblock print",
    archive="Metropolitan Museum of Art", archive_place="New York", issued=d(1831, circa=True), dimensions="25.7 × 37.9 cm")
add("figure", "figure", author=p("Minard, Charles Joseph"), title="Carte figurative des pertes successives en hommes de l'Armée Française dans la campagne de Russie 1812–1813",
    issued=d(1869), medium="Lithograph")
add("map", "map", author=p("=Ordnance Survey"), title="Lake District: Western Area", scale="1:25,000",
    number="OL4", publisher="Ordnance Survey", publisher_place="Southampton", issued=d(2015))
add("event", "event", title="COP28 United Nations Climate Change Conference", event_place="Dubai",
    issued=d(2023, 11, 30, end=(2023, 12, 12)), organizer=p("=United Nations Framework Convention on Climate Change"))
add("speech", "speech", author=p("Obama, Barack"), title="A More Perfect Union", event_title="Speech at the National Constitution Center",
    event_place="Philadelphia", issued=d(2008, 3, 18), genre="Speech")
add("interview", "interview", author=p("Morrison, Toni"), interviewer=p("Schappell, Elissa"),
    title="Toni Morrison, The Art of Fiction No. 134", container_title="The Paris Review", issue="128",
    issued=d(1993, season=3))
add("personal", "personal_communication", author=p("Ramírez, Carlos"), recipient=p("Smith, Julia"),
    title="Email about field samples", issued=d(2021, 5, 14), genre="Email")
add("letter", "personal_communication", author=p("Woolf, Virginia"), recipient=p("Sackville-West, Vita"),
    title="Letter to Vita Sackville-West", issued=d(1927, 10, 9), archive="Berg Collection, New York Public Library")
add("periodical", "periodical", title="Journal of Open Source Software", publisher="Open Journals", ISSN="2475-9066",
    issued=d(2016), volume="1")
add("collection", "collection", editor=p("Kaplan, Brett Ashley"), title="The Holocaust and Its Aftermath",
    archive="University of Illinois Archives", issued=d(1999, end=(2012,)))

# --- more disambiguation material: same names, same years, et-al. clashes ---------------------------
add("lee2020a", "article-journal", author=p("Lee, Hannah", "Kim, Daniel", "Park, Soo"), title="Microplastics in Estuarine Sediments",
    container_title="Marine Pollution Bulletin", volume="151", page="110849", issued=d(2020))
add("lee2020b", "article-journal", author=p("Lee, Hannah", "Kim, David", "Choi, Eun"), title="Nanoplastic Uptake by Oysters",
    container_title="Environmental Science & Technology", volume="54", issue="3", page="1503-1511", issued=d(2020))
add("lee2020c", "article-journal", author=p("Lee, Harold"), title="Housing Subsidies and School Choice",
    container_title="Journal of Urban Economics", volume="118", page="103262", issued=d(2020))
add("johnson-alice", "book", author=p("Johnson, Alice"), title="The Gardens of Kyoto", publisher="Thames & Hudson",
    publisher_place="London", issued=d(2005))
add("johnson-ben", "book", author=p("Johnson, Ben"), title="Volpone", publisher="Methuen", publisher_place="London", issued=d(2005),
    original_date=d(1606))
add("garcia-a", "article-journal", author=p("García, Ana"), title="Bilingual Schooling in Texas",
    container_title="Bilingual Research Journal", volume="38", page="1-17", issued=d(2015))
add("garcia-l", "article-journal", author=p("García, Luis"), title="Remittances and Rural Credit in Oaxaca",
    container_title="World Development", volume="71", page="22-33", issued=d(2015))
add("nodate-a", "article-journal", author=p("Keller, Ruth"), title="On Bees", container_title="Apidologie")
add("nodate-b", "book", author=p("Keller, Ruth"), title="The Hive Mind", publisher="Orchard Press")
add("etal-a", "article-journal", author=p("Müller, Thomas", "Schmidt, Anna", "Schneider, Karl", "Fischer, Lena"),
    title="Groundwater Recharge in the North German Plain", container_title="Hydrogeology Journal", volume="27",
    page="1-14", issued=d(2019))
add("etal-b", "article-journal", author=p("Müller, Thomas", "Weber, Paul", "Meyer, Julia", "Wagner, Felix"),
    title="Nitrate Trends in Lower Saxony Aquifers", container_title="Science of the Total Environment", volume="650",
    page="2381-2392", issued=d(2019))
add("etal-c", "article-journal",
    author=p("Müller, Thomas", "Schmidt, Anna", "Becker, Jonas", "Hoffmann, Mia", "Schulz, Leon", "Koch, Emma", "Richter, Noah"),
    title="Tracer Tests in Karst Aquifers", container_title="Journal of Hydrology", volume="571", page="1-10", issued=d(2019))
add("title-disamb-a", "book", author=p("=Anonymous"), title="Beowulf", translator=p("Heaney, Seamus"),
    publisher="Faber and Faber", publisher_place="London", issued=d(1999))
add("title-disamb-b", "book", title="Beowulf", translator=p("Tolkien, J. R. R."), editor=p("Tolkien, Christopher"),
    publisher="HarperCollins", publisher_place="London", issued=d(2014))

# --- numbers: volumes, issues, editions, locales ----------------------------------------------------
add("vol-issue-text", "article-journal", author=p("Dupont, Marie"), title="Les Lumières et la censure",
    container_title="Revue d'histoire littéraire de la France", volume="118", issue="2-3", page="301-318",
    issued=d(2018), language="fr-FR")
add("supplement", "article-journal", author=p("Chen, Lu"), title="Vitamin D Status in Pregnancy", container_title="Nutrients",
    volume="12", issue="Suppl. 1", page="S12-S19", issued=d(2020, 2))
add("article-number", "article-journal", author=p("Okonkwo, Adaeze", "Mensah, Kwame"), title="Mobile Money and Household Resilience",
    container_title="PLOS ONE", volume="16", issue="9", page="e0257018", issued=d(2021, 9, 8),
    DOI="10.1371/journal.pone.0257018", PMCID="PMC8432734")
add("ordinal-edition", "book", author=p("Mankiw, N. Gregory"), title="Principles of Economics", edition="9",
    publisher="Cengage", publisher_place="Boston", issued=d(2020))
add("german-edition", "book", author=p("Luhmann, Niklas"), title="Soziale Systeme", edition="3", publisher="Suhrkamp",
    publisher_place="Frankfurt am Main", issued=d(1984, season=2), language="de")
add("french-chapter", "chapter", author=p("Foucault, Michel"), title="Qu'est-ce qu'un auteur ?", container_title="Dits et écrits",
    editor=p("Defert, Daniel", "Ewald, François"), volume="1", publisher="Gallimard", publisher_place="Paris",
    page="789-821", issued=d(1994), chapter_number="69", language="fr")
add("number-of-pages", "book", author=p("Tufte, Edward R."), title="The Visual Display of Quantitative Information",
    edition="2", publisher="Graphics Press", publisher_place="Cheshire, CT", issued=d(2001), number_of_pages="197")
add("issue-only", "article-journal", author=p("Sen, Amartya"), title="Rational Fools", container_title="Philosophy & Public Affairs",
    issue="4", page="317-344", issued=d(1977, season=2))
add("status", "article-journal", author=p("Ahmed, Sara"), title="Complaint as Diversity Work", container_title="Feminist Review",
    status="forthcoming", issued=d(2024))
add("collection-number", "book", author=p("Eco, Umberto"), title="Come si fa una tesi di laurea", collection_title="Tascabili Bompiani",
    collection_number="18", publisher="Bompiani", publisher_place="Milano", issued=d(1977), language="it")
add("archive-letter", "manuscript", author=p("Franklin, Rosalind"), title="Letter to Anne Sayre", issued=d(1958, 3, 1),
    archive="Churchill Archives Centre", archive_location="FRKN 2/4", archive_place="Cambridge")
add("prefix-title", "book", author=p("MacIntyre, Alasdair"), title="After Virtue: A Study in Moral Theory",
    edition="3", publisher="University of Notre Dame Press", publisher_place="Notre Dame, IN", issued=d(2007))
add("mc-name", "article-journal", author=p("McCloskey, Deirdre N."), title="The Rhetoric of Economics",
    container_title="Journal of Economic Literature", volume="21", issue="2", page="481-517", issued=d(1983, 6))
add("hyphen-given", "article-journal", author=p("Sartre, Jean-Paul"), title="L'existentialisme est un humanisme",
    container_title="Les Temps modernes", issue="1", page="1-21", issued=d(1945, 10), language="fr")
add("initials", "book", author=p("Tolkien, J. R. R."), title="The Hobbit", publisher="George Allen & Unwin",
    publisher_place="London", issued=d(1937, 9, 21))
add("long-title", "article-journal", author=p("Ioannidis, John P. A."), title="Why most published research findings are false",
    container_title="PLoS Medicine", volume="2", issue="8", page="e124", issued=d(2005, 8, 30), DOI="10.1371/journal.pmed.0020124")
add("lowercase-title", "article-journal", author=p("Watson, J. D.", "Crick, F. H. C."),
    title="Molecular structure of nucleic acids: a structure for deoxyribose nucleic acid", container_title="Nature",
    volume="171", issue="4356", page="737-738", issued=d(1953, 4, 25), DOI="10.1038/171737a0")
add("title-colon", "book", author=p("Kahneman, Daniel"), title="Thinking, Fast and Slow", publisher="Farrar, Straus and Giroux",
    publisher_place="New York", issued=d(2011))
add("title-question", "article-journal", author=p("Nagel, Thomas"), title="What Is It Like to Be a Bat?",
    container_title="The Philosophical Review", volume="83", issue="4", page="435-450", issued=d(1974, 10),
    DOI="10.2307/2183914")
add("nocase-title", "article-journal", author=p("Bohr, Niels"),
    title='On the Constitution of Atoms and Molecules, Part I: <span class="nocase">iPhone</span> of Physics',
    container_title="Philosophical Magazine", volume="26", page="1-25", issued=d(1913, 7))
add("container-short", "article-journal", author=p("Einstein, Albert"), title="Zur Elektrodynamik bewegter Körper",
    container_title="Annalen der Physik", container_title_short="Ann. Phys.", volume="322", issue="10",
    page="891-921", issued=d(1905), language="de", DOI="10.1002/andp.19053221004")
add("jstor-url", "article-journal", author=p("Hardin, Garrett"), title="The Tragedy of the Commons", container_title="Science",
    volume="162", issue="3859", page="1243-1248", issued=d(1968, 12, 13), URL="https://www.jstor.org/stable/1724745",
    accessed=d(2023, 11, 2))
add("editor-only-chapter", "chapter", title="Introduction", container_title="The Cambridge Companion to Kant",
    editor=p("Guyer, Paul"), publisher="Cambridge University Press", publisher_place="Cambridge", page="1-25", issued=d(1992))
add("collection-editor", "book", author=p("Marx, Karl"), title="Capital: A Critique of Political Economy", volume="1",
    collection_editor=p("Mandel, Ernest"), translator=p("Fowkes, Ben"), collection_title="Penguin Classics",
    publisher="Penguin", publisher_place="London", issued=d(1976), original_date=d(1867))
add("container-author", "chapter", author=p("Orwell, George"), title="Politics and the English Language",
    container_title="Essays", container_author=p("Orwell, George"), publisher="Penguin", publisher_place="London",
    page="348-360", issued=d(2000), original_date=d(1946))
add("illustrator", "book", author=p("Carroll, Lewis"), illustrator=p("Tenniel, John"), title="Alice's Adventures in Wonderland",
    publisher="Macmillan", publisher_place="London", issued=d(1865))
add("compiler", "book", compiler=p("Child, Francis James"), title="The English and Scottish Popular Ballads", volume="1",
    number_of_volumes="5", publisher="Houghton Mifflin", publisher_place="Boston", issued=d(1882, end=(1898,)))
add("day-range", "paper-conference", author=p("Sørensen, Mette"), title="Wind Farm Wakes over the North Sea",
    container_title="Proceedings of WindEurope 2019", event_title="WindEurope Conference", event_place="Bilbao",
    issued=d(2019, 4, 2, end=(2019, 4, 4)), page="88-95")
add("month-range", "article-magazine", author=p("Ferrante, Elena"), title="Frantumaglia", container_title="Granta",
    issue="140", issued=d(2017, 7, end=(2017, 8)))
add("access-only", "webpage", title="Population Clock", container_title="United States Census Bureau",
    URL="https://www.census.gov/popclock/", accessed=d(2024, 3, 5))
add("kennedy1961", "speech", author=p("Kennedy, John F."), title="Inaugural Address", event_place="Washington, DC",
    issued=d(1961, 1, 20))


# --- clusters ---------------------------------------------------------------------------------------
def clusters(items: list[dict]) -> list[dict]:
    """One cluster per item (note n), then clusters with locators, affixes, suppress-author,
    several cites, and repeats that make ibid and subsequent positions."""
    out = [[{"id": it["id"]}] for it in items]
    extra = [
        [{"id": "goodin2011a", "locator": "112", "label": "page"}],
        [{"id": "goodin2011a", "locator": "115-117", "label": "page"}],   # ibid with locator
        [{"id": "goodin2011a"}],                                          # ibid
        [{"id": "goodin2011b"}, {"id": "goodin2011c"}],
        [{"id": "smith2019a"}, {"id": "smith2019b"}, {"id": "smith2019c"}, {"id": "smith2019d"}, {"id": "smith2019e"}],
        [{"id": "doe2020"}, {"id": "cork2018", "prefix": "see also "}, {"id": "doe2019"}],
        [{"id": "doe2020", "suppress-author": True, "locator": "655", "label": "page"}],
        [{"id": "book-edition", "locator": "3", "label": "chapter"}],
        [{"id": "book-edition", "locator": "2.3", "label": "section"}],
        [{"id": "multi-volume", "locator": "4", "label": "volume"}],
        [{"id": "classic", "locator": "1094a", "label": "line"}],
        [{"id": "case-us", "locator": "495", "label": "page", "suffix": " (Warren, C.J.)"}],
        [{"id": "legislation-us", "locator": "7", "label": "section"}],
        [{"id": "patent", "prefix": "cf. "}],
        [{"id": "thirty2020", "locator": "L5", "label": "page"}, {"id": "eight2013", "locator": "913"}],
        [{"id": "lee2020a"}, {"id": "lee2020b"}, {"id": "lee2020c"}],
        [{"id": "etal-a"}, {"id": "etal-b"}, {"id": "etal-c"}],
        [{"id": "nodate-a"}, {"id": "nodate-b"}, {"id": "webpage-nodate"}, {"id": "webpage-nodate2"}],
        [{"id": "ru-article", "locator": "50", "label": "page"}, {"id": "ru-book", "locator": "12", "label": "page"}],
        [{"id": "french-book", "locator": "33", "label": "page", "prefix": "voir ", "suffix": ", note 2"}],
        [{"id": "german-book", "locator": "12-15", "label": "page"}],
        [{"id": "johnson-alice"}, {"id": "johnson-ben"}],
        [{"id": "garcia-a"}, {"id": "garcia-l"}],
        [{"id": "title-disamb-a"}, {"id": "title-disamb-b"}],
        [{"id": "smith2019a", "locator": "1570", "label": "page"}],
        [{"id": "smith2019a", "locator": "1570", "label": "page"}],       # ibid with the same locator
        [{"id": "news", "locator": "A1"}],
        [{"id": "homer-iliad", "locator": "2.484-493", "label": "line"}],
        [{"id": "chapter-basic", "locator": "130", "label": "page", "prefix": "on audiences, see "}],
        [{"id": "two2017", "author-only": False, "suppress-author": True}, {"id": "three2016"}],
        [{"id": "pages-roman", "locator": "viii", "label": "page"}],
        [{"id": "dataset-doi"}, {"id": "software"}, {"id": "software2"}],
        [{"id": "legislation-at"}, {"id": "legislation-at2"}, {"id": "case-at"}],
        [{"id": "goodin2011c", "locator": "10", "label": "page"}],        # subsequent, far from first
        [{"id": "translated-iliad", "locator": "1.1-7", "label": "line"}],
        [{"id": "edited-vol", "locator": "ix", "label": "page"}],
        [{"id": "vanderberg2012"}, {"id": "debeauvoir1949"}, {"id": "vonneumann1928"}],
        [{"id": "cjk-zh", "locator": "1015", "label": "page"}],
        [{"id": "report-number", "locator": "Table 3", "label": "figure"}],
        [{"id": "entry-encyc", "locator": "sec. 2", "label": "section"}],
    ]
    out.extend(extra)
    return [{"citationID": f"c{n + 1}", "citationItems": cites, "properties": {"noteIndex": n + 1}}
            for n, cites in enumerate(out)]


def main() -> None:
    ids = [it["id"] for it in ITEMS]
    assert len(ids) == len(set(ids)), "item ids must be unique"
    cl = clusters(ITEMS)
    for c in cl:
        for cite in c["citationItems"]:
            assert cite["id"] in ids, cite["id"]
    (HERE / "corpus.json").write_text(json.dumps(ITEMS, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (HERE / "clusters.json").write_text(json.dumps(cl, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    types = sorted({it["type"] for it in ITEMS})
    print(f"{len(ITEMS)} items of {len(types)} types, {len(cl)} clusters")


if __name__ == "__main__":
    main()
