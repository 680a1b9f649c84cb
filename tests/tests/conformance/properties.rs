//! Properties that hold for any input (proptest): permutation equivariance, bounds,
//! monotonicity, scale invariance, framework round trips, and the uncertainty engine's
//! replicates against the plain pipeline.

use cityindex::framework::{Direction, Goalposts, NodeKind};
use cityindex::uncertainty::{UncertaintySpec, run_uncertainty};
use cityindex::{Dataset, Framework, Node, Recipe, Unit};
use proptest::prelude::*;

use super::uncertainty::drawn_recipe;

/// Two pillars of two indicators each under one index.
fn framework(weights: &[f64; 6]) -> Framework {
    Framework::new(vec![
        Node::aggregate("index", None),
        Node::aggregate("p1", Some("index")).with_weight(weights[0]),
        Node::aggregate("p2", Some("index")).with_weight(weights[1]),
        Node::indicator("a", Some("p1")).with_weight(weights[2]),
        Node::indicator("b", Some("p1")).with_weight(weights[3]),
        Node::indicator("c", Some("p2")).with_weight(weights[4]),
        Node::indicator("d", Some("p2")).with_weight(weights[5]),
    ])
    .unwrap()
}

fn dataset(rows: &[[f64; 4]]) -> Dataset<'static> {
    let units = (0..rows.len())
        .map(|r| Unit::new(&format!("u{r}")))
        .collect();
    let columns = ["a", "b", "c", "d"]
        .iter()
        .enumerate()
        .map(|(j, id)| ((*id).to_owned(), rows.iter().map(|row| row[j]).collect()))
        .collect();
    Dataset::new(units, columns).unwrap()
}

/// Values on a grid (so distinct values stay distinct after scaling), some missing, and every
/// column with at least two distinct present values.
fn rows(missing: bool) -> impl Strategy<Value = Vec<[f64; 4]>> {
    let cell = if missing {
        prop_oneof![9 => (0..40i32).prop_map(|v| f64::from(v) / 4.0), 1 => Just(f64::NAN)].boxed()
    } else {
        (0..40i32).prop_map(|v| f64::from(v) / 4.0).boxed()
    };
    prop::collection::vec(prop::array::uniform4(cell), 3..14).prop_filter("columns vary", |rows| {
        (0..4).all(|j| {
            let mut present = rows.iter().map(|r| r[j]).filter(|v| !v.is_nan());
            let first = present.next();
            present.any(|v| Some(v) != first)
        })
    })
}

fn weights() -> impl Strategy<Value = [f64; 6]> {
    prop::array::uniform6(0.1..10.0f64)
}

const MEAN_RECIPES: [&str; 4] = [
    "{}",
    r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100}}, "aggregate": {"default": {"method": "geometric_mean"}}}"#,
    r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100}}, "aggregate": {"default": {"method": "harmonic_mean"}}}"#,
    r#"{"normalise": {"default": {"method": "min_max"}}, "aggregate": {"default": {"method": "generalised_mean", "p": 2}}}"#,
];

/// Normalisations whose statistics do not depend on row order (min, max, ranks), so results
/// are bit-identical under any permutation.
const ORDER_FREE_RECIPES: [&str; 6] = [
    "{}",
    r#"{"normalise": {"default": {"method": "rank"}}}"#,
    r#"{"normalise": {"default": {"method": "borda"}}, "rank": {"ties": "average"}}"#,
    r#"{"normalise": {"default": {"method": "distance_to_max"}}, "rank": {"ties": "max"}}"#,
    r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100}}, "aggregate": {"levels": {"3": {"method": "geometric_mean"}}}}"#,
    r#"{"aggregate": {"default": {"method": "arithmetic_mean"}, "availability_threshold": 0.6}, "rank": {"ties": "dense"}}"#,
];

/// Recipes around the uncertainty analysis: the defaults, an availability threshold, other tie
/// rules.
const UNCERTAIN_RECIPES: [&str; 3] = [
    "{}",
    r#"{"aggregate": {"availability_threshold": 0.6}, "rank": {"ties": "average"}}"#,
    r#"{"rank": {"ties": "first"}}"#,
];

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

