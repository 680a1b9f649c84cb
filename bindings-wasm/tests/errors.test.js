// Bad input gives an Error with a stable code and a message naming the culprit; nothing traps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ci = require("../pkg/node/cityindex.cjs");

const framework = {
  nodes: [{ id: "index", children: [{ id: "a" }, { id: "b", direction: -1 }] }],
};
const data = { units: ["x", "y", "z"], columns: { a: [1, 2, 3], b: [3, 1, 2] } };

function throwsCode(fn, code, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, "an Error");
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

test("valid input scores", () => {
  const r = ci.score(framework, data, null);
  assert.equal(r.units.length, 3);
  assert.deepEqual(r.nodes.map((n) => n.id), ["a", "b", "index"]);
});

test("a Dataset checks its data when made", () => {
  throwsCode(() => new ci.Dataset({ units: ["x", "x"], columns: { a: [1, 2], b: [1, 2] } }), "data.duplicate_unit", /`x`/);
  throwsCode(() => new ci.Dataset({ units: ["x", "y"], columns: { a: [1, 2, 3] } }), "data.length_mismatch", /`a`/);
  throwsCode(() => new ci.Dataset(42), "data.invalid_input");
  const dataset = new ci.Dataset(data);
  throwsCode(() => dataset.score({ nodes: [{ id: "index", children: [{ id: "c" }] }] }, null), "score.missing_column", /`c`/);
  throwsCode(() => dataset.score(framework, { normalise: { default: { method: "min_maxx" } } }), "method.unknown", /did you mean `min_max`/);
  assert.deepEqual(Array.from(dataset.score(framework, null).score("index")), Array.from(ci.score(framework, data, null).score("index")));
  // The framework last parsed is kept by its JSON text: a changed framework is parsed again.
  const flipped = { nodes: [{ id: "index", children: [{ id: "a", direction: -1 }, { id: "b" }] }] };
  for (const fw of [flipped, framework, JSON.stringify(flipped)]) {
    assert.deepEqual(Array.from(dataset.score(fw, null).rank("index")), Array.from(ci.score(fw, data, null).rank("index")));
  }
  assert.notDeepEqual(Array.from(dataset.score(flipped, null).rank("index")), Array.from(dataset.score(framework, null).rank("index")));
  throwsCode(() => dataset.score("{nodes: [", null), "framework.json");
  assert.equal(dataset.score(framework, null).units.length, 3);
  // A recipe whose toJSON scores the same Dataset while it is being read: no trap.
  const reentrant = { toJSON: () => ({ weights: { a: dataset.score(framework, null).units.length } }) };
  assert.deepEqual(Array.from(dataset.score(framework, reentrant).score("index")),
    Array.from(ci.score(framework, data, { weights: { a: 3 } }).score("index")));
});

test("malformed JSON", () => {
  throwsCode(() => ci.score("{nodes: [", data, null), "framework.json");
  throwsCode(() => ci.scoreDocuments("{}", "not json", "{}"), "framework.json");
});

test("wrong array lengths", () => {
  throwsCode(() => ci.score(framework, { units: ["x", "y"], columns: { a: [1, 2, 3], b: [1, 2] } }, null),
    "data.length_mismatch", /`a`/);
  throwsCode(() => ci.score(framework, { units: ["x"], columns: ["a", "b"], rows: [[1]] }, null),
    "data.length_mismatch", /row 1/);
});

test("non-numeric cells name column and row", () => {
  throwsCode(() => ci.score(framework, { units: ["x", "y", "z"], columns: { a: [1, "two", 3], b: [1, 2, 3] } }, null),
    "data.not_a_number", /column `a`, row 2/);
});

test("unknown methods and misspelt keys", () => {
  throwsCode(() => ci.score(framework, data, { normalise: { default: { method: "min_maxx" } } }), "method.unknown", /^`normalise\.default\.method`: unknown `min_maxx` \(did you mean `min_max`\?\); the valid ones are/);
  throwsCode(() => ci.score(framework, data, { normalize: {} }), "score.json", /normalize/);
});

test("invalid framework names the node", () => {
  throwsCode(() => ci.validateFramework({ nodes: [{ id: "index", children: [{ id: "a" }, { id: "a" }] }] }),
    "framework.duplicate_id", /`a`/);
});

test("missing indicator column", () => {
  throwsCode(() => ci.score(framework, { units: ["x", "y"], columns: { a: [1, 2] } }, null), "score.missing_column", /`b`/);
});

test("unknown built-in lists the known ones", () => {
  throwsCode(() => ci.builtin("desi-2099"), "framework.unknown_builtin", /desi-2022/);
});

test("unknown node in a result", () => {
  throwsCode(() => ci.score(framework, data, null).score("nope"), "score.unknown_node", /nope/);
});

