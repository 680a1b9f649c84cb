// The CLI's HTML report in headless Chromium: the charts are drawn (non-empty SVGs) and a
// screenshot is saved in artefacts/. The binary is the one `cargo test --workspace` built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const binary = join(root, "target", "debug", "cityindex");
const artefacts = join(here, "artefacts");

test("the report draws its charts", { skip: !existsSync(binary) && "build the CLI first" }, async () => {
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
    assert.equal(await page.locator("#ranking tbody tr").count(), 28);
    assert.ok((await page.locator("#tree li").count()) > 40);
    assert.deepEqual(requests, [], "no network");
    await page.screenshot({ path: join(artefacts, "report.png"), fullPage: true });
  } finally {
    await browser.close();
  }
});
