// The what-if page: every number comes from the cityindex WebAssembly module; this file only
// gathers the user's choices and draws.
import init, * as ci from "../pkg/web/cityindex_wasm.js";

const $ = (id) => document.getElementById(id);
const state = { framework: null, data: null, recipe: null, name: "", weights: {}, names: {} };

const NORMALISATIONS = { recipe: "the framework's own", min_max: "min-max 1–100", z_score: "z-score", rank: "rank" };
const AGGREGATIONS = { arithmetic_mean: "arithmetic mean", geometric_mean: "geometric mean" };

function showError(error) {
  const box = $("error");
  if (!error) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.hidden = false;
  box.textContent = error.code ? `${error.message} (${error.code})` : String(error.message ?? error);
}

function topNode(framework) {
  return framework.nodes[0].id;
}

function periodsOf(data) {
  return data.periods ? [...new Set(data.periods)].sort((a, b) => a - b) : [];
}

/** The rows of one period, in the column form. */
function forPeriod(data, period) {
  if (!data.periods) return data;
  const keep = data.periods.flatMap((p, i) => (p === period ? [i] : []));
  const columns = {};
  for (const [id, values] of Object.entries(data.columns)) {
    columns[id] = Float64Array.from(keep, (i) => values[i] ?? NaN);
  }
  const groups = (data.groups ?? []).map((g) => ({ id: g.id, values: keep.map((i) => g.values[i]) }));
  return { units: keep.map((i) => data.units[i]), columns, groups };
}

function currentData() {
  const period = Number($("period").value);
  return forPeriod(state.data, Number.isNaN(period) ? undefined : period);
}

/** The current period's data as a `Dataset`, copied into WebAssembly and checked once, not on
 * every slider move. */
let cached = null;
function currentDataset() {
  const period = $("period").value;
  if (cached?.data !== state.data || cached?.period !== period) {
    const dataset = new ci.Dataset(currentData());
    cached?.dataset.free();
    cached = { data: state.data, period, dataset };
  }
  return cached.dataset;
}

/** The recipe of a normalisation and aggregation choice, with the weights moved. */
function recipeOf(normalisation, aggregation, weights) {
  const recipe = structuredClone(state.recipe ?? {});
  if (normalisation === "min_max") recipe.normalise = { default: { method: "min_max", lo: 1, hi: 100 } };
  if (normalisation === "z_score") recipe.normalise = { default: { method: "z_score" } };
  if (normalisation === "rank") recipe.normalise = { default: { method: "rank" } };
  recipe.aggregate = { ...(recipe.aggregate ?? {}), default: { method: aggregation } };
  recipe.weights = { ...(recipe.weights ?? {}), ...weights };
  return recipe;
}

function currentRecipe() {
  return recipeOf($("normalisation").value, $("aggregation").value, state.weights);
}