proptest! {
    #[test]
    fn permuting_units_permutes_scores_and_ranks(
        rows in rows(true),
        w in weights(),
        recipe in 0..ORDER_FREE_RECIPES.len(),
        seed in any::<u64>(),
    ) {
        let n = rows.len();
        let mut perm: Vec<usize> = (0..n).collect();
        // A deterministic shuffle from the seed (Fisher–Yates with a xorshift).
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let fw = framework(&w);
        let recipe = Recipe::from_json(ORDER_FREE_RECIPES[recipe]).unwrap();
        let data = dataset(&rows);
        let shuffled = data.select_rows(&perm);
        let a = cityindex::score(&fw, &data, &recipe).unwrap();
        let b = cityindex::score(&fw, &shuffled, &recipe).unwrap();
        for node in ["a", "b", "c", "d", "p1", "p2", "index"] {
            let pick = |v: &[f64]| perm.iter().map(|&r| v[r]).collect::<Vec<_>>();
            prop_assert!(same_bits(&pick(a.score(node).unwrap()), b.score(node).unwrap()), "{node}");
            prop_assert!(same_bits(&pick(a.rank(node).unwrap()), b.rank(node).unwrap()), "{node}");
        }
    }

    #[test]
    fn copeland_without_missing_values_is_permutation_equivariant(
        rows in rows(false),
        w in weights(),
        seed in any::<u64>(),
    ) {
        let n = rows.len();
        let perm: Vec<usize> = (0..n).map(|i| (i + (seed as usize % n)) % n).collect();
        let fw = framework(&w);
        let recipe = Recipe::from_json(r#"{"aggregate": {"default": {"method": "copeland"}}}"#).unwrap();
        let data = dataset(&rows);
        let a = cityindex::score(&fw, &data, &recipe).unwrap();
        let b = cityindex::score(&fw, &data.select_rows(&perm), &recipe).unwrap();
        let pick = |v: &[f64]| perm.iter().map(|&r| v[r]).collect::<Vec<_>>();
        prop_assert!(same_bits(&pick(a.score("index").unwrap()), b.score("index").unwrap()));
    }

    #[test]
    fn min_max_lies_in_its_bounds(rows in rows(true), lo in -100.0..100.0f64, span in 0.001..1000.0f64) {
        let hi = lo + span;
        let recipe = Recipe::from_json(&format!(
            r#"{{"normalise": {{"default": {{"method": "min_max", "lo": {lo}, "hi": {hi}}}}}}}"#
        )).unwrap();
        let scores = cityindex::score(&framework(&[1.0; 6]), &dataset(&rows), &recipe).unwrap();
        for node in ["a", "b", "c", "d", "p1", "p2", "index"] {
            for &v in scores.score(node).unwrap() {
                prop_assert!(v.is_nan() || (lo..=hi).contains(&v), "{node}: {v} outside [{lo}, {hi}]");
            }
        }
    }

    /// Raising one value of a positive indicator never lowers that unit's scores. In exact
    /// arithmetic the scores never fall; in floating point a mean may round differently once the
    /// column's minimum or maximum moves, hence the 1e-9 allowance on a 0–100 scale.
    #[test]
    fn raising_an_indicator_never_lowers_the_unit(
        rows in rows(true),
        w in weights(),
        recipe in 0..MEAN_RECIPES.len(),
        unit in any::<prop::sample::Index>(),
        column in 0..4usize,
        raise in 0.25..20.0f64,
    ) {
        let r = unit.index(rows.len());
        prop_assume!(!rows[r][column].is_nan());
        let mut raised = rows.clone();
        raised[r][column] += raise;
        let fw = framework(&w);
        let recipe = Recipe::from_json(MEAN_RECIPES[recipe]).unwrap();
        let before = cityindex::score(&fw, &dataset(&rows), &recipe).unwrap();
        let after = cityindex::score(&fw, &dataset(&raised), &recipe).unwrap();
        for node in ["p1", "p2", "index"] {
            let (b, a) = (before.score(node).unwrap()[r], after.score(node).unwrap()[r]);
            prop_assert!(b.is_nan() || a >= b - 1e-9, "{node}: {b} -> {a}");
        }
    }

    #[test]
    fn scaling_a_column_leaves_min_max_and_rank_unchanged(
        rows in rows(true),
        column in 0..4usize,
        factor in 0.01..1000.0f64,
    ) {
        let mut scaled = rows.clone();
        for row in &mut scaled {
            row[column] *= factor;
        }
        let fw = framework(&[1.0; 6]);
        for recipe in ["{}", r#"{"normalise": {"default": {"method": "rank"}}}"#] {
            let recipe = Recipe::from_json(recipe).unwrap();
            let a = cityindex::score(&fw, &dataset(&rows), &recipe).unwrap();
            let b = cityindex::score(&fw, &dataset(&scaled), &recipe).unwrap();
            for node in ["a", "b", "c", "d", "index"] {
                let (x, y) = (a.score(node).unwrap(), b.score(node).unwrap());
                for (p, q) in x.iter().zip(y) {
                    prop_assert!((p.is_nan() && q.is_nan()) || (p - q).abs() <= 1e-9, "{node}: {p} vs {q}");
                }
                // Indicator ranks are preserved exactly. An aggregate's exact ties between
                // different units may round apart once a column is rescaled, so its ranks are
                // compared for units without a near tie.
                let (ra, rb) = (a.rank(node).unwrap(), b.rank(node).unwrap());
                for r in 0..x.len() {
                    let near_tie = (0..x.len()).any(|q| q != r && (x[q] - x[r]).abs() <= 1e-9);
                    if node.len() == 1 || !near_tie {
                        prop_assert!(ra[r].to_bits() == rb[r].to_bits(), "{node}: unit {r}");
                    }
                }
            }
        }
    }

    #[test]
    fn units_in_rank_order_are_those_of_a_stable_sort_by_rank(
        rows in rows(true),
        w in weights(),
        recipe in 0..ORDER_FREE_RECIPES.len(),
    ) {
        let recipe = Recipe::from_json(ORDER_FREE_RECIPES[recipe]).unwrap();
        let scores = cityindex::score(&framework(&w), &dataset(&rows), &recipe).unwrap();
        for node in ["index", "p1", "a"] {
            let rank = scores.rank(node).unwrap();
            let mut want: Vec<usize> = (0..rank.len()).collect();
            // Missing ranks last; otherwise by rank; ties in data order (a stable sort).
            want.sort_by(|&a, &b| {
                rank[a].is_nan().cmp(&rank[b].is_nan()).then(rank[a].total_cmp(&rank[b]))
            });
            prop_assert_eq!(scores.order(node).unwrap(), want, "{}", node);
        }
    }

    /// The uncertainty engine's shortcuts (cached normalisations, geometric means from cached
    /// logarithms and ranked without `exp`, weights applied in place) give what the plain
    /// pipeline gives: every replicate's ranks on every node are those of `score` with the
    /// recipe the replicate drew, bit for bit, and a replicate fails exactly when `score` does.
    #[test]
    fn every_replicate_is_the_pipeline_with_its_drawn_recipe(
        rows in rows(true),
        w in weights(),
        recipe in 0..UNCERTAIN_RECIPES.len(),
        seed in any::<u64>(),
    ) {
        let (fw, data) = (framework(&w), dataset(&rows));
        let recipe = Recipe::from_json(UNCERTAIN_RECIPES[recipe]).unwrap();
        let spec = UncertaintySpec::from_json(&format!(
            r#"{{"replicates": 12, "seed": {seed}, "weights": {{"fraction": 0.4}},
                "nodes": ["index", "p1", "p2"], "choices": [
                {{"stage": "normalise", "options": [{{"method": "min_max", "lo": 1, "hi": 100}},
                    {{"method": "min_max"}}, {{"method": "rank"}},
                    {{"method": "z_score", "mean": 10, "sd": 2, "floor": 0.01}}]}},
                {{"stage": "aggregate", "options": [{{"method": "arithmetic_mean"}},
                    {{"method": "geometric_mean"}}]}}]}}"#
        )).unwrap();
        let result = run_uncertainty(&fw, &data, &recipe, &spec, &|_, _| true).unwrap();
        for (r, record) in result.replicates.iter().enumerate() {
            let drawn = drawn_recipe(&fw, &recipe, &spec, &result.perturbed, record);
            match cityindex::score(&fw, &data, &drawn) {
                Ok(scores) => {
                    prop_assert!(record.failure.is_none(), "{r}: {:?}", record.failure);
                    for (k, node) in result.nodes.iter().enumerate() {
                        prop_assert!(same_bits(&result.ranks[k][r], scores.rank(node).unwrap()), "{r} {node}");
                    }
                }
                Err(e) => prop_assert!(record.failure.is_some(), "{r}: the pipeline failed ({e})"),
            }
        }
    }

    #[test]
    fn frameworks_round_trip_through_json_and_the_table(tree in random_framework()) {
        let doc = tree.to_document();
        let from_json = Framework::from_json(&tree.to_json()).unwrap();
        prop_assert_eq!(&from_json.to_document(), &doc);
        let from_table = Framework::from_table_csv(tree.to_table_csv().as_bytes()).unwrap();
        prop_assert_eq!(&from_table.to_document(), &doc);
    }
}

