// Gives the errors wasm-bindgen's generated glue throws for a misused object a stable `code`, as
// every other error of the package has: calling a method after `free()` ("null pointer passed to
// rust") is `object.freed`; using an object while one of its own calls is running (freeing a
// Dataset from a toJSON it is reading) is `object.in_use`. Run by scripts/wasm on both glue files.
import { readFileSync, writeFileSync } from "node:fs";

const from = "throw new Error(getStringFromWasm0(arg0, arg1));";
const helper = `
function misuse(message) {
    const error = new Error(message);
    if (message === "null pointer passed to rust") {
        error.message = "this object was freed (free() was called on it, or a call took it over): make a new one";
        error.code = "object.freed";
    } else if (/borrowed|recursive use of an object/.test(message)) {
        error.message = \`this object is in use by a call that has not returned: \${message}\`;
        error.code = "object.in_use";
    } else {
        error.code = "internal";
    }
    return error;
}
`;

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  if (text.split(from).length !== 2) {
    console.error(`${file}: wasm-bindgen's throw helper was not found exactly once; update patch-glue.mjs`);
    process.exit(1);
  }
  writeFileSync(file, text.replace(from, "throw misuse(getStringFromWasm0(arg0, arg1));") + helper);
}
