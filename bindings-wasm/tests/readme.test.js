// The README's JavaScript quickstart runs as written, against the Node build of the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

test("README JavaScript quickstart", async () => {
  const readme = readFileSync(join(here, "..", "..", "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > 0);
  const pkg = pathToFileURL(join(here, "..", "pkg", "node", "cityindex.cjs")).href;
  const analysis = pathToFileURL(join(here, "..", "pkg", "analysis", "node", "cityindex_analysis.cjs")).href;
  const code = blocks
    .join("\n")
    .replaceAll('from "cityindex/analysis"', `from "${analysis}"`)
    .replaceAll('from "cityindex"', `from "${pkg}"`);
  const file = join(mkdtempSync(join(tmpdir(), "cityindex-readme-")), "quickstart.mjs");
  writeFileSync(file, code.replaceAll("console.assert(", "assert.ok(").replace(/^/, 'import assert from "node:assert/strict";\n'));
  await import(pathToFileURL(file).href);
});
