// citeproc-js's side of the benchmark: the same plan, tasks and JSON result as worker.py.
//
//     node benchmarks/worker.js CITEPROC_JS_PACKAGE_DIR plan.json
//
// run.py finds the citeproc package (CITEPROC_JS_DIR, or benchmarks/.node) and passes
// its folder. Styles and locales are the very files the Python engines read.
"use strict";

const fs = require("fs");
const path = require("path");

const [packageDir, planPath] = process.argv.slice(2);
const CSL = require(path.resolve(packageDir));
const plan = JSON.parse(fs.readFileSync(planPath, "utf8"));
const items = JSON.parse(fs.readFileSync(plan.items_file, "utf8"));
const byId = new Map(items.map((it) => [it.id, it]));

const clock = () => Number(process.hrtime.bigint()) / 1e9;
// Repeated up to three times while cheap; the best is reported, as in worker.py.
// (CPU time includes node's helper threads, the garbage collector's among them.)
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
function bestOf(prepare, run) {
  const samples = [], cpu = [];
  let spent = 0, value;
  while (samples.length < 3 && (samples.length === 0 || spent + samples[samples.length - 1] < plan.budget / 4)) {
    const state = prepare();
    const c = cpuSeconds(), t = clock();
    value = run(state);
    samples.push(clock() - t);
    cpu.push(cpuSeconds() - c);
    spent += samples[samples.length - 1];
  }
  const best = samples.indexOf(Math.min(...samples));
  return [samples[best], samples, value, Math.min(...cpu)];
}
// VmHWM where there is /proc (maxRSS can carry the parent's peak over an exec), in MB
function peakRssMb() {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch (e) { /* no /proc */ }
  return process.resourceUsage().maxRSS / 1024; // KiB
}
const sys = {
  retrieveLocale: (lang) => {
    try { return fs.readFileSync(path.join(plan.locales_dir, `locales-${lang}.xml`), "utf8"); } catch (e) { return false; }
  },
  retrieveItem: (id) => byId.get(id),
};
const styleText = {};
const xml = (p) => (styleText[p] ??= fs.readFileSync(p, "utf8"));

// Loading is compiling the style into an engine; an engine is then reused only where
// the Python side reuses its parsed style (the repeated single item).
function load(stylePath) {
  const engine = new CSL.Engine(sys, xml(stylePath));
  engine.setOutputFormat("text");
  return engine;
}

function bibliography(engine, its) {
  engine.updateItems(its.map((it) => it.id));
  return engine.makeBibliography()[1].map((s) => s.trim());
}

function clusters(engine, its) {
  const citations = its.map((it, i) => ({
    citationID: `c${i}`, citationItems: [{ id: it.id }], properties: { noteIndex: 0 },
  }));
  return engine.rebuildProcessorState(citations, "text", []).map((row) => row[2]);
}

function measureLoads() {
  const out = {};
  for (const [label, p] of Object.entries(plan.styles)) {
    const samples = [];
    for (let r = 0; r < plan.js_load_reps; r++) {
      const t = clock();
      load(p);
      samples.push(clock() - t);
    }
    out[label] = { seconds: Math.min(...samples), first: samples[0], samples };
  }
  return out;
}

function measureOne(item) {
  const engine = load(plan.styles.APA);
  bibliography(engine, [item]);
  let done = 0;
  const batch = () => {
    done = 0;
    let text = "";
    const t0 = clock();
    while (done < plan.one_reps) {
      text = bibliography(engine, [item])[0];
      done++;
      if (clock() - t0 > plan.budget) break;
    }
    return text;
  };
  const [seconds, samples, text, cpu] = bestOf(() => null, batch);
  return { n: done, seconds, cpu_seconds: cpu, per_op_ms: (seconds / done) * 1000, samples, sample: text,
           note: done === plan.one_reps ? "" : `stopped after ${done} of ${plan.one_reps} (time budget ${plan.budget} s)` };
}

function measureSizes(run, sizes) {
  const out = {};
  let rate = null;
  for (const n of sizes) {
    if (rate !== null && rate * n * 1.2 > plan.budget) {
      out[n] = { n, seconds: rate * n, per_item_ms: rate * 1000, estimated: true,
                 note: `not run (about ${(rate * n).toFixed(0)} s predicted, over the ${plan.budget} s budget); linear estimate from the largest size run` };
      continue;
    }
    // a fresh document each time: compiling the style is not timed
    const [seconds, samples, texts, cpu] = bestOf(() => load(plan.styles.APA), (engine) => run(engine, items.slice(0, n)));
    rate = seconds / n;
    out[n] = { n, seconds, cpu_seconds: cpu, per_item_ms: rate * 1000, estimated: false, samples, sample: texts[0] || "" };
  }
  return out;
}

// The first use of a style in a process: compiling APA into an engine, then its first entry.
function measureFirst() {
  const c = cpuSeconds(), t = clock();
  const engine = load(plan.styles.APA);
  const seconds = clock() - t, cpu = cpuSeconds() - c;
  const t2 = clock();
  const text = bibliography(engine, [items.find((it) => it.type === "webpage")])[0];
  return { seconds, cpu_seconds: cpu, first_entry_seconds: clock() - t2, sample: text };
}

const tasks = {
  first: measureFirst,
  load: measureLoads,
  one: () => measureOne(items.find((it) => it.type === "webpage")),
  bibliography: () => measureSizes(bibliography, plan.bib_sizes),
  clusters: () => measureSizes(clusters, plan.cluster_sizes),
};
let res;
if (plan.task === "memory") {
  const engine = load(plan.styles.APA);
  const texts = bibliography(engine, items.slice(0, plan.memory_size));
  res = { engine: "citeproc-js", n: plan.memory_size, entries: texts.length, peak_rss_mb: peakRssMb() };
} else if (plan.task === "main") {
  res = { engine: "citeproc-js" };
  for (const name of ["load", "one", "bibliography", "clusters"]) res[name] = tasks[name]();
} else {
  // run.py starts a fresh process for each task
  res = { engine: "citeproc-js", [plan.task]: tasks[plan.task]() };
}
res.version = require(path.join(path.resolve(packageDir), "package.json")).version;
process.stdout.write(JSON.stringify(res));
