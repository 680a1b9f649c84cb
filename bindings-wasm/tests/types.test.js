// The TypeScript definitions (generated from the Rust types by tsify) type-check a program that
// uses the API, and reject a wrong method name and a wrong direction (types/usage.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

test("the .d.ts type-checks the usage example", () => {
  const tsc = join(here, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", join(here, "types", "tsconfig.json")], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
