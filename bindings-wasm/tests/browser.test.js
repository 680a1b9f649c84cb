// End-to-end: the what-if page in headless Chromium (Debian's, driven by playwright-core). It is
// served from bindings-wasm/ on localhost; the test moves the Human capital weight slider to 3 and
// checks that the displayed ranking is the one Rust computed natively for the same recipe (the
// `desi_2022_what_if` vector). It also runs the uncertainty analysis, drops an invalid framework
// (the page must show the message, not go blank), and saves screenshots in artefacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { join, dirname, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const artefacts = join(here, "artefacts");
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

let server, browser, base;

before(async () => {
  await mkdir(artefacts, { recursive: true });
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${base}/demo/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  return { page, errors };
}

async function displayedRanking(page) {
  return page.$$eval("[data-testid=ranking] tbody tr", (rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent)));
}

test("a weight slider re-ranks exactly as Rust does", async () => {
  const vector = JSON.parse(readFileSync(join(root, "..", "tests", "vectors", "desi_2022_what_if.json"), "utf8"));
  const expected = vector.expected.scores;
  const desi = expected.nodes.find((n) => n.id === "DESI");
  // Ranked units first, the EU (an aggregate, unranked) after them; the page shows names.
  const names = Object.fromEntries(vector.data.units.map((u) => [u.id, u.name]));
  const order = expected.units
    .map((u, i) => [names[u], desi.rank[i] ?? NaN, desi.score[i]])
    .sort((a, b) => (Number.isNaN(a[1]) ? Infinity : a[1]) - (Number.isNaN(b[1]) ? Infinity : b[1]));

  const { page, errors } = await openPage();
  const before = await displayedRanking(page);
  assert.equal(before.length, expected.units.length);
  await page.locator("[data-testid=weight-HC]").fill("3");
  const after = await displayedRanking(page);
  assert.deepEqual(after.map((r) => r[1]), order.map((o) => o[0]), "unit order");
  assert.deepEqual(after.map((r) => Number(r[0])), order.map((o) => o[1]), "ranks");
  assert.deepEqual(after.map((r) => r[2]), order.map((o) => o[2].toFixed(2)), "scores as shown");
  assert.notDeepEqual(after.map((r) => r[1]), before.map((r) => r[1]), "the slider changed the ranking");
  assert.ok(await page.locator("[data-testid=bars] rect").count() === expected.units.length, "bars drawn");
  await page.screenshot({ path: join(artefacts, "what-if.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("uncertainty analysis draws rank intervals", async () => {
  const { page } = await openPage();
  await page.click("[data-testid=run-uncertainty]");
  await page.waitForSelector("[data-testid=intervals] line", { state: "attached", timeout: 60_000 });
  // The 27 Member States: the EU, an aggregate, has no rank and no interval.
  assert.equal(await page.locator("[data-testid=intervals] line").count(), 27);
  assert.match(await page.locator("[data-testid=convergence]").textContent(), /median ranks of the first \d+ replicates lie/);
  assert.ok(await page.locator("[data-testid=error]").isHidden());
  await page.screenshot({ path: join(artefacts, "uncertainty.png"), fullPage: true });
  await page.close();
});

test("a method that cannot work on the data is disabled and says why, before it is chosen", async () => {
  const { page } = await openPage();
  await page.selectOption("[data-testid=normalisation]", "z_score");
  const geometric = page.locator("[data-testid=aggregation] option[value=geometric_mean]");
  assert.equal(await geometric.isDisabled(), true);
  assert.match(await geometric.textContent(), /not with these data/);
  assert.match(await geometric.getAttribute("title"), /geometric/i);
  assert.match(await page.locator("[data-testid=methods-note]").textContent(), /geometric mean: /);
  // The ranking is the z-score one, and there is no error.
  assert.equal((await displayedRanking(page)).length, 28);
  assert.ok(await page.locator("[data-testid=error]").isHidden());
  await page.close();
});

test("a failure never leaves stale results on screen", async () => {
  const { page } = await openPage();
  // A framework whose only data cannot be scored by a geometric mean (a zero) — the failure
  // happens on a slider move, after a good ranking was drawn.
  const framework = { nodes: [{ id: "index", children: [{ id: "a" }, { id: "b" }] }] };
  await page.setInputFiles("[data-testid=files]", [
    { name: "f.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(framework)) },
    { name: "d.csv", mimeType: "text/csv", buffer: Buffer.from("uCode,a,b\nx,1,3\ny,2,1\nz,3,2\n") },
  ]);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=ranking] tbody tr").length === 3);
  await page.evaluate(() => {
    const select = document.querySelector("[data-testid=aggregation]");
    for (const o of select.options) o.disabled = false;
    select.value = "geometric_mean";
    document.querySelector("[data-testid=normalisation]").value = "z_score";
    select.dispatchEvent(new Event("change"));
  });
  await page.waitForSelector("[data-testid=error]:not([hidden])");
  assert.equal((await displayedRanking(page)).length, 0, "the old ranking is gone");
  await page.close();
});

test("names, shares, rank moves, reset, the keyboard and a shareable URL", async () => {
  const { page } = await openPage();
  const rows = await displayedRanking(page);
  assert.deepEqual(rows[0], ["1", "Finland", "69.60", "="]);
  assert.deepEqual(rows.at(-1).slice(0, 2), ["–", "European Union"]);
  assert.equal(await page.locator("[data-share=HC]").textContent(), "25.0 %");
  await page.locator("[data-testid=weight-HC]").fill("3");
  assert.equal(await page.locator("[data-share=HC]").textContent(), "80.0 %");
  const moved = await displayedRanking(page);
  assert.ok(moved.some((r) => r[3].startsWith("▲")) && moved.some((r) => r[3].startsWith("▼")), "rank moves against the published ranking");
  // The view is in the URL: opening it again shows the same ranking.
  const url = page.url();
  assert.match(url, /#framework=desi-2022&period=2022&normalisation=recipe&aggregation=arithmetic_mean&weights=HC%3A3/);
  const again = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await again.goto(url);
  await again.waitForSelector("body[data-ready=true]");
  assert.deepEqual(await displayedRanking(again), moved);
  await again.close();
  // Reset: the framework's own weights and the published ranking.
  await page.click("[data-testid=reset]");
  assert.deepEqual(await displayedRanking(page), rows);
  // The keyboard moves a slider too.
  await page.focus("[data-testid=weight-DPS]");
  for (let k = 0; k < 30; k++) await page.keyboard.press("ArrowRight");
  assert.notDeepEqual(await displayedRanking(page), rows);
  await page.close();
});

test("the embedded frameworks: bands for a banded one; one without data scored from its filled template", async () => {
  const { page } = await openPage();
  await page.selectOption("[data-testid=builtin]", "un-egdi");
  await page.waitForFunction(() => document.querySelector("#ranking-head").textContent.includes("band"));
  const rows = await displayedRanking(page);
  assert.deepEqual(rows[0].slice(0, 2), ["1", "Denmark"]);
  assert.equal(rows[0][3], "very high");
  await page.screenshot({ path: join(artefacts, "what-if-egdi.png") });
  // A framework without data: the page asks for its filled template, then scores the cities in it.
  await page.selectOption("[data-testid=builtin]", "usercentricities-2022");
  assert.match(await page.locator("[data-testid=source]").textContent(), /ships no sample data: fill in its template/);
  assert.equal((await displayedRanking(page)).length, 0, "no stale ranking");
  const ids = await page.evaluate(() => [...document.querySelectorAll("[data-node]")].map((e) => e.dataset.node));
  assert.deepEqual(ids, ["1", "2", "3"]);
  const header = "1.1,1.2,1.3,2.1,2.2,2.3,2.4,2.5,2.6,3.1,3.2,3.3";
  const filled = `# a filled template\nuCode,uName,${header}\nTLL,Tallinn,${Array(12).fill(0.75).join(",")}\nLIS,Lisbon,${Array(12).fill(0.5).join(",")}\n`;
  await page.setInputFiles("[data-testid=files]", { name: "filled.csv", mimeType: "text/csv", buffer: Buffer.from(filled) });
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=ranking] tbody tr").length === 2);
  assert.deepEqual((await displayedRanking(page)).map((r) => r.slice(0, 2)), [["1", "Tallinn"], ["2", "Lisbon"]]);
  await page.close();
});

test("the page at phone width: nothing off-screen", async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${base}/demo/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow} px wide`);
  const box = await page.locator("[data-testid=bars]").boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `bars at ${box.x}+${box.width}`);
  await page.screenshot({ path: join(artefacts, "what-if-phone.png"), fullPage: true });
  await page.close();
});

test("an invalid framework dropped in shows the error, the page stays", async () => {
  const { page } = await openPage();
  const rowsBefore = await displayedRanking(page);
  await page.setInputFiles("[data-testid=files]", {
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ nodes: [{ id: "index", children: [{ id: "a" }, { id: "a" }] }] })),
  });
  await page.waitForSelector("[data-testid=error]:not([hidden])");
  const message = await page.locator("[data-testid=error]").textContent();
  assert.match(message, /`a`/);
  assert.match(message, /framework\./);
  assert.deepEqual(await displayedRanking(page), rowsBefore, "the ranking is still there");
  await page.screenshot({ path: join(artefacts, "invalid-framework.png"), fullPage: true });
  await page.close();
});

test("a framework and CSV data dropped in are scored", async () => {
  const { page } = await openPage();
  const framework = { nodes: [{ id: "index", children: [{ id: "a" }, { id: "b", direction: -1 }] }] };
  await page.setInputFiles("[data-testid=files]", [
    { name: "f.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(framework)) },
    { name: "d.csv", mimeType: "text/csv", buffer: Buffer.from("uCode,a,b\nx,1,3\ny,2,1\nz,3,2\n") },
  ]);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=ranking] tbody tr").length === 3);
  const rows = await displayedRanking(page);
  assert.equal(rows[0][1], "y");
  await page.close();
});

test("chromium is where the test script installs it", () => assert.ok(existsSync(browserPath), browserPath));