test("data of the wrong type", () => {
  throwsCode(() => ci.score(framework, 42, null), "data.invalid_input");
  throwsCode(() => ci.score(framework, { units: "x", columns: {} }, null), "data.invalid_input");
});

test("uncertainty: progress, cancellation and a bad spec", () => {
  const { framework: desi, data: panel, recipe } = ci.builtin("desi-2022");
  const spec = { replicates: 50, seed: 3, weights: { fraction: 0.2, levels: [2] } };
  const ticks = [];
  const ua = ci.uncertainty(desi, only(panel, 2022), recipe, spec, (done, total) => {
    ticks.push([done, total]);
  });
  assert.equal(ua.failed, 0);
  assert.ok(ticks.length > 0 && ticks.at(-1)[0] === 50 && ticks.at(-1)[1] === 50);
  const intervals = ua.intervals(ua.nodes[0]);
  // The 27 Member States; the EU, an aggregate, is not ranked.
  assert.equal(intervals.length, 27);
  assert.ok(intervals.every((i) => i.q05 <= i.median && i.median <= i.q95));
  // Level 2: the ten sub-dimensions.
  assert.deepEqual(ua.perturbed, ["1a", "1b", "2a", "2b", "2c", "2d", "3a", "3b", "3c", "4a"]);
  assert.ok(ua.replicates.every((r) => r.weight_factors.length === 10));
  // Convergence: the medians of the first 25 replicates against all 50, recomputed here.
  const convergence = ua.convergence(ua.nodes[0]);
  assert.deepEqual(convergence.replicates, [6, 12, 25, 50]);
  assert.equal(convergence.median_change[3], 0);
  const ranks = ua.ranks(ua.nodes[0]);
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
  };
  const changes = intervals.map((unit, u) => Math.abs(median(ranks.slice(0, 25).map((r) => r[u])) - unit.median));
  const mean = changes.reduce((a, b) => a + b, 0) / changes.length;
  assert.ok(Math.abs(convergence.median_change[2] - mean) < 1e-12, `${convergence.median_change[2]} vs ${mean}`);
  assert.equal(convergence.largest_median_change[2], Math.max(...changes));
  throwsCode(() => ua.convergence("nope"), "score.unknown_node", /no node `nope`; known: /);
  throwsCode(() => ci.uncertainty(desi, only(panel, 2022), recipe, spec, () => false), "method.cancelled");
  throwsCode(() => ci.uncertainty(desi, only(panel, 2022), recipe, { replicates: 0 }), "method.invalid_parameter");
});

test("uncertainty: a progress function may start another run, and what it throws is rethrown", () => {
  const spec = { replicates: 40, seed: 1, weights: { fraction: 0.2 } };
  const alone = ci.uncertainty(framework, data, null, spec).ranks("index");
  let inner = null;
  const outer = ci.uncertainty(framework, data, null, spec, (done) => {
    if (inner === null) inner = ci.uncertainty(framework, data, null, { ...spec, seed: 2 }, () => true);
    return done >= 0;
  });
  assert.deepEqual(outer.ranks("index"), alone, "the nested run leaves the outer one as it was");
  assert.equal(inner.ranks("index").length, 40);
  // A progress function that throws cancels the run; its exception reaches the caller.
  const boom = new RangeError("stop here");
  assert.throws(() => ci.uncertainty(framework, data, null, spec, () => { throw boom; }), (e) => e === boom);
  // The module is still usable afterwards, and a nested run's exception stays its own.
  assert.throws(() => ci.uncertainty(framework, data, null, spec, () => {
    assert.throws(() => ci.uncertainty(framework, data, null, spec, () => { throw boom; }), (e) => e === boom);
    return false;
  }), (e) => e.code === "method.cancelled");
  assert.deepEqual(ci.uncertainty(framework, data, null, spec).ranks("index"), alone);
});

test("uncertainty: the largest run allowed is cancelled at once, the next size is refused", () => {
  const spec = { replicates: 10_000_000, seed: 1, weights: { fraction: 0.2 } };
  const started = Date.now();
  throwsCode(() => ci.uncertainty(framework, data, null, spec, () => false), "method.cancelled");
  assert.ok(Date.now() - started < 60_000);
  throwsCode(() => ci.uncertainty(framework, data, null, { ...spec, replicates: 1e9 }), "method.too_large", /replicates/);
});

