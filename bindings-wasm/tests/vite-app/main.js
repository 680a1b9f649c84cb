// The README's browser snippet: cityindex from npm in an app a bundler (Vite) builds.
import init, * as ci from "cityindex";
import initAnalysis, * as ca from "cityindex/analysis";

await init(); // fetches the module next to the bundle
const { framework, data, recipe } = ci.builtin("egov-benchmark-2023");
const result = ci.score(framework, data, recipe);
const top = framework.nodes[0].id;
document.querySelector("#ranking").innerHTML = result
  .ranking(top)
  .slice(0, 5)
  .map((r) => `<li>${r.unit} ${r.score.toFixed(1)}</li>`)
  .join("");

await initAnalysis();
const { ranks } = ca.mcda({ method: "topsis" }, [[42.5, 0.71], [28.1, 0.64], [65.3, 0.88]], [0.5, 0.5], [1, 1]);
document.querySelector("#topsis").textContent = `TOPSIS ranks: ${Array.from(ranks).join(", ")}`;
document.body.dataset.ready = "true";
