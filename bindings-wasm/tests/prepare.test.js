// The intermediate data sets in JavaScript: `prepare` keeps the data after each preparation step
// of COINr's example coin (denominate → group-mean imputation → screening → treatment) with what
// the step did, checked against COINr 1.1.14's own data sets to 1e-9 and its screening and
// treatment tables, as the Rust and Python suites check them.
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

/** A COINr table (quoted cells) as rows of {column: text}. */
function coinrTable(text) {
  const [header, ...rows] = text.trim().split("\n").map((l) => l.split(",").map((c) => c.replace(/^"|"$/g, "")));
  return rows.map((row) => Object.fromEntries(header.map((h, k) => [h, row[k]])));
}

test("each step's report is what COINr recorded", () => {
  const [, imputed, screened, treated] = ci.prepare(framework, raw, recipe).map((s) => s.report);
  assert.equal(imputed.step, "impute");
  assert.ok(imputed.cells.length > 0 && imputed.cells.every((c) => c.method === "group_mean"));
  // Screening: each country's data availability and whether it was kept.
  assert.equal(screened.step, "screen");
  const units = Object.fromEntries(screened.units.map((u) => [u.id, u]));
  for (const row of coinrTable(read("B_example_coin", "B_Screened_DataSummary.csv"))) {
    assert.ok(Math.abs(units[row.uCode].availability - Number(row.Dat_Avail)) <= 1e-9, row.uCode);
    assert.equal(units[row.uCode].included, row.Included === "TRUE", row.uCode);
  }
  // Treatment: the skewness before, and how many points were winsorised, per indicator.
  assert.equal(treated.step, "treat");
  const indicators = Object.fromEntries(treated.indicators.map((t) => [t.indicator, t]));
  for (const row of coinrTable(read("B_example_coin", "B_Treated_Dets_Table.csv"))) {
    const ours = indicators[row.iCode];
    assert.ok(Math.abs(ours.before.skew - Number(row["check_SkewKurt0.Skew"])) <= 1e-9, row.iCode);
    assert.equal(ours.winsorised ?? 0, row["winsorise.nwin"] === "" ? 0 : Number(row["winsorise.nwin"]), row.iCode);
  }
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
    assert.equal(e.code, "method.unknown");
    assert.match(e.message, /^`prepare\[0\]\.step`: unknown `polish`; the valid ones are `denominate`/);
    return true;
  });
});