test("numbers JSON cannot hold are named, not written as null", () => {
  throwsCode(() => ci.score(framework, data, { weights: { a: NaN } }), "data.not_a_number", /`weights\.a` is NaN/);
  throwsCode(
    () => ci.score({ nodes: [{ id: "index", children: [{ id: "a", goalposts: { min: 0, max: Infinity } }, { id: "b" }] }] }, data, null),
    "data.not_a_number",
    /`nodes\[0\]\.children\[0\]\.goalposts\.max` is inf/,
  );
  throwsCode(() => ci.uncertainty(framework, data, null, { replicates: 5, weights: { fraction: -Infinity } }),
    "data.not_a_number", /spec's `weights\.fraction`/);
  const cyclic = { weights: {} };
  cyclic.weights.self = cyclic;
  throwsCode(() => ci.score(framework, data, cyclic), "data.invalid_input", /cannot be written as JSON: .*circular/i);
});

test("a freed object, and a document whose getter throws, are coded errors", () => {
  const result = ci.score(framework, data, null);
  result.free();
  throwsCode(() => result.units, "object.freed", /freed/);
  const dataset = new ci.Dataset(data);
  dataset.free();
  throwsCode(() => dataset.score(framework, null), "object.freed");
  const recipe = { get weights() { throw new TypeError("no weights today"); } };
  throwsCode(() => ci.score(framework, data, recipe), "data.invalid_input", /recipe cannot be written as JSON: no weights today/);
});

function only(panel, year) {
  const keep = panel.periods.map((p, i) => (p === year ? i : -1)).filter((i) => i >= 0);
  const columns = Object.fromEntries(Object.entries(panel.columns).map(([id, v]) => [id, keep.map((i) => v[i])]));
  return { units: keep.map((i) => panel.units[i]), columns };
}

test("a panel: one period by option or by Dataset.forPeriod, or an error saying how", () => {
  const desi = ci.builtin("desi-2022");
  throwsCode(
    () => ci.score(desi.framework, desi.data, desi.recipe),
    "data.several_periods",
    /^the data hold 6 periods \(2017–2022\); choose one \(`period` in Python and JavaScript/,
  );
  const byOption = ci.score(desi.framework, desi.data, desi.recipe, { period: 2022 });
  const panel = new ci.Dataset(desi.data);
  assert.deepEqual(Array.from(panel.periods), [2017, 2018, 2019, 2020, 2021, 2022]);
  const year = panel.forPeriod(2022);
  assert.equal(year.periods.length, 0);
  assert.deepEqual(year.score(desi.framework, desi.recipe).toJSON(), byOption.toJSON());
  assert.equal(byOption.ranking("DESI")[0].unit, "FI");
  throwsCode(() => panel.forPeriod(1999), "data.unknown_period", /1999/);
  throwsCode(() => year.forPeriod(2022), "data.no_periods", /2022/);
  throwsCode(() => ci.score(desi.framework, desi.data, desi.recipe, { period: 2022.5 }), "data.invalid_input", /whole number/);
  throwsCode(() => ci.score(framework, data, null, { period: 2022 }), "data.no_periods", /no periods/);
  assert.equal(ci.score(framework, data, null, {}).units.length, 3);
});

test("rankings carry names, bands and unranked aggregates", () => {
  const desi = ci.builtin("desi-2022");
  const r = ci.score(desi.framework, desi.data, desi.recipe, { period: 2022 });
  const rows = r.ranking("DESI");
  assert.deepEqual(rows[26], { unit: "RO", name: "Romania", score: rows[26].score, rank: 27 });
  assert.deepEqual(rows.at(-1), { unit: "EU", name: "European Union", score: rows.at(-1).score, rank: NaN, aggregate: true });
  assert.deepEqual(r.aggregates, ["EU"]);
  assert.equal(r.names[r.units.indexOf("FI")], "Finland");
  const egdi = ci.builtin("un-egdi");
  const top = ci.score(egdi.framework, egdi.data, egdi.recipe, { period: 2024 }).ranking("EGDI")[0];
  assert.equal(top.name, "Denmark");
  assert.equal(top.band, "very high");
});

test("a panel's trends and the progress towards targets, as the CLI and Python show them", () => {
  const desi = ci.builtin("desi-2022");
  const panel = ci.scorePanel(desi.framework, desi.data, desi.recipe);
  assert.deepEqual(Array.from(panel.periods), [2017, 2018, 2019, 2020, 2021, 2022]);
  assert.equal(panel.period(2022).ranking("DESI")[26].unit, "RO");
  const rows = panel.trend("DESI", 2017, 2022);
  assert.deepEqual([rows[0].unit, rows[0].name, rows[0].rankStart, rows[0].rankEnd], ["FI", "Finland", 1, 1]);
  assert.equal(rows.at(-1).unit, "EU");
  assert.ok(Number.isNaN(rows.at(-1).rankEnd));
  throwsCode(() => panel.period(1999), "data.unknown_period", /1999/);
  const eu = ci.targets(desi.framework, desi.data).filter((p) => p.unit === "EU");
  assert.deepEqual(eu.map((p) => p.indicator), ["1a1", "2b2", "2c2", "3a1", "3b3", "3b4", "3b5", "4a3", "4a4"]);
  assert.deepEqual(eu.map((p) => p.status).slice(0, 2), ["off_track", "on_track"]);
});