/// A random tree: node i > 0 hangs under an earlier node; nodes left without children are
/// indicators with random metadata.
fn random_framework() -> impl Strategy<Value = Framework> {
    (2..30usize)
        .prop_flat_map(|n| {
            (
                (1..n).map(|i| 0..i).collect::<Vec<_>>(),
                prop::collection::vec(
                    (
                        0.0..10.0f64,
                        any::<bool>(),
                        prop::option::of(-1e6..1e6f64),
                        prop::option::of((-1e3..0.0f64, 1.0..1e3f64)),
                        "[a-zA-Z ,\"é]{0,12}",
                    ),
                    n,
                ),
            )
        })
        .prop_map(|(parents, meta)| {
            let n = meta.len();
            let has_children: Vec<bool> = (0..n).map(|i| parents.contains(&i)).collect();
            let nodes = (0..n)
                .map(|i| {
                    let id = format!("n{i}");
                    let parent = (i > 0).then(|| format!("n{}", parents[i - 1]));
                    let (weight, negative, target, posts, ref name) = meta[i];
                    let mut node = if has_children[i] {
                        Node::aggregate(&id, parent.as_deref())
                    } else {
                        Node::indicator(&id, parent.as_deref())
                    };
                    node.weight = weight + 0.5;
                    // Table cells are read trimmed, so names are generated trimmed.
                    if !name.trim().is_empty() {
                        name.trim().clone_into(&mut node.name);
                    }
                    if let NodeKind::Indicator(ind) = &mut node.kind {
                        ind.direction = if negative {
                            Direction::Negative
                        } else {
                            Direction::Positive
                        };
                        ind.target = target;
                        ind.goalposts = posts.map(|(min, max)| Goalposts { min, max });
                    }
                    node
                })
                .collect();
            Framework::new(nodes).unwrap()
        })
}
