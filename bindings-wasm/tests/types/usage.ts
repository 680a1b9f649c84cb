// Compiled by `tsc --noEmit` in the test run: the generated definitions describe the API as
// used here, and reject what they should.
import init, * as ci from "../../pkg/web/cityindex_wasm.js";

export async function example(): Promise<number> {
  await init();
  const framework: ci.FrameworkDocument = {
    nodes: [{ id: "index", children: [{ id: "a" }, { id: "b", direction: -1, weight: 2 }] }],
  };
  const recipe: ci.Recipe = {
    normalise: { default: { method: "min_max", lo: 0, hi: 100 } },
    aggregate: { default: { method: "geometric_mean" } },
    weights: { b: 1 },
    banding: { bands: [{ label: "leader", min: 60 }, { label: "follower" }] },
  };
  const data: ci.DataInput = { units: ["x", "y"], columns: { a: Float64Array.of(1, 2), b: [3, null] } };
  const result: ci.ScoreResult = ci.score(framework, data, recipe);
  const ranks: Float64Array = result.rank("index");
  const dataset: ci.Dataset = new ci.Dataset(data);
  const again: ci.ScoreResult = dataset.score(framework, { weights: { b: 3 } });
  const doc: ci.ScoresDocument = result.toJSON();
  const spec: ci.UncertaintySpec = { replicates: 100, seed: 1, weights: { fraction: 0.2 } };
  const ua = ci.uncertainty(framework, data, recipe, spec, (done: number, total: number) => done < total);
  const quiet: ci.UncertaintyResult = ci.uncertainty(framework, data, recipe, spec);
  const settled: number[] = quiet.convergence("index").median_change;
  const analysis: ci.Analysis = ci.analyse(framework, data, null, { correlation: "spearman" });
  const stages: ci.PreparationStage[] = ci.prepare(framework, data, { prepare: [{ step: "treat" }] });
  const treated: ci.DatasetDocument | undefined = stages.find((s) => s.step === "treat")?.data;
  const report: ci.StepReport | undefined = stages[0]?.report;
  const { framework: desi, data: panel }: { framework: ci.FrameworkDocument; data: ci.DatasetDocument } =
    ci.builtin("desi-2022");
  // @ts-expect-error: an unknown normalisation method is a type error
  const wrong: ci.Normalisation = { method: "min_maxx" };
  // @ts-expect-error: direction is 1 or -1
  const sideways: ci.Direction = 0;
  // @ts-expect-error: progress is called with numbers
  ci.uncertainty(framework, data, recipe, spec, (done: string) => done.length > 0);
  // @ts-expect-error: progress is a function
  ci.uncertainty(framework, data, recipe, spec, 42);
  void [again, doc, ua, quiet, settled, analysis, treated, report, desi, panel, wrong, sideways];
  return ranks[0] + ua.intervals("index").length;
}
