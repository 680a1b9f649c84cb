// W1 (10,000 units × 100 indicators → 10 pillars → index) in Node through the WebAssembly package,
// against the native Rust core on the very same arrays (the `w1_same_arrays` binary), in one run.
// Both time `score` + the index's ranks: one warm-up, then the median of five (the baselines'
// protocol; the native side also with its data set built from the arrays in every call, as the
// WebAssembly side does); the WebAssembly side is timed again after twenty more calls, when V8
// has compiled the hot functions with its optimising tier, and then scoring a `Dataset` made once
// (the native side's first line: a data set built once).
// Usage: node benches/node/w1_node.mjs target/release/w1_same_arrays
import { createRequire } from "node:module";
import { writeFileSync, mkdtempSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ci = require(join(here, "..", "..", "bindings-wasm", "pkg", "node", "cityindex.cjs"));

const [units, indicators, pillars] = [10_000, 100, 10];
let seed = 20240601n;
const random = () => {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  return Number(seed >> 11n) / 2 ** 53;
};
const ids = Array.from({ length: indicators }, (_, i) => `I${String(i).padStart(3, "0")}`);
const framework = { nodes: [{ id: "index", children: Array.from({ length: pillars }, (_, p) => ({
  id: `P${String(p).padStart(2, "0")}`, weight: 0.5 + random(),
  children: ids.slice(p * 10, p * 10 + 10).map((id) => ({ id, weight: 0.5 + random(), direction: random() < 0.3 ? -1 : 1 })),
})) }] };
const values = new Float64Array(units * indicators);
for (let j = 0; j < indicators; j++) {
  const magnitude = 10 ** (3 * random());
  for (let r = 0; r < units; r++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    values[j * units + r] = Math.exp(0.6 * z) * magnitude;
  }
}
const columns = Object.fromEntries(ids.map((id, j) => [id, values.subarray(j * units, (j + 1) * units)]));
const unitIds = Array.from({ length: units }, (_, u) => `U${String(u).padStart(5, "0")}`);
const recipe = { normalise: { default: { method: "min_max", lo: 0, hi: 1 } } };

const median = (fn, warmups = 1) => {
  for (let k = 0; k < warmups; k++) fn();
  const times = [];
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return times.sort((a, b) => a - b)[2];
};
const w1 = () => {
  const result = ci.score(framework, { units: unitIds, columns }, recipe);
  result.rank("index");
  result.free();
};
const wasm = median(w1);
const warmed = median(w1, 20);
// A Dataset made once, scored per call: the same work as the native side's first line.
const dataset = new ci.Dataset({ units: unitIds, columns });
const w1Dataset = () => {
  const result = dataset.score(framework, recipe);
  result.rank("index");
  result.free();
};
const fromDataset = median(w1Dataset, 20);

const dir = mkdtempSync(join(tmpdir(), "w1-node-"));
const validated = ci.validateFramework(framework);
writeFileSync(join(dir, "framework.json"), JSON.stringify(validated));
writeFileSync(join(dir, "values.f64"), Buffer.from(values.buffer));
// Two lines: the data set built once, and built from the arrays in every call (as here).
const lines = execFileSync(process.argv[2], [join(dir, "framework.json"), join(dir, "values.f64"), String(units)])
  .toString().trim().split("\n").map((line) => JSON.parse(line).median_s);
const [native, nativeBuilding] = lines;
const size = statSync(join(here, "..", "..", "bindings-wasm", "pkg", "web", "cityindex_wasm_bg.wasm")).size;
console.log(`W1 native Rust (same arrays)   ${(native * 1e3).toFixed(2)} ms`);
console.log(`  building its data set per call ${(nativeBuilding * 1e3).toFixed(2)} ms`);
console.log(`W1 WebAssembly in Node ${process.version}  ${(wasm * 1e3).toFixed(2)} ms`);
console.log(`ratio wasm / native            ${(wasm / native).toFixed(2)}x`);
console.log(`WebAssembly after 20 more calls ${(warmed * 1e3).toFixed(2)} ms (${(warmed / native).toFixed(2)}x native, ` +
  `${(warmed / nativeBuilding).toFixed(2)}x native building its data set per call)`);
console.log(`WebAssembly from a Dataset made once, after 20 calls ${(fromDataset * 1e3).toFixed(2)} ms ` +
  `(${(fromDataset / native).toFixed(2)}x native with its data set built once, the same work)`);
console.log(`release .wasm (web)            ${size} bytes`);
