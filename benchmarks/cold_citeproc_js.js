// citeproc-js's counterpart of `citekit cite examples/brief.json --style apa`, for cold start.
//
//     node benchmarks/cold_citeproc_js.js CITEPROC_JS_PACKAGE_DIR apa.csl LOCALES_DIR brief-csl.json
"use strict";

const fs = require("fs");
const path = require("path");

const [packageDir, stylePath, localesDir, itemPath] = process.argv.slice(2);
const CSL = require(path.resolve(packageDir));
const item = JSON.parse(fs.readFileSync(itemPath, "utf8"));
const engine = new CSL.Engine({
  retrieveLocale: (lang) => {
    try { return fs.readFileSync(path.join(localesDir, `locales-${lang}.xml`), "utf8"); } catch (e) { return false; }
  },
  retrieveItem: () => item,
}, fs.readFileSync(stylePath, "utf8"));
engine.setOutputFormat("text");
engine.updateItems([item.id]);
process.stdout.write(engine.makeBibliography()[1][0]);