/** Each top-level child's weight now, and the shares they make. */
function shares() {
  const children = state.framework.nodes[0].children ?? [];
  const weights = children.map((c) => state.weights[c.id] ?? c.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return Object.fromEntries(children.map((c, k) => [c.id, weights[k] / total]));
}

/** Tries every normalisation and aggregation on this period before the user picks one: an
 * option that cannot work is disabled, and says why. */
function checkOptions() {
  if (!state.data) return;
  const dataset = currentDataset();
  const failures = [];
  const normalisation = $("normalisation").value, aggregation = $("aggregation").value;
  const probe = (select, labels, recipeFor) => {
    for (const option of $(select).options) {
      let reason = null;
      try {
        dataset.score(state.framework, recipeFor(option.value)).free();
      } catch (error) {
        reason = error.message;
      }
      option.disabled = reason !== null && option.value !== $(select).value;
      option.textContent = labels[option.value] + (reason ? " — not with these data" : "");
      option.title = reason ?? "";
      if (reason) failures.push(`${labels[option.value]}: ${reason}`);
    }
  };
  probe("normalisation", NORMALISATIONS, (n) => recipeOf(n, aggregation, state.weights));
  probe("aggregation", AGGREGATIONS, (a) => recipeOf(normalisation, a, state.weights));
  $("methods-note").textContent = failures.length ? `Not available on ${$("period").value || "these data"}: ${failures.join("; ")}` : "";
}

/** The ranking under the framework's own method (the published one), for the rank moves. */
let published = null;
function publishedRanks() {
  const key = `${$("period").value}`;
  if (published?.key !== key || published?.data !== state.data) {
    let ranks = {};
    try {
      const result = currentDataset().score(state.framework, state.recipe);
      for (const r of result.ranking(topNode(state.framework))) ranks[r.unit] = r.rank;
      result.free();
    } catch {
      ranks = {};
    }
    published = { key, data: state.data, ranks };
  }
  return published.ranks;
}

/** The view in the URL's fragment: period, methods and moved weights. */
function saveView() {
  const params = new URLSearchParams();
  if (state.builtin) params.set("framework", state.builtin);
  if ($("period").value) params.set("period", $("period").value);
  params.set("normalisation", $("normalisation").value);
  params.set("aggregation", $("aggregation").value);
  const moved = Object.entries(state.weights).map(([id, w]) => `${id}:${w}`).join(",");
  if (moved) params.set("weights", moved);
  history.replaceState(null, "", `#${params}`);
}

function restoreView() {
  const params = new URLSearchParams(location.hash.slice(1));
  const set = (id) => {
    const value = params.get(id);
    if (value !== null && [...$(id).options].some((o) => o.value === value)) $(id).value = value;
  };
  set("period");
  set("normalisation");
  set("aggregation");
  for (const pair of (params.get("weights") ?? "").split(",").filter(Boolean)) {
    const [id, w] = pair.split(":");
    const input = document.querySelector(`[data-node="${CSS.escape(id)}"]`);
    if (input && Number.isFinite(Number(w))) {
      state.weights[id] = Number(w);
      input.value = w;
    }
  }
}

function buildControls() {
  const periods = state.data ? periodsOf(state.data) : [];
  $("period").innerHTML = periods.map((p) => `<option>${p}</option>`).join("");
  $("period").value = String(periods.at(-1) ?? "");
  $("period").disabled = periods.length === 0;
  const fieldset = $("weights");
  fieldset.querySelectorAll("label").forEach((l) => l.remove());
  state.weights = {};
  const children = state.framework.nodes[0].children ?? [];
  const total = children.reduce((a, c) => a + (c.weight ?? 1), 0) || 1;
  for (const child of children) {
    const label = document.createElement("label");
    const weight = child.weight ?? 1;
    // The slider runs from 0 to three times the siblings' total weight (a share of up to 3/4
    // for one of four); its label shows the share it gives.
    label.innerHTML = `${child.name ?? child.id} <output data-share="${child.id}"></output>
      <input type="range" min="0" max="${3 * total}" step="${total / 100}" value="${weight}"
        data-node="${child.id}" data-testid="weight-${child.id}" aria-label="weight of ${child.name ?? child.id}">`;
    label.querySelector("input").addEventListener("input", (e) => {
      state.weights[child.id] = Number(e.target.value);
      rescore();
    });
    fieldset.append(label);
  }
}

function showShares() {
  for (const [id, share] of Object.entries(shares())) {
    const output = document.querySelector(`[data-share="${CSS.escape(id)}"]`);
    if (output) output.textContent = `${(share * 100).toFixed(1)} %`;
  }
}

/** Empties the results, so that a failure never leaves the previous ranking on screen. */
function clearResults() {
  $("ranking").replaceChildren();
  $("bars").replaceChildren();
}

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** ▲ 2 or ▼ 1 against the published rank. */
function moveCell(rank, before) {
  if (Number.isNaN(rank) || before === undefined || Number.isNaN(before)) return "<td>–</td>";
  const moved = before - rank;
  if (moved > 0) return `<td class="up" aria-label="up ${moved}">▲ ${moved}</td>`;
  if (moved < 0) return `<td class="down" aria-label="down ${-moved}">▼ ${-moved}</td>`;
  return `<td aria-label="unchanged">=</td>`;
}

function rescore() {
  showShares();
  saveView();
  if (!state.data) {
    clearResults();
    showError(null);
    return;
  }
  try {
    const result = currentDataset().score(state.framework, currentRecipe());
    const node = topNode(state.framework);
    const rows = result.ranking(node);
    state.names = Object.fromEntries(result.units.map((u, k) => [u, result.names[k]]));
    result.free();
    const banded = rows.some((r) => "band" in r);
    const before = publishedRanks();
    $("top-node").textContent = state.framework.nodes[0].name ?? node;
    $("ranking-head").innerHTML = `<th>rank</th><th>unit</th><th>score</th>${banded ? "<th>band</th>" : ""}<th title="against the framework's own method">vs published</th>`;
    $("ranking").innerHTML = rows
      .map((r) => `<tr${r.aggregate ? ' class="aggregate"' : ""}><td>${Number.isNaN(r.rank) ? "–" : r.rank}</td><td>${escapeHtml(r.name)}</td>` +
        `<td>${Number.isNaN(r.score) ? "–" : r.score.toFixed(2)}</td>${banded ? `<td>${escapeHtml(r.band ?? "–")}</td>` : ""}${moveCell(r.rank, before[r.unit])}</tr>`)
      .join("");
    drawBars(rows);
    showError(null);
  } catch (error) {
    clearResults();
    showError(error);
  }
}

const SVG = "http://www.w3.org/2000/svg";
function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function drawBars(rows) {
  const svg = $("bars");
  svg.replaceChildren();
  const shown = rows.filter((r) => !Number.isNaN(r.score));
  const width = 420, row = 16, left = 110;
  svg.setAttribute("width", width);
  svg.setAttribute("height", shown.length * row + 10);
  svg.setAttribute("viewBox", `0 0 ${width} ${shown.length * row + 10}`);
  const max = Math.max(...shown.map((r) => r.score), 1e-12);
  shown.forEach((r, i) => {
    svg.append(svgEl("text", { x: 0, y: i * row + 12 }, r.name.length > 17 ? `${r.name.slice(0, 16)}…` : r.name));
    svg.append(svgEl("rect", { x: left, y: i * row + 2, height: row - 4, width: Math.max(0, (r.score / max) * (width - left - 50)), fill: r.aggregate ? "#9aa5b1" : "#3b6ea5" }));
    svg.append(svgEl("text", { x: left + Math.max(0, (r.score / max) * (width - left - 50)) + 4, y: i * row + 12 }, r.score.toFixed(1)));
  });
}

function drawIntervals(intervals) {
  const svg = $("intervals");
  svg.replaceChildren();
  const sorted = [...intervals].filter((i) => !Number.isNaN(i.median)).sort((a, b) => a.median - b.median || a.nominal - b.nominal);
  const n = intervals.length, width = 640, row = 16, left = 110;
  svg.setAttribute("width", width);
  svg.setAttribute("height", sorted.length * row + 24);
  svg.setAttribute("viewBox", `0 0 ${width} ${sorted.length * row + 24}`);
  const x = (rank) => left + ((rank - 1) / Math.max(n - 1, 1)) * (width - left - 20);
  sorted.forEach((s, i) => {
    const y = i * row + 10;
    const name = state.names[s.unit] ?? s.unit;
    svg.append(svgEl("text", { x: 0, y: y + 4 }, name.length > 17 ? `${name.slice(0, 16)}…` : name));
    svg.append(svgEl("line", { x1: x(s.q05), x2: x(s.q95), y1: y, y2: y, stroke: "#9bb7d4", "stroke-width": 6 }));
    svg.append(svgEl("circle", { cx: x(s.nominal), cy: y, r: 3.5, fill: "#c0392b" }));
  });
  svg.append(svgEl("text", { x: left, y: sorted.length * row + 20 }, `rank 1 … ${n}`));
}

/** Says whether the replicates were enough: the medians of the first half against all. */
function showConvergence({ replicates, median_change: change, largest_median_change: largest }) {
  const k = replicates.length - 2;
  $("convergence").textContent = k < 0 ? "" :
    `The median ranks of the first ${replicates[k]} replicates lie ${change[k].toFixed(2)} ranks from ` +
    `those of all ${replicates.at(-1)} on average (at most ${largest[k]}).`;
}

/** Runs the analysis in a worker (worker.js) and draws the progress and then the intervals. */
function runUncertainty() {
  const button = $("run-uncertainty"), bar = $("progress");
  button.disabled = true;
  bar.hidden = false;
  bar.value = 0;
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const done = () => {
    worker.terminate();
    button.disabled = false;
    bar.hidden = true;
  };
  worker.onmessage = ({ data: message }) => {
    if (message.progress) {
      [bar.value, bar.max] = message.progress;
      return;
    }
    if (message.error) {
      showError(message.error);
    } else {
      drawIntervals(message.intervals);
      $("intervals").dataset.failed = String(message.failed);
      showConvergence(message.convergence);
      showError(null);
    }
    done();
  };
  worker.onerror = (event) => {
    showError({ message: event.message || "the uncertainty analysis stopped" });
    done();
  };
  worker.postMessage({
    framework: state.framework,
    data: currentData(),
    recipe: currentRecipe(),
    spec: { replicates: 500, seed: 1, weights: { fraction: 0.25 } }, // every weight, at every level
  });
}

async function loadFiles(files) {
  try {
    let framework = null, csv = null;
    for (const file of files) {
      const text = await file.text();
      if (file.name.toLowerCase().endsWith(".json")) framework = ci.validateFramework(text);
      else if (!framework && /(^|,)"?(iCode|id)"?,/.test(text.split("\n")[0]) && /parent/i.test(text.split("\n")[0])) framework = ci.frameworkFromTable(text);
      else csv = text;
    }
    framework ??= state.framework;
    const data = csv ? ci.dataFromCsv(framework, csv) : state.data;
    if (!data) throw { message: "drop the data too: a CSV with one row per unit" };
    // Score once before switching, so a bad pair leaves the page as it was, with the message.
    ci.score(framework, forPeriod(data, periodsOf(data).at(-1)), null).free();
    const same = framework === state.framework;
    Object.assign(state, { framework, data, recipe: same ? state.recipe : null, builtin: same ? state.builtin : null });
    $("source").textContent = `${framework.name ?? framework.id ?? "your framework"}: ${[...files].map((f) => f.name).join(", ")}`;
    buildControls();
    checkOptions();
    rescore();
  } catch (error) {
    showError(error);
  }
}

/** Loads an embedded framework with its sample data; one without data asks for a filled
 * template and leaves the page as it was. */
function loadBuiltin(id) {
  const { framework, data, recipe } = ci.builtin(id);
  const info = ci.builtins().find((b) => b.id === id);
  const empty = data.units.length === 0;
  Object.assign(state, { framework, data: empty ? null : data, recipe, builtin: id });
  $("source").textContent = empty
    ? `${framework.name ?? id} ships no sample data: fill in its template (\`cityindex template ${id}\`, ` +
      "one row per city) and drop the CSV here to see each city's scores, band and rank."
    : `${framework.name ?? id} (embedded): ${info.summary}`;
  buildControls();
  return true;
}

async function main() {
  await init();
  const params = new URLSearchParams(location.hash.slice(1));
  const builtins = ci.builtins();
  $("builtin").innerHTML = builtins.map((b) => `<option value="${b.id}">${b.id}</option>`).join("");
  const wanted = builtins.some((b) => b.id === params.get("framework")) ? params.get("framework") : "desi-2022";
  $("builtin").value = wanted;
  if (!loadBuiltin(wanted)) loadBuiltin("desi-2022");
  restoreView();
  $("builtin").addEventListener("change", () => {
    if (loadBuiltin($("builtin").value)) {
      checkOptions();
      rescore();
    }
  });
  for (const id of ["period", "normalisation", "aggregation"]) {
    $(id).addEventListener("change", () => {
      checkOptions();
      rescore();
    });
  }
  $("reset").addEventListener("click", () => {
    const period = $("period").value;
    $("normalisation").value = "recipe";
    $("aggregation").value = "arithmetic_mean";
    buildControls();
    $("period").value = period;
    checkOptions();
    rescore();
  });
  $("share").addEventListener("click", () => navigator.clipboard?.writeText(location.href).catch(() => {}));
  $("run-uncertainty").addEventListener("click", runUncertainty);
  $("files").addEventListener("change", (e) => loadFiles(e.target.files));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); loadFiles(e.dataTransfer.files); });
  checkOptions();
  rescore();
  document.body.dataset.ready = "true";
}

main().catch(showError);
