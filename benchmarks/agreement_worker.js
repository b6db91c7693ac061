// citeproc-js's side of agreement.py: one style, a list of items, one cluster per item
// (note n for item n, each call with the clusters before it), then the bibliography.
//
//     node benchmarks/agreement_worker.js CITEPROC_JS_PACKAGE_DIR LOCALES_DIR STYLE.csl ITEMS.json
"use strict";
const fs = require("fs");
const path = require("path");

const [packageDir, localesDir, stylePath, itemsPath] = process.argv.slice(2);
const CSL = require(path.resolve(packageDir));
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = new Map(items.map((it) => [it.id, it]));
const sys = {
  retrieveLocale: (lang) => {
    try { return fs.readFileSync(path.join(localesDir, `locales-${lang}.xml`), "utf8"); } catch (e) { return false; }
  },
  retrieveItem: (id) => byId.get(id),
};
const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, "utf8"));
engine.setOutputFormat("text");
engine.updateItems(items.map((it) => it.id));
const citations = [];
const pre = [];
items.forEach((it, k) => {
  const id = `c${k + 1}`;
  const [, changed] = engine.processCitationCluster(
    {citationID: id, citationItems: [{id: it.id}], properties: {noteIndex: k + 1}}, pre.slice(), []);
  for (const [index, text] of changed) citations[index] = text;
  pre.push([id, k + 1]);
});
const bib = engine.makeBibliography();
console.log(JSON.stringify({
  citations,
  ids: bib ? bib[0].entry_ids.map((x) => x[0]) : [],
  entries: bib ? bib[1].map((s) => s.trim()) : [],
}));
