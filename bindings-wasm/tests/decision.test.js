// The decision vectors (tests/vectors/decision): MCDA, weights, AHP, rank comparisons, trends,
// benefit of the doubt, optimised weights, remove-one-element and fitted models through the optional analysis module (`cityindex/analysis`) give Rust's results bit for bit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const analysis = require("../pkg/analysis/node/cityindex_analysis.cjs");
const core = require("../pkg/node/cityindex.cjs");
const dir = join(here, "..", "..", "tests", "vectors", "decision");

function sameBits(actual, expected) {
  const want = Array.isArray(expected) ? expected : [expected];
  const got = typeof actual === "number" ? [actual] : Array.from(actual);
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] === null ? NaN : want[i];
    assert.ok(Object.is(got[i], w), `value ${i}: ${got[i]} vs ${w}`);
  }
}

// The rows of a data document (units, columns, periods) for which `keep(row)` holds, periods
// dropped.
function rowsWhere(data, keep) {
  const rows = data.units.map((_, r) => r).filter(keep);
  const columns = Object.fromEntries(Object.entries(data.columns).map(([id, v]) => [id, rows.map((r) => v[r])]));
  return { units: rows.map((r) => data.units[r]), columns };
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
test("there are decision vectors", () => assert.ok(files.length >= 20));

for (const file of files) {
  const v = JSON.parse(readFileSync(join(dir, file), "utf8"));
  test(`decision ${v.name}`, () => {
    const call = v.call;
    switch (call.function) {
      case "mcda": {
        const r = analysis.mcda(call.method, call.matrix, call.weights, call.types);
        sameBits(r.preferences, v.expected.mcda.preferences);
        sameBits(r.ranks, v.expected.mcda.ranks);
        break;
      }
      case "weights":
        sameBits(analysis.matrixWeights(call.method, call.matrix, call.types), v.expected.weights);
        break;
      case "ahp": {
        const r = analysis.ahp(call.pairwise, true);
        sameBits(r.weights, v.expected.ahp.weights);
        sameBits(r.consistencyRatio, v.expected.ahp.consistency_ratio);
        break;
      }
      case "compare_rankings":
        sameBits(analysis.compareRankings(call.measure, call.x, call.y), v.expected.value);
        break;
      case "trend_table": {
        const b = analysis.builtin(call.builtin);
        const rows = analysis.scorePanel(b.framework, b.data, b.recipe).trend(call.node, call.from, call.to);
        const want = v.expected.trend_table;
        assert.deepEqual(rows.map((r) => r.unit).sort(), [...want.units].sort());
        for (const r of rows) {
          const k = want.units.indexOf(r.unit);
          sameBits([r.start, r.end, r.change, r.cagr, r.rankStart, r.rankEnd, r.placesGained], want.rows[k]);
        }
        break;
      }
      case "targets": {
        const b = analysis.builtin(call.builtin);
        assert.deepEqual(analysis.targets(b.framework, b.data), v.expected.targets);
        break;
      }
      case "trends": {
        const b = analysis.builtin(call.builtin);
        const r = analysis.trends(b.framework, b.data, b.recipe, call.node, call.metric);
        assert.deepEqual(r.units, v.expected.trends.units);
        sameBits(r.values, v.expected.trends.values);
        break;
      }
      case "benefit_of_the_doubt": {
        const r = analysis.benefitOfTheDoubt(call.matrix, call.bounds);
        sameBits(r.scores, v.expected.benefit_of_the_doubt.scores);
        assert.equal(r.weights.length, v.expected.benefit_of_the_doubt.weights.length);
        r.weights.forEach((row, k) => sameBits(row, v.expected.benefit_of_the_doubt.weights[k]));
        break;
      }
      case "optimise_level_weights": {
        const b = analysis.builtin(call.builtin);
        const r = analysis.optimiseLevelWeights(b.framework, b.data, b.recipe, call.level, call.aim, call.correlation, call.optimiser, {
          period: call.period,
        });
        assert.deepEqual(r, v.expected.level_weights);
        break;
      }
      case "remove_elements": {
        const b = analysis.builtin(call.builtin);
        const r = analysis.removeElements(b.framework, b.data, b.recipe, call.level, call.target, { period: call.period });
        assert.deepEqual(r.map((e) => e.removed), v.expected.removals.map((e) => e.removed));
        sameBits(r.map((e) => e.meanAbsoluteRankChange), v.expected.removals.map((e) => e.mean_absolute_rank_change));
        break;
      }
      case "place_units": {
        const b = analysis.builtin(call.builtin);
        const period = rowsWhere(b.data, (r) => b.data.periods[r] === call.period);
        const isNew = (r) => call.units.includes(period.units[r].id);
        const model = analysis.fit(b.framework, rowsWhere(period, (r) => !isNew(r)), b.recipe);
        const want = v.expected.placed;
        assert.equal(model.toJson(), want.model);
        const r = model.transform(rowsWhere(period, isNew));
        assert.deepEqual(r.units, want.units);
        want.nodes.forEach((node, k) => sameBits(r.score(node), want.scores.map((row) => row[k])));
        sameBits(model.place(call.node, r.score(call.node)), want.places);
        assert.equal(analysis.Model.fromJson(want.model).toJson(), want.model);
        break;
      }
      case "merged_fit": {
        const b = analysis.builtin(call.builtin);
        const period = rowsWhere(b.data, (r) => b.data.periods[r] === call.period);
        const parts = call.cuts.slice(1).map((end, k) => rowsWhere(period, (r) => r >= call.cuts[k] && r < end));
        const pass = (means) => analysis.mergeSummaries(parts.map((p) => analysis.summarise(b.framework, p, call.recipe, means)));
        let merged = pass(undefined);
        if (merged.means !== undefined) merged = pass(merged.means);
        assert.equal(analysis.modelFromSummary(b.framework, call.recipe, merged.summary).toJson(), v.expected.model);
        break;
      }
      case "uncertainty_parts": {
        const b = analysis.builtin(call.builtin);
        const period = rowsWhere(b.data, (r) => b.data.periods[r] === call.period);
        const runs = call.cuts.slice(1).map((end, k) => analysis.uncertaintyReplicates(b.framework, period, b.recipe, call.spec, call.cuts[k], end));
        const u = analysis.combineUncertainty(b.framework, period, b.recipe, call.spec, runs.reverse());
        const want = v.expected.replicates;
        u.ranks(u.nodes[0]).forEach((replicate, k) => sameBits(Array.from(replicate), want.ranks[k]));
        sameBits(u.intervals(u.nodes[0]).map((x) => x.median), want.medians);
        break;
      }
      case "rank_in_partition": {
        const values = call.values.map((x) => (x === null ? NaN : x));
        sameBits(analysis.rankInPartition(values, call.ties, call.earlier), v.expected.ranks);
        break;
      }
      default:
        assert.fail(`unknown function ${call.function}`);
    }
  });
}

test("the analysis module also scores, and the main one stays under its 1 MB budget", () => {
  const b = analysis.builtin("desi-2022");
  const data = { ...b.data };
  assert.ok(typeof analysis.score === "function");
  assert.equal(typeof core.mcda, "undefined");
  const size = statSync(join(here, "..", "pkg", "web", "cityindex_wasm_bg.wasm")).size;
  assert.ok(size < 1_000_000, `${size} bytes`);
  assert.ok(data.units.length > 0);
});

test("bad decision arguments are coded errors naming what is wrong", () => {
  const codeOf = (f) => {
    try {
      f();
    } catch (e) {
      return [e.code, e.message];
    }
    return null;
  };
  const [code, message] = codeOf(() => analysis.mcda({ method: "topsys" }, [[1, 2], [3, 4]], [1, 1], [1, 1]));
  assert.equal(code, "method.invalid_parameter");
  assert.match(message, /MCDA method: unknown variant `topsys`, expected one of `topsis`/);
  assert.equal(codeOf(() => analysis.mcda({ method: "topsis" }, [[1, 2], [3, 4]], [1, 1], [1, 2]))[0], "method.invalid_parameter");
  assert.equal(codeOf(() => analysis.compareRankings("spearman_rs", [1, 2], [1]))[0], "method.count_mismatch");
});
