"""The motivating brief and the strings the official styles give for it in the
reference implementation (the "Done when" of the first engine issue), shared by tests."""

URL = "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242"

BRIEF_ITEM = {
    "id": "zissis2006", "type": "webpage", "title": "Dim Prospects for Six-Party Deal",
    "author": [{"family": "Zissis", "given": "Carin"}], "issued": {"date-parts": [[2006, 12, 19]]},
    "container-title": "Council on Foreign Relations", "genre": "Analysis Brief", "URL": URL,
}

BRIEF_FIELDS = dict(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"], date="2006-12-19",
                    publisher="Council on Foreign Relations", url=URL, kind="Analysis Brief")

EXPECTED_TEXT = {
    "mla": "Zissis, Carin. “Dim Prospects for Six-Party Deal.” Analysis Brief. Council on Foreign Relations, "
           f"19 Dec. 2006, {URL}.",
    "apa": "Zissis, C. (2006, December 19). Dim Prospects for Six-Party Deal [Analysis Brief]. "
           f"Council on Foreign Relations. {URL}",
    "chicago": "Zissis, Carin. “Dim Prospects for Six-Party Deal.” Analysis Brief. Council on Foreign Relations, "
               f"December 19, 2006. {URL}.",
}

EXPECTED_HTML = {
    "mla": EXPECTED_TEXT["mla"].replace("Council on Foreign Relations", "<i>Council on Foreign Relations</i>"),
    "apa": EXPECTED_TEXT["apa"].replace("Dim Prospects for Six-Party Deal", "<i>Dim Prospects for Six-Party Deal</i>"),
    "chicago": EXPECTED_TEXT["chicago"],
}

FIRST_NOTE_CHICAGO = (f"Carin Zissis, “Dim Prospects for Six-Party Deal,” Analysis Brief, Council on Foreign "
                      f"Relations, December 19, 2006, {URL}.")
