// The npm package as a web developer gets it: `npm pack` of bindings-wasm/pkg installed into a
// small app (tests/vite-app, whose main.js is the README's browser snippet), built by Vite from
// the npm registry, served and run in headless Chromium; also the package's Web Worker entry
// point, and Node resolving `cityindex` to its CommonJS build through the exports map.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, dirname, extname, normalize } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const artefacts = join(here, "artefacts");
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
let app, server, browser, base;

before(async () => {
  const work = mkdtempSync(join(tmpdir(), "cityindex-vite-"));
  execFileSync("npm", ["pack", join(here, "..", "pkg"), "--pack-destination", work, "--silent"]);
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")));
  app = join(work, "app");
  cpSync(join(here, "vite-app"), app, { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "cityindex-vite-app", private: true, type: "module", dependencies: { cityindex: `file:${tarball}` } }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: app });
  execFileSync(process.execPath, [join(here, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], { cwd: app });
  const root = join(app, "dist");
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    try {
      const body = await readFile(join(path.startsWith("/pkg/") ? join(here, "..") : root, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("the README's browser snippet is the Vite app's code", () => {
  const readme = readFileSync(join(here, "..", "..", "README.md"), "utf8");
  assert.ok(readme.includes(readFileSync(join(here, "vite-app", "main.js"), "utf8").trim()));
});

test("a Vite app built from the packed tarball scores in Chromium", async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${base}/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  assert.deepEqual(errors, []);
  assert.equal(await page.$$eval("#ranking li", (items) => items.length), 5);
  assert.equal(await page.textContent("#topsis"), "TOPSIS ranks: 2, 3, 1");
  mkdirSync(artefacts, { recursive: true });
  await page.screenshot({ path: join(artefacts, "vite-app.png") });
  await page.close();
});

test("the package's Web Worker scores off the main thread", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/index.html`);
  const reply = await page.evaluate(async (url) => {
    const worker = new Worker(url, { type: "module" });
    const ask = (message) =>
      new Promise((resolve) => {
        worker.onmessage = ({ data }) => data.progress || resolve(data);
        worker.postMessage(message);
      });
    const b = await ask({ id: 1, fn: "builtin", args: ["egov-benchmark-2023"] });
    const scored = await ask({ id: 2, fn: "score", args: [b.result.framework, b.result.data, b.result.recipe] });
    const bad = await ask({ id: 3, fn: "nope" });
    worker.terminate();
    return { units: scored.result.units.length, code: bad.error.code };
  }, `${base}/pkg/worker.js`);
  assert.ok(reply.units > 30);
  assert.equal(reply.code, "data.invalid_input");
  await page.close();
});

test("Node resolves the package to its CommonJS build, with one copy of each module", () => {
  const require = createRequire(join(app, "index.js"));
  const ci = require("cityindex");
  assert.equal(typeof ci.score, "function");
  assert.equal(typeof require("cityindex/analysis").mcda, "function");
  const files = readdirSync(join(app, "node_modules", "cityindex", "node"));
  assert.ok(!files.some((f) => f.endsWith(".wasm")), files.join());
});
