// The shared bad-input corpus (tests/bad-input/cases.json) through JavaScript (models through the
// analysis module): each case throws an
// Error with the corpus' code (its message naming what the case says), or scores with every value
// finite or missing and ranks ordered as the scores. Rust and Python read the same file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ci = require("../pkg/node/cityindex.cjs");
const analysis = require("../pkg/analysis/node/cityindex_analysis.cjs");
const { cases } = JSON.parse(readFileSync(new URL("../../tests/bad-input/cases.json", import.meta.url)));

/** Runs one case: every node's scores and ranks, or throws. */
function run(c) {
  if (c.call === "data_csv") {
    const data = ci.dataFromCsv(c.framework, c.csv);
    return [Object.values(data.columns).flat().map((x) => (x === null ? NaN : x))];
  }
  if (c.call === "score" || c.call === "model") {
    const result =
      c.call === "model"
        ? analysis.fit(c.framework, c.data, c.recipe).transform(c.new)
        : ci.score(c.framework, c.data, c.recipe);
    return result.nodes.flatMap(({ id }) => [Array.from(result.score(id)), Array.from(result.rank(id))]);
  }
  const result = ci.uncertainty(c.framework, c.data, c.recipe, c.spec);
  return result.nodes.map((id) => result.ranks(id).flatMap((replicate) => Array.from(replicate)));
}

for (const c of cases) {
  const skip = c.surfaces && !c.surfaces.includes("javascript");
  test(c.name, { skip: skip && "not a JavaScript input" }, () => {
    const { error, mentions } = c.expect;
    if (error) {
      assert.throws(() => run(c), (e) => {
        assert.ok(e instanceof Error, "an Error");
        assert.equal(e.code, error, e.message);
        if (mentions) assert.ok(e.message.includes(mentions), `${e.message} names ${mentions}`);
        return true;
      });
      return;
    }
    const results = run(c);
    for (const values of results) {
      assert.ok(values.every((x) => Number.isNaN(x) || Number.isFinite(x)), "no infinity");
    }
    if (c.call === "score" || c.call === "model") {
      for (let k = 0; k < results.length; k += 2) {
        const [scores, ranks] = [results[k], results[k + 1]];
        scores.forEach((s, i) => assert.equal(Number.isNaN(s), Number.isNaN(ranks[i]), "missing where the score is"));
        for (let i = 0; i < scores.length; i++) {
          for (let j = 0; j < scores.length; j++) {
            if (scores[i] > scores[j]) assert.ok(ranks[i] < ranks[j], "a higher score ranks higher");
          }
        }
      }
    }
  });
}
