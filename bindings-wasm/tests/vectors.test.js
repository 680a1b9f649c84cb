// Every file in tests/vectors gives, through the WebAssembly package in Node, results bit-identical
// to Rust's: once through the JSON-document path, once through plain objects with Float64Array
// columns. Also the error codes and the input forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const main = require("../pkg/node/cityindex.cjs");
// Benefit of the doubt is in the analysis module only (the main one leaves its solver out for
// its size budget, and says so with `method.unavailable`): its vectors run there.
const analysis = require("../pkg/analysis/node/cityindex_analysis.cjs");
const needsSolver = (v) => JSON.stringify(v.recipe).includes("benefit_of_the_doubt");
const ci = main;
const vectorsDir = join(here, "..", "..", "tests", "vectors");
const vectors = readdirSync(vectorsDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(vectorsDir, f), "utf8")));

/** The vector's column document with Float64Array columns (null → NaN). */
function typedData(data) {
  const columns = {};
  for (const [id, values] of Object.entries(data.columns)) {
    columns[id] = Float64Array.from(values, (v) => (v === null ? NaN : v));
  }
  return { ...data, columns };
}

function sameBits(actual, expected) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i] === null ? NaN : expected[i];
    assert.ok(Object.is(actual[i], want), `value ${i}: ${actual[i]} vs ${want}`);
  }
}

test("there are vectors", () => assert.ok(vectors.length >= 10));

test("the main module refuses benefit of the doubt by name, the analysis module computes it", () => {
  const v = vectors.find(needsSolver);
  assert.throws(() => main.score(v.framework, typedData(v.data), v.recipe), (e) => {
    assert.equal(e.code, "method.unavailable");
    assert.match(e.message, /^benefit of the doubt is not in this build .*`cityindex\/analysis`/);
    return true;
  });
  assert.deepEqual(analysis.score(v.framework, typedData(v.data), v.recipe).toJSON(), v.expected.scores);
});

for (const v of vectors) {
  const ci = needsSolver(v) ? analysis : main;
  test(`vector ${v.name}: documents path`, () => {
    const args = [JSON.stringify(v.framework), JSON.stringify(v.data), JSON.stringify(v.recipe)];
    if (v.expected.error) {
      assert.throws(() => ci.scoreDocuments(...args), (e) => {
        assert.ok(e instanceof Error);
        assert.equal(e.code, v.expected.error.code);
        assert.equal(e.message, v.expected.error.message);
        return true;
      });
    } else {
      assert.deepEqual(JSON.parse(ci.scoreDocuments(...args)), v.expected.scores);
    }
  });

  test(`vector ${v.name}: objects and Float64Arrays`, () => {
    if (v.expected.error) {
      assert.throws(() => ci.score(v.framework, typedData(v.data), v.recipe), { code: v.expected.error.code });
      return;
    }
    const result = ci.score(v.framework, typedData(v.data), v.recipe);
    const expected = v.expected.scores;
    assert.deepEqual(result.units, expected.units);
    for (const node of expected.nodes) {
      sameBits(result.score(node.id), node.score);
      sameBits(result.rank(node.id), node.rank);
      sameBits(result.coverage(node.id), node.coverage);
      if (node.band) assert.deepEqual(result.band(node.id), node.band);
    }
    assert.deepEqual(result.toJSON(), expected);
  });

  test(`vector ${v.name}: a Dataset made once, scored twice`, () => {
    if (v.expected.error) {
      // Bad data fail when the Dataset is made, bad recipes when it is scored: the same codes.
      assert.throws(() => new ci.Dataset(typedData(v.data)).score(v.framework, v.recipe), { code: v.expected.error.code });
      return;
    }
    const data = new ci.Dataset(typedData(v.data));
    for (let k = 0; k < 2; k++) assert.deepEqual(data.score(v.framework, v.recipe).toJSON(), v.expected.scores);
    data.free();
  });
}

test("rows form equals columns form", () => {
  const { framework, data, recipe } = ci.builtin("desi-2022");
  const periods = data.periods;
  const keep = periods.map((p, i) => (p === 2022 ? i : -1)).filter((i) => i >= 0);
  const ids = Object.keys(data.columns);
  const columns = Object.fromEntries(ids.map((id) => [id, Float64Array.from(keep, (i) => data.columns[id][i] ?? NaN)]));
  const units = keep.map((i) => data.units[i]);
  const byColumns = ci.score(framework, { units, columns }, recipe);
  const rows = keep.map((i) => ids.map((id) => data.columns[id][i]));
  const byRows = ci.score(framework, { units: units.map((u) => u.id), columns: ids, rows }, recipe);
  sameBits(byRows.score("DESI"), Array.from(byColumns.score("DESI")));
  assert.equal(byColumns.ranking("DESI")[0].unit, "FI");
});

test("builtins are listed", () => {
  assert.ok(ci.builtins().some((b) => b.id === "desi-2022" && b.summary.length > 0));
});

// One framework, given as its JSON document or as its iMeta table text (rows not in the canonical
// order), draws the same weights and choices for one seed as Rust does, to the bit.
const drawsDir = join(vectorsDir, "draws");
for (const file of readdirSync(drawsDir).filter((f) => f.endsWith(".json")).sort()) {
  const v = JSON.parse(readFileSync(join(drawsDir, file), "utf8"));
  test(`draws ${v.name}: the same from JSON and from the table`, () => {
    const data = typedData(v.data);
    for (const framework of [v.framework, ci.frameworkFromTable(v.framework_table)]) {
      const u = ci.uncertainty(framework, data, v.recipe, v.uncertainty);
      assert.deepEqual(u.perturbed, v.expected.perturbed);
      const replicates = u.replicates;
      assert.equal(replicates.length, v.expected.weight_factors.length);
      replicates.forEach((r, k) => {
        sameBits(r.weight_factors, v.expected.weight_factors[k]);
        assert.deepEqual(r.choices, v.expected.choices[k]);
      });
      const ranks = u.ranks(u.nodes[0]);
      ranks.forEach((replicate, k) => sameBits(Array.from(replicate), v.expected.ranks[k]));
    }
  });
}
