// The intermediate data sets in JavaScript: `prepare` keeps the data after each preparation step
// of COINr's example coin (denominate → group-mean imputation → screening → treatment), checked
// against COINr 1.1.14's own data sets to 1e-9, as the Rust and Python suites check them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const ci = require("../pkg/node/cityindex.cjs");
const asem = join(here, "..", "..", "tests", "fixtures", "coinr-asem");
const read = (...path) => readFileSync(join(asem, ...path), "utf8");

/** COINr's data set CSV (quoted cells, "" missing) as {uCode: {column: number | null}}. */
function coinrDataSet(text) {
  const [header, ...rows] = text.trim().split("\n").map((l) => l.split(",").map((c) => c.replace(/^"|"$/g, "")));
  const out = {};
  for (const row of rows) {
    out[row[0]] = Object.fromEntries(header.slice(1).map((h, k) => [h, row[k + 1] === "" ? null : Number(row[k + 1])]));
  }
  return out;
}

const framework = ci.frameworkFromTable(read("data", "ASEM_iMeta.csv"));
const raw = ci.dataFromCsv(framework, read("data", "ASEM_iData.csv"));
const recipe = {
  prepare: [
    { step: "denominate" },
    { step: "impute", default: { method: "group_mean", group: "EurAsia_group" } },
    { step: "screen", units: { min_availability: 0.9 } },
    { step: "treat" },
  ],
};

test("every stage is COINr's data set", () => {
  const stages = ci.prepare(framework, raw, recipe);
  assert.deepEqual(stages.map((s) => s.step), ["denominate", "impute", "screen", "treat"]);
  const names = ["Denominated", "Imputed", "Screened", "Treated"];
  stages.forEach((stage, k) => {
    const theirs = coinrDataSet(read("B_example_coin", `B_${names[k]}.csv`));
    const ids = stage.data.units.map((u) => u.id);
    assert.deepEqual([...ids].sort(), Object.keys(theirs).sort(), names[k]);
    let worst = 0;
    ids.forEach((id, r) => {
      for (const [column, value] of Object.entries(theirs[id])) {
        const ours = stage.data.columns[column][r];
        assert.equal(ours === null, value === null, `${names[k]} ${id} ${column}`);
        if (value !== null) worst = Math.max(worst, Math.abs(ours - value));
      }
    });
    assert.ok(worst <= 1e-9, `${names[k]}: ${worst}`);
  });
  // The scores start from the last stage: its units, in its order.
  const scored = ci.score(framework, raw, recipe);
  assert.deepEqual(scored.units, stages[3].data.units.map((u) => u.id));
  assert.deepEqual(ci.prepare(framework, raw, null), []);
});

test("a step that fails names what is wrong", () => {
  const bad = { prepare: [{ step: "impute", default: { method: "group_mean", group: "nowhere" } }] };
  assert.throws(() => ci.prepare(framework, raw, bad), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, "score.unknown_group");
    assert.match(e.message, /`nowhere`/);
    return true;
  });
  assert.throws(() => ci.prepare(framework, raw, { prepare: [{ step: "polish" }] }), (e) => {
    assert.equal(e.code, "score.json");
    assert.match(e.message, /unknown variant `polish`, expected one of `denominate`/);
    return true;
  });
});
