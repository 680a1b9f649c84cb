// The CLI's HTML report in headless Chromium: its sections (summary, ranking with bands and
// moves, a profile per unit, a comparison, the methodology) and charts are there, it asks for
// nothing over the network, and it prints to a clean PDF: Chromium's print to PDF, each page
// rendered to PNG (poppler's pdftoppm) and checked not blank. Screenshots and pages are saved in
// artefacts/. The binary is the one `cargo test --workspace` built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const binary = join(root, "target", "debug", "cityindex");
const artefacts = join(here, "artefacts");

test("the report shows what a city's team needs and prints to PDF", { skip: !existsSync(binary) && "build the CLI first" }, async () => {
  mkdirSync(artefacts, { recursive: true });
  const out = join(artefacts, "report.html");
  execFileSync(binary, ["report", "desi-2022", "--n", "200", "--out", out], { stdio: ["ignore", "ignore", "ignore"] });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests = [];
    page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    await page.goto(pathToFileURL(out).href);
    for (const [id, shape, count] of [["bars", "rect", 28], ["intervals", "line", 27], ["heatmap", "rect", 33 * 33]]) {
      assert.equal(await page.locator(`#${id} ${shape}`).count(), count, id);
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box.width > 100 && box.height > 100, `${id} has a size`);
    }
    // The summary: leaders, movers, the EU as an aggregate, progress towards the 2030 targets.
    assert.match(await page.locator("#leaders").textContent(), /IndexFinland 69.6Denmark/);
    assert.match(await page.locator("#movers").textContent(), /Movers 2017–2022/);
    assert.match(await page.locator("#summary").textContent(), /European Union.*An aggregate, not ranked/s);
    assert.equal(await page.locator("#targets tbody tr").count(), 9);
    // The ranking: 27 ranked, the EU unranked last, dimension columns, rank moves.
    assert.equal(await page.locator("#ranking tbody tr").count(), 28);
    assert.deepEqual(await page.locator("#ranking thead th").allTextContents(), ["rank", "unit", "score", "move", "HC", "CN", "IDT", "DPS"]);
    assert.match(await page.locator("#ranking tbody tr").last().textContent(), /^–European Union/);
    // A profile per unit, the comparison, the methodology.
    assert.equal(await page.locator(".profile").count(), 28);
    assert.match(await page.locator("#profile-RO").textContent(), /rank 27 of 27.*Strengths:.*Rank interval.*2017→2022/s);
    assert.equal(await page.locator("#comparison tbody tr").count(), 5);
    assert.ok((await page.locator("#tree li").count()) > 40);
    assert.match(await page.locator("#recipe").textContent(), /"goalposts"/);
    assert.deepEqual(requests, [], "no network");
    await page.screenshot({ path: join(artefacts, "report.png"), fullPage: true });
    // Print to PDF, render every page, and look: pages with ink on them, not blank ones.
    const pdf = join(artefacts, "report.pdf");
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    for (const f of readdirSync(artefacts).filter((f) => f.startsWith("report-page"))) rmSync(join(artefacts, f));
    execFileSync("pdftoppm", ["-png", "-r", "40", pdf, join(artefacts, "report-page")]);
    const pages = readdirSync(artefacts).filter((f) => f.startsWith("report-page")).sort();
    assert.ok(pages.length >= 6 && pages.length <= 30, `${pages.length} pages`);
    for (const p of pages) assert.ok(statSync(join(artefacts, p)).size > 3000, `${p} is not blank`);
  } finally {
    await browser.close();
  }
});
