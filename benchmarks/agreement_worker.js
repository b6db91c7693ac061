// citeproc-js's side of agreement.py: one Node process serves many styles.
//
//     node benchmarks/agreement_worker.js CITEPROC_JS_PACKAGE_DIR LOCALES_DIR CORPUS.json CLUSTERS.json
//
// Reads one style file path per line on stdin; for each, prints one JSON line with the
// citations (rebuildProcessorState over every cluster, in document order) and the
// bibliography, both as text and as HTML, or {"error": ...} when citeproc-js throws.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");

const [packageDir, localesDir, corpusPath, clustersPath] = process.argv.slice(2);
const CSL = require(path.resolve(packageDir));
const items = JSON.parse(fs.readFileSync(corpusPath, "utf8"));
const clusters = JSON.parse(fs.readFileSync(clustersPath, "utf8"));
const byId = new Map(items.map((it) => [it.id, it]));
const locales = new Map();
const sys = {
  retrieveLocale: (lang) => {
    if (!locales.has(lang)) {
      let xml = false;
      try { xml = fs.readFileSync(path.join(localesDir, `locales-${lang}.xml`), "utf8"); } catch (e) { /* none */ }
      locales.set(lang, xml);
    }
    return locales.get(lang);
  },
  // citeproc-js may annotate the objects it is given: hand it a fresh copy each time.
  retrieveItem: (id) => JSON.parse(JSON.stringify(byId.get(id))),
};

function copyClusters() {
  return JSON.parse(JSON.stringify(clusters));
}

function bibliography(engine, format) {
  engine.setOutputFormat(format);
  const bib = engine.makeBibliography();
  if (!bib) return null;
  let ids = bib[0].entry_ids.map((x) => String(x[0]));
  if (ids.length !== bib[1].length) {
    // entry_ids also lists the items whose entry came out empty (and was left out of the
    // strings): find them by formatting each such candidate alone.
    ids = ids.filter((id) => {
      const one = engine.makeBibliography({include: [{field: "id", value: id}]});
      return one && one[1].length > 0 && !one[1][0].includes("[CSL STYLE ERROR: reference with no printed form.]");
    });
    if (ids.length !== bib[1].length) throw new Error(`cannot pair ${bib[1].length} entries with their items`);
  }
  return {ids, entries: bib[1]};
}

function run(stylePath) {
  const started = Date.now();
  const xml = fs.readFileSync(stylePath, "utf8");
  const out = {};
  // One engine serves both formats: rebuildProcessorState starts from a clean registry, and
  // building the engine is the costliest step for large styles.
  const engine = new CSL.Engine(sys, xml);
  for (const format of ["text", "html"]) {
    const rows = engine.rebuildProcessorState(copyClusters(), format);
    out[`citations_${format}`] = rows.map((r) => r[2]);
    out[`bibliography_${format}`] = bibliography(engine, format);
  }
  out.ms = Date.now() - started;
  return out;
}

const rl = readline.createInterface({input: process.stdin, terminal: false});
rl.on("line", (line) => {
  const stylePath = line.trim();
  if (!stylePath) return;
  let result;
  try {
    result = run(stylePath);
  } catch (e) {
    result = {error: String((e && e.stack) || e).split("\n").slice(0, 3).join(" | ")};
  }
  process.stdout.write(JSON.stringify(result) + "\n");
});
