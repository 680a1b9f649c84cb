//! Variance-based sensitivity of an index to its uncertain inputs: Saltelli's design run
//! through the uncertainty engine's model, Sobol indices of COINr's output (the mean absolute
//! rank shift) and of each unit's score.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::Serialize;

use super::UncertaintySpec;
use super::engine::{Model, Progress, REPLICATES_PER_TASK, RunError, Workspace};
use super::sobol::{
    Convergence, SobolIndices, bootstrap_seed, check_design_size, saltelli_design_groups,
    sobol_indices, sobol_indices_and_convergence,
};
use crate::dataset::Dataset;
use crate::error::{Error, MethodError};
use crate::framework::Framework;
use crate::recipe::Recipe;

/// Sobol' sensitivity of the results to each uncertain input of `spec` (its choices, each
/// perturbed weight, the exclusion; inputs in one of `spec.groups` count as one input, varied
/// together, as SALib's groups and COINr's weights): Saltelli's design with `base_points` base points (so
/// `base_points`·(d + 2) pipeline runs), outputs the mean absolute rank shift of `node` over the
/// units and each unit's score on `node`: the indices on both, with the input names and the
/// units ([`Sensitivity`]). Failed runs are an error here: a variance needs every output.
///
/// `progress` is called with (done, total) steps: first each of the runs, then the indices of
/// each output (the rank shift, then every unit), one step each; returning `false` cancels.
///
/// # Errors
/// As [`run_uncertainty`](super::run_uncertainty); a run that fails; [`sobol_indices`]' errors;
/// [`MethodError::Cancelled`].
#[allow(clippy::too_many_arguments)] // the analysis' own settings, each a plain number
pub fn sensitivity(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    node: &str,
    base_points: usize,
    resamples: usize,
    progress: Progress<'_>,
) -> Result<Sensitivity, Error> {
    spec.validate()?;
    let units_only = crate::pipeline::without_aggregates(framework, data);
    let data = units_only.as_ref().unwrap_or(data);
    if base_points < 2 {
        return Err(MethodError::InvalidParameter {
            method: "sensitivity",
            reason: format!("{base_points} base points: Saltelli's design needs at least 2"),
        }
        .into());
    }
    let nominal = crate::score(framework, data, recipe)?;
    let base =
        nominal
            .rank(node)
            .map(<[f64]>::to_vec)
            .ok_or_else(|| MethodError::InvalidParameter {
                method: "sensitivity",
                reason: format!("node `{node}` is not in the framework"),
            })?;
    let mut model = Model::new(framework, data, recipe, spec)?;
    model.align_to(nominal.units());
    let (membership, factor_names) = super::factors(&model.input_names(), &spec.groups)?;
    let d = factor_names.len();
    let n = nominal.units().len();
    check_design_size(d, base_points, 1 + n, resamples)?;
    let points = saltelli_design_groups(&membership, base_points, spec.seed)?;
    let position = framework.position(node).unwrap_or_default();
    let total = points.len() + 1 + n;
    let done = AtomicUsize::new(0);
    let cancelled = AtomicBool::new(false);
    let step = || {
        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
        if !progress(finished, total) {
            cancelled.store(true, Ordering::Relaxed);
        }
    };
    // Runs go to workers in blocks, each block reusing one workspace and ranker.
    let blocks = crate::parallel::blocks(points.len(), REPLICATES_PER_TASK);
    let runs = crate::parallel::map(&blocks, |block| -> Result<Vec<(f64, Vec<f64>)>, Error> {
        let mut work = Workspace::default();
        let mut out = Vec::with_capacity(block.len());
        for u in &points[block.clone()] {
            if cancelled.load(Ordering::Relaxed) {
                break;
            }
            out.push(
                model
                    .shift_and_scores(u, position, &base, nominal.units(), &mut work)
                    .map_err(RunError::into_owned)?,
            );
            step();
        }
        Ok(out)
    });
    let cancel = || -> Error {
        MethodError::Cancelled {
            completed: done.load(Ordering::Relaxed),
        }
        .into()
    };
    let runs = runs
        .into_iter()
        .collect::<Result<Vec<_>, Error>>()
        .map_err(|e| match e {
            // Not a failure of the configuration: the analysis asked for every unit.
            Error::Method(MethodError::UnitDropped { .. }) => e,
            e => MethodError::RunFailed {
                analysis: "sensitivity",
                source: Box::new(e),
            }
            .into(),
        })?;
    if cancelled.load(Ordering::Relaxed) {
        return Err(cancel());
    }
    let runs: Vec<(f64, Vec<f64>)> = runs.into_iter().flatten().collect();
    let indices = |y: &[f64]| -> Result<SobolIndices, Error> {
        let indices = sobol_indices(y, d, resamples, bootstrap_seed(spec.seed))?;
        step();
        if cancelled.load(Ordering::Relaxed) {
            return Err(cancel());
        }
        Ok(indices)
    };
    let shift: Vec<f64> = runs.iter().map(|r| r.0).collect();
    // With their convergence over the first N/8 … N base points: the one output whose
    // convergence is shown (the units' would be as many again).
    let (on_shift, rank_shift_convergence) =
        sobol_indices_and_convergence(&shift, d, resamples, bootstrap_seed(spec.seed))?;
    step();
    if cancelled.load(Ordering::Relaxed) {
        return Err(cancel());
    }
    let per_unit = (0..n)
        .map(|u| indices(&runs.iter().map(|r| r.1[u]).collect::<Vec<f64>>()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Sensitivity {
        inputs: factor_names,
        units: nominal.units().iter().map(|u| u.id.clone()).collect(),
        rank_shift: on_shift,
        rank_shift_convergence,
        per_unit,
    })
}

/// The result of [`sensitivity`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The uncertain inputs: each choice's stage, `weight:<node>` per perturbed weight,
    /// `exclusion`.
    pub inputs: Vec<String>,
    /// The units, in the order of `per_unit` (the nominal scores' units).
    pub units: Vec<String>,
    /// The indices of each input on the mean absolute rank shift of the node over the units.
    pub rank_shift: SobolIndices,
    /// The same from the first N/8, N/4, N/2 and all N base points: indices that still move
    /// between the last two need more base points.
    pub rank_shift_convergence: Convergence,
    /// The indices of each input on each unit's score on the node.
    pub per_unit: Vec<SobolIndices>,
}
