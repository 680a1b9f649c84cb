//! Framework → data → recipe → score → analyse → a small uncertainty run, every number chosen
//! by the fuzzer with extreme magnitudes (1e-310 … 1.7e308, mixed signs) and every parameter
//! from the methods' ranges: the oracle of `cityindex_fuzz` on each result.
#![no_main]
use cityindex::analysis::{AnalysisOptions, analyse};
use cityindex::uncertainty::{UncertaintySpec, run_uncertainty};
use cityindex::{Dataset, Framework, Node, Recipe, Unit};
use cityindex_fuzz::{Bytes, check_code, check_scores};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let mut nodes = vec![
        Node::aggregate("index", None),
        Node::aggregate("p1", Some("index")).with_weight(b.number().abs()),
        Node::aggregate("p2", Some("index")).with_weight(b.number().abs()),
    ];
    let ids = ["a", "b", "c", "d"];
    for (k, id) in ids.iter().enumerate() {
        let mut node = Node::indicator(id, Some(if k < 2 { "p1" } else { "p2" }))
            .with_weight(b.number().abs());
        if let cityindex::framework::NodeKind::Indicator(meta) = &mut node.kind {
            if b.byte() % 2 == 0 {
                meta.direction = cityindex::Direction::Negative;
            }
            if b.byte() % 2 == 0 {
                meta.goalposts = Some(cityindex::framework::Goalposts {
                    min: b.number(),
                    max: b.number(),
                });
            }
        }
        nodes.push(node);
    }
    let framework = match Framework::new(nodes) {
        Err(e) => return check_code(&e.into()),
        Ok(f) => f,
    };
    let n = 2 + usize::from(b.byte() % 10);
    let units = (0..n).map(|r| Unit::new(&format!("u{r}"))).collect();
    let columns = ids
        .iter()
        .map(|id| {
            let x = (0..n)
                .map(|_| {
                    if b.byte() % 7 == 0 {
                        f64::NAN
                    } else {
                        b.number()
                    }
                })
                .collect();
            ((*id).to_owned(), x)
        })
        .collect();
    let dataset = match Dataset::new(units, columns) {
        Err(e) => return check_code(&e.into()),
        Ok(d) => d,
    };
    let p = b.number();
    let normalisations = [
        json!({"method": "min_max", "lo": b.number(), "hi": b.number()}),
        json!({"method": "z_score", "mean": b.number(), "sd": b.number()}),
        json!({"method": "goalposts", "min": b.number(), "max": b.number(), "clamp": false, "scale": b.number()}),
        json!({"method": "none"}),
        json!({"method": "fraction_of_max"}),
        json!({"method": "distance_to_max"}),
        json!({"method": "rank"}),
        json!({"method": "percentile_rank"}),
    ];
    let aggregations = [
        json!({"method": "arithmetic_mean"}),
        json!({"method": "geometric_mean"}),
        json!({"method": "harmonic_mean"}),
        json!({"method": "generalised_mean", "p": p}),
        json!({"method": "copeland"}),
        json!({"method": "topsis"}),
    ];
    let ties = ["min", "max", "average", "dense", "first"];
    let mut recipe = json!({
        "normalise": {"default": b.pick(&normalisations)},
        "aggregate": {"default": b.pick(&aggregations)},
        "rank": {"ties": b.pick(&ties)},
    });
    if b.byte() % 3 == 0 {
        recipe["prepare"] = json!([{"step": "treat", "default": {"fallback": {"method": "box_cox", "lambda": b.number()}}}]);
    }
    let recipe = match Recipe::from_json(&recipe.to_string()) {
        Err(e) => return check_code(&e.into()),
        Ok(r) => r,
    };
    let scores = match cityindex::score(&framework, &dataset, &recipe) {
        Err(e) => return check_code(&e),
        Ok(s) => s,
    };
    check_scores(
        &scores,
        &framework,
        &dataset,
        recipe.rank.ties,
        !recipe.prepare.is_empty(),
    );
    // Analyses: correlations within [−1, 1] or missing, α at most 1 or missing, effective
    // weights finite; never an infinity.
    let analysis = analyse(&framework, &dataset, &scores, AnalysisOptions::default());
    for r in analysis.correlations.values.iter().flatten() {
        assert!(r.is_nan() || r.abs() <= 1.0 + 1e-12, "correlation {r}");
    }
    for g in &analysis.consistency {
        assert!(
            g.alpha.is_nan() || (g.alpha.is_finite() && g.alpha <= 1.0 + 1e-12),
            "alpha {}",
            g.alpha
        );
    }
    assert!(
        analysis
            .effective_weights
            .iter()
            .all(|(_, w)| w.is_finite())
    );
    let spec = UncertaintySpec::from_json(
        &json!({"replicates": 3, "seed": b.byte(), "weights": {"fraction": 0.5},
                "exclude_indicator": b.byte() % 2 == 0})
        .to_string(),
    )
    .unwrap();
    match run_uncertainty(&framework, &dataset, &recipe, &spec, &|_, _| true) {
        Err(e) => check_code(&e),
        Ok(result) => {
            for replicate in &result.ranks[0] {
                assert!(
                    replicate
                        .iter()
                        .all(|r| r.is_nan() || (1.0..=n as f64).contains(r))
                );
            }
        }
    }
});
