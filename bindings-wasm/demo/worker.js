// Runs an uncertainty analysis off the page's thread, so the page can draw its progress.
import init, * as ci from "../pkg/web/cityindex_wasm.js";

const ready = init();

onmessage = async ({ data: { framework, data, recipe, spec } }) => {
  await ready;
  try {
    const ua = ci.uncertainty(framework, data, recipe, spec, (done, total) => {
      postMessage({ progress: [done, total] });
    });
    const node = ua.nodes[0];
    postMessage({ node, intervals: ua.intervals(node), convergence: ua.convergence(node), failed: ua.failed });
    ua.free();
  } catch (error) {
    postMessage({ error: { message: error.message, code: error.code } });
  }
};
