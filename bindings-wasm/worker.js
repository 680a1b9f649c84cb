// A Web Worker entry point (`cityindex/worker`): runs the package's functions off the page's
// thread, so a page stays responsive while a large data set is scored or an uncertainty analysis
// runs. Messages in: {id, fn, args}; out: {id, result}, {id, error: {code, message}}, and for
// `uncertainty` {id, progress: [done, total]} as it goes.
//
//   const worker = new Worker(new URL("cityindex/worker", import.meta.url), { type: "module" });
//   worker.postMessage({ id: 1, fn: "score", args: [framework, data, recipe] });
//   worker.onmessage = ({ data }) => console.log(data.id, data.result ?? data.error);
//
// Results cross to the page as plain data: a scored result as its `toJSON()` document, an
// uncertainty analysis as its nodes' rank intervals and convergence.
import init, * as ci from "./web/cityindex_wasm.js";

const ready = init();

function plain(fn, result) {
  if (fn === "uncertainty") {
    const nodes = result.nodes;
    const out = {
      nodes,
      failed: result.failed,
      intervals: Object.fromEntries(nodes.map((n) => [n, result.intervals(n)])),
      convergence: Object.fromEntries(nodes.map((n) => [n, result.convergence(n)])),
    };
    result.free();
    return out;
  }
  if (result && typeof result.toJSON === "function") {
    const doc = result.toJSON();
    result.free?.();
    return doc;
  }
  return result;
}

self.onmessage = async ({ data: { id, fn, args = [] } }) => {
  await ready;
  try {
    if (typeof ci[fn] !== "function" || fn === "default" || fn === "initSync") {
      throw Object.assign(new Error(`cityindex has no function \`${fn}\``), { code: "data.invalid_input" });
    }
    const call =
      fn === "uncertainty"
        ? [...args.slice(0, 4), (done, total) => (self.postMessage({ id, progress: [done, total] }), true)]
        : args;
    self.postMessage({ id, result: plain(fn, ci[fn](...call)) });
  } catch (error) {
    self.postMessage({ id, error: { code: error.code ?? "internal", message: error.message } });
  }
};
