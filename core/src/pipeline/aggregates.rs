//! Aggregates among the units: rows such as the EU or an average, which a data set or a
//! framework marks ([`Unit::aggregate`], [`FrameworkInfo::aggregate_units`]).
//!
//! An aggregate is scored and shown, never ranked, and never counted in what the data
//! determine. The units (the population) are prepared, normalised, aggregated and ranked
//! exactly as they would be without the aggregates: their scores and ranks are the same bits.
//! An aggregate then takes its place against them: its raw values (preparation, which estimates
//! from the units, does not touch them) are normalised with the population's statistics
//! ([`place_column`] says per method what that means), and aggregated as any unit is. Methods
//! that compare units with each other (MCDA and Copeland aggregations, benefit of the doubt,
//! weights derived from the data) have no such place, and are refused.
//!
//! [`FrameworkInfo::aggregate_units`]: crate::framework::FrameworkInfo::aggregate_units

use crate::dataset::{Dataset, Unit};
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::normalise::place_column;
use crate::recipe::Recipe;

/// The rows of `data` that are aggregates: marked so in the data, or named by the framework.
pub(crate) fn aggregate_rows(framework: &Framework, data: &Dataset) -> Vec<usize> {
    let named = &framework.info().aggregate_units;
    data.units()
        .iter()
        .enumerate()
        .filter(|(_, u)| u.aggregate || named.contains(&u.id))
        .map(|(r, _)| r)
        .collect()
}

/// The rows of `data` that are units: all but `aggregates`.
pub(crate) fn unit_rows(data: &Dataset, aggregates: &[usize]) -> Vec<usize> {
    (0..data.n_units())
        .filter(|r| !aggregates.contains(r))
        .collect()
}

/// The data without their aggregates, for the analyses that rank or correlate units
/// (uncertainty, sensitivity, optimised weights); `None` when there are none.
#[must_use]
pub fn without_aggregates(framework: &Framework, data: &Dataset) -> Option<Dataset<'static>> {
    let aggregates = aggregate_rows(framework, data);
    if aggregates.is_empty() {
        return None;
    }
    Some(data.select_rows(&unit_rows(data, &aggregates)))
}

/// Refuses a recipe that compares units with each other when `unit`, an aggregate, is present.
pub(crate) fn refuse_comparisons(
    framework: &Framework,
    recipe: &Recipe,
    unit: &str,
) -> Result<(), ScoreError> {
    let refuse = |method: &'static str| ScoreError::AggregateCompared {
        method,
        unit: unit.to_owned(),
    };
    if !recipe.weighting.is_empty() {
        return Err(refuse("weighting from the data"));
    }
    for (i, node) in framework.nodes().iter().enumerate() {
        if framework.children_of(i).is_empty() {
            continue;
        }
        let method = recipe.aggregation_of(&node.id, framework.level_of(i));
        if method.compares_units() {
            return Err(refuse(method.name()));
        }
    }
    Ok(())
}

/// The rows of `population` and of `placed` (the aggregates), in the order of the data they
/// came from: `(is_aggregate, row)`. Units that preparation screened out are gone.
pub(crate) fn interleave(
    data: &Dataset,
    aggregates: &[usize],
    population: &Dataset,
) -> Vec<(bool, usize)> {
    let kept: std::collections::HashMap<&str, usize> = population
        .units()
        .iter()
        .enumerate()
        .map(|(r, u)| (u.id.as_str(), r))
        .collect();
    let mut placed = 0;
    data.units()
        .iter()
        .enumerate()
        .filter_map(|(r, u)| {
            if aggregates.contains(&r) {
                placed += 1;
                Some((true, placed - 1))
            } else {
                kept.get(u.id.as_str()).map(|&k| (false, k))
            }
        })
        .collect()
}

/// The data set of `rows` (see [`interleave`]): the population's prepared values and the
/// aggregates' raw ones (missing where preparation made a column they lack), the aggregates
/// marked as such.
pub(crate) fn combined(
    population: &Dataset,
    placed: &Dataset,
    rows: &[(bool, usize)],
) -> Result<Dataset<'static>, Error> {
    let units: Vec<Unit> = rows
        .iter()
        .map(|&(aggregate, r)| {
            if aggregate {
                Unit {
                    aggregate: true,
                    ..placed.units()[r].clone()
                }
            } else {
                population.units()[r].clone()
            }
        })
        .collect();
    let ids = population.column_ids().to_vec();
    let mut values = Vec::with_capacity(rows.len() * ids.len());
    for (j, id) in ids.iter().enumerate() {
        let own = population.column_at(j);
        let theirs = placed.column(id);
        values.extend(
            rows.iter()
                .map(|&(aggregate, r)| match (aggregate, theirs) {
                    (false, _) => own[r],
                    (true, Some(column)) => column[r],
                    (true, None) => f64::NAN,
                }),
        );
    }
    Ok(Dataset::from_parts(units, ids, values, Vec::new(), None)?)
}

/// The normalised indicator columns (column-major) of `rows`: the population's from `own`
/// (its normalised columns, column-major, `n` rows), the aggregates' placed against the
/// prepared columns of `reference` (the population, or all its periods when a panel is
/// normalised over every period).
pub(crate) fn normalised(
    framework: &Framework,
    reference: &Dataset,
    (own, n): (&[f64], usize),
    placed: &Dataset,
    rows: &[(bool, usize)],
    recipe: &Recipe,
) -> Result<Vec<f64>, Error> {
    let population = reference;
    let nodes = framework.nodes();
    let mut values = Vec::with_capacity(rows.len() * framework.indicator_positions().len());
    let mut theirs = vec![f64::NAN; placed.n_units()];
    for (j, &i) in framework.indicator_positions().iter().enumerate() {
        let id = &nodes[i].id;
        let reference = population.column(id).unwrap_or_default();
        theirs.fill(f64::NAN);
        if let (Some(meta), Some(x)) = (nodes[i].as_indicator(), placed.column(id)) {
            let method = recipe.normalisation_of(id);
            let usable = !reference.iter().all(|v| v.is_nan()) && !method.lacks_target(meta);
            if usable {
                place_column(method, id, meta, placed.units(), reference, x, &mut theirs)?;
            }
        }
        let column = &own[j * n..(j + 1) * n];
        values.extend(rows.iter().map(
            |&(aggregate, r)| {
                if aggregate { theirs[r] } else { column[r] }
            },
        ));
    }
    Ok(values)
}
