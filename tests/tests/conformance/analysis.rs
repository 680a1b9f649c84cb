//! Analysis of COINr's example coin against COINr 1.1.14 (`B_analysis`): statistics,
//! correlations within and between levels, Cronbach's alpha, PCA, effective weights, strengths
//! and weaknesses, to 1e-9 (PCA up to the sign of each component, which is arbitrary).

use std::collections::HashMap;

use cityindex::analysis::{self, CorrelationMethod};
use cityindex::prepare::prepare;
use cityindex::{Dataset, Framework, Recipe, Scores};
use cityindex_tests::{ASEM_EXAMPLE_COIN_RECIPE, Table, asem_framework, fixture, number};

const TOL: f64 = 1e-9;

fn raw() -> Dataset<'static> {
    cityindex_tests::asem_raw_sorted()
}

fn example_coin() -> Scores {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    cityindex::score(&asem_framework(), &raw(), &recipe).unwrap()
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= TOL || (a.is_nan() && b.is_nan()),
        "{what}: {a} vs {b}"
    );
}

fn check_stats(data: &Dataset, file: &str) {
    let framework = asem_framework();
    let ids: Vec<&str> = framework.indicator_ids().collect();
    let columns: Vec<&[f64]> = ids.iter().map(|id| data.column(id).unwrap()).collect();
    let ours: HashMap<String, analysis::IndicatorStats> =
        analysis::indicator_stats(&ids, &columns, analysis::StatsThresholds::default())
            .into_iter()
            .map(|s| (s.indicator.clone(), s))
            .collect();
    let table = Table::read(file);
    assert_eq!(table.rows.len(), 49);
    for row in &table.rows {
        let cell = |name: &str| row[table.col(name)].as_str();
        let s = &ours[cell("iCode")];
        for (name, value) in [
            ("Min", s.min),
            ("Max", s.max),
            ("Mean", s.mean),
            ("Median", s.median),
            ("Std", s.sd),
            ("Skew", s.skew),
            ("Kurt", s.kurtosis),
            ("Frc.Avail", s.share_available),
            ("Frc.NonZero", s.share_nonzero),
            ("Frc.Unique", s.share_unique),
            ("Frc.Same", s.share_same),
        ] {
            close(
                value,
                number(cell(name)),
                &format!("{file} {} {name}", s.indicator),
            );
        }
        for (name, value) in [
            ("N.Avail", s.n_available),
            ("N.NonZero", s.n_nonzero),
            ("N.Unique", s.n_unique),
            ("N.Same", s.n_same),
        ] {
            assert_eq!(
                value.to_string(),
                cell(name),
                "{file} {} {name}",
                s.indicator
            );
        }
        let flag = |low: bool, word: &'static str| if low { word } else { "ok" };
        assert_eq!(flag(s.low_availability, "LOW"), cell("Flag.Avail"));
        assert_eq!(flag(s.low_nonzero, "LOW"), cell("Flag.NonZero"));
        assert_eq!(flag(s.low_unique, "LOW"), cell("Flag.Unique"));
        assert_eq!(
            flag(s.outliers, "OUT"),
            cell("Flag.SkewKurt"),
            "{}",
            s.indicator
        );
    }
}

#[test]
fn indicator_statistics_match_get_stats() {
    check_stats(&raw(), "coinr-asem/B_analysis/B_stats_Raw.csv");
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let treated = prepare(&asem_framework(), &raw(), &recipe.prepare)
        .unwrap()
        .data;
    check_stats(&treated, "coinr-asem/B_analysis/B_stats_Treated.csv");
}

#[test]
fn correlations_between_levels_match_get_corr() {
    let scores = example_coin();
    let framework = asem_framework();
    for (file, lower, upper) in [
        ("B_corr_L1_vs_L2_withparent", 1, 2),
        ("B_corr_L2_vs_L4", 2, 4),
    ] {
        let ours: HashMap<(String, String), f64> = analysis::level_correlations(
            &framework,
            &scores,
            lower,
            upper,
            true,
            CorrelationMethod::Pearson,
        )
        .into_iter()
        .map(|c| ((c.upper, c.lower), c.value))
        .collect();
        let table = Table::read(&format!("coinr-asem/B_analysis/{file}.csv"));
        assert_eq!(ours.len(), table.rows.len(), "{file}");
        for row in &table.rows {
            close(
                ours[&(row[0].clone(), row[1].clone())],
                number(&row[2]),
                file,
            );
        }
    }
}

#[test]
fn correlation_matrix_and_flags_match() {
    let scores = example_coin();
    let table = Table::read("coinr-asem/B_analysis/B_corrmatrix_L1_Normalised.csv");
    let columns: Vec<&[f64]> = table
        .header
        .iter()
        .map(|id| scores.score(id).unwrap())
        .collect();
    let matrix = analysis::correlation_matrix(&columns, CorrelationMethod::Pearson);
    for (i, row) in table.rows.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            close(matrix[i][j], number(cell), "correlation matrix");
        }
    }
    // Flags: pairs within a pillar correlated above 0.75 (COINr rounds to 3 decimals).
    let framework = asem_framework();
    let flags: Vec<(String, String, String, f64)> =
        analysis::correlation_flags(&framework, &scores, 1, 0.75, CorrelationMethod::Pearson)
            .into_iter()
            .map(|f| {
                (
                    f.group,
                    f.first,
                    f.second,
                    (f.value * 1000.0).round() / 1000.0,
                )
            })
            .collect();
    let expected = Table::read("coinr-asem/B_analysis/B_corr_flags_075.csv");
    assert_eq!(flags.len(), expected.rows.len());
    for row in &expected.rows {
        let found = flags.iter().any(|(g, a, b, r)| {
            *g == row[0]
                && ((*a == row[1] && *b == row[2]) || (*a == row[2] && *b == row[1]))
                && (r - number(&row[3])).abs() < 1e-12
        });
        assert!(found, "{row:?} not among {flags:?}");
    }
}

#[test]
fn cronbach_alpha_matches_get_cronbach() {
    let scores = example_coin();
    let framework = asem_framework();
    let under = |node: &str, level: u32| -> Vec<&[f64]> {
        let root = framework.position(node).unwrap();
        (0..framework.len())
            .filter(|&i| framework.level_of(i) == level)
            .filter(|&i| {
                let mut at = i;
                loop {
                    if at == root {
                        return true;
                    }
                    match framework.parent_of(at) {
                        Some(p) => at = p,
                        None => return false,
                    }
                }
            })
            .map(|i| scores.score(&framework.nodes()[i].id).unwrap())
            .collect()
    };
    let table = Table::read("coinr-asem/B_analysis/B_cronbach.csv");
    for (row, (node, level)) in
        table
            .rows
            .iter()
            .zip([("Index", 1), ("Physical", 1), ("Conn", 2), ("Index", 2)])
    {
        close(
            analysis::cronbach_alpha(&under(node, level)),
            number(&row[1]),
            &row[0],
        );
    }
}

/// r and α do not depend on the data's scale, and so stay finite and unchanged where the sums
/// of squares overflow (values near 1e308) or underflow (spreads near 1e-160, subnormal data).
#[test]
fn correlation_and_alpha_are_the_same_at_extreme_magnitudes() {
    let x = [1.0, 2.0, 4.0, 3.0, 7.0];
    let y = [2.0, 1.0, 5.0, 4.0, 6.0];
    let z = [0.5, 1.5, 2.0, 4.0, 3.0];
    let r = analysis::pearson(&x, &y);
    let alpha = analysis::cronbach_alpha(&[&x, &y, &z]);
    for scale in [1e-310, 1e-200, 1e-160, 1e160, 1e300, 2e307] {
        let s = |v: &[f64]| v.iter().map(|a| a * scale).collect::<Vec<_>>();
        let (xs, ys, zs) = (s(&x), s(&y), s(&z));
        let (rs, alphas) = (
            analysis::pearson(&xs, &ys),
            analysis::cronbach_alpha(&[&xs, &ys, &zs]),
        );
        assert!((rs - r).abs() < 1e-10, "r {rs} vs {r} at scale {scale}");
        assert!(
            (alphas - alpha).abs() < 1e-10,
            "α {alphas} vs {alpha} at {scale}"
        );
    }
    // Values spanning the whole range: r is defined and within [−1, 1].
    let wide = [-1.7e308, 1.7e308, 0.0, 1e308, -1e308];
    let r = analysis::pearson(&wide, &y);
    assert!(r.is_finite() && r.abs() <= 1.0, "{r}");
    // A constant column still has no correlation, at any magnitude.
    assert!(analysis::pearson(&[1e-310; 5], &y).is_nan());
    assert!(analysis::pearson(&[1.7e308; 5], &y).is_nan());
    // Constant columns whose mean does not round back to the constant: undefined, not a number
    // made of rounding errors.
    let (a, b) = (
        [-9.999_900_000_999_991e-11; 5],
        [9.999_999_999_999_999e-6; 5],
    );
    assert!(analysis::pearson(&a, &y).is_nan());
    assert!(analysis::cronbach_alpha(&[&a, &b]).is_nan());
}

/// The sign of a principal component is arbitrary: components are compared up to sign.
#[test]
fn pca_matches_prcomp_up_to_sign() {
    let scores = example_coin();
    let rotation = Table::read("coinr-asem/B_analysis/B_PCA_L2_rotation.csv");
    let ids: Vec<&str> = rotation.column("iCode");
    let columns: Vec<&[f64]> = ids.iter().map(|id| scores.score(id).unwrap()).collect();
    let result = analysis::pca(&columns).unwrap();
    let variance = Table::read("coinr-asem/B_analysis/B_PCA_L2_variance.csv");
    for (k, row) in variance.rows.iter().enumerate() {
        close(result.sdev[k], number(&row[1]), "sdev");
        close(
            result.variance_explained[k],
            number(&row[2]),
            "variance explained",
        );
        let theirs: Vec<f64> = rotation.column(&row[0]).into_iter().map(number).collect();
        let sign = if (result.loadings[k][0] - theirs[0]).abs()
            < (result.loadings[k][0] + theirs[0]).abs()
        {
            1.0
        } else {
            -1.0
        };
        for (a, b) in result.loadings[k].iter().zip(&theirs) {
            close(sign * a, *b, &format!("loading {}", row[0]));
        }
    }
    // PCA weights: first-component loadings, per group at level 1 and all together at level 2.
    let framework = asem_framework();
    for (file, level, by_group) in [
        ("B_PCA_weights_L2_all", 2, false),
        ("B_PCA_weights_L1_bygroup", 1, true),
    ] {
        let table = Table::read(&format!("coinr-asem/B_analysis/{file}.csv"));
        let theirs: HashMap<&str, f64> = table
            .rows
            .iter()
            .filter(|r| number(&r[1]) == f64::from(level))
            .map(|r| (r[0].as_str(), number(&r[2])))
            .collect();
        let ours = analysis::pca_weights(&framework, &scores, level, by_group);
        assert_eq!(ours.len(), theirs.len(), "{file}");
        for p in (0..framework.len()).filter(|&i| framework.level_of(i) == level + 1 || !by_group) {
            let group: Vec<&(String, f64)> = ours
                .iter()
                .filter(|(id, _)| {
                    !by_group || framework.parent_of(framework.position(id).unwrap()) == Some(p)
                })
                .collect();
            let Some(first) = group.first() else { continue };
            let sign = if (first.1 - theirs[first.0.as_str()]).abs() < 1e-6 {
                1.0
            } else {
                -1.0
            };
            for (id, w) in group {
                close(sign * w, theirs[id.as_str()], &format!("{file} {id}"));
            }
        }
    }
}

#[test]
fn effective_weights_match_get_eff_weights() {
    let framework = asem_framework();
    let ours: HashMap<String, f64> =
        analysis::effective_weights(&framework, |i| framework.nodes()[i].weight)
            .into_iter()
            .collect();
    let table = Table::read("coinr-asem/B_analysis/B_effective_weights.csv");
    assert_eq!(table.rows.len(), 60);
    for row in &table.rows {
        close(ours[&row[0]], number(&row[3]), &row[0]);
    }
}

/// COINr ranks direction-adjusted raw values, drops indicators where the unit is last, and
/// breaks ties in the order of its iMeta sorted by level and parent.
#[test]
fn strengths_and_weaknesses_match_get_str_weak() {
    let file = std::fs::File::open(fixture("coinr-asem/A_simple/A_iMeta_sorted.csv")).unwrap();
    let framework = Framework::from_table_csv(file).unwrap();
    let (strengths, weaknesses) =
        analysis::strengths_and_weaknesses(&framework, &raw(), "ESP", 5, 5, true).unwrap();
    for (ours, file) in [
        (strengths, "B_strengths_ESP"),
        (weaknesses, "B_weaknesses_ESP"),
    ] {
        let table = Table::read(&format!("coinr-asem/B_analysis/{file}.csv"));
        assert_eq!(ours.len(), table.rows.len());
        for (s, row) in ours.iter().zip(&table.rows) {
            assert_eq!(s.indicator, row[0], "{file}");
            assert_eq!(s.parent.as_deref(), Some(row[2].as_str()));
            assert_eq!(s.rank, number(&row[3]));
            // COINr rounds values to 3 significant figures.
            let magnitude = 10f64.powf(s.value.abs().log10().floor() - 2.0);
            let rounded = if s.value == 0.0 {
                0.0
            } else {
                (s.value / magnitude).round() * magnitude
            };
            assert!(
                (rounded - number(&row[4])).abs() <= 1e-9 * number(&row[4]).abs().max(1.0),
                "{file} {}",
                s.indicator
            );
        }
    }
}

#[test]
fn unit_summary_matches() {
    let scores = example_coin();
    let r = scores.units().iter().position(|u| u.id == "IND").unwrap();
    let table = Table::read("coinr-asem/B_analysis/B_unit_summary_IND.csv");
    for row in &table.rows {
        close(scores.score(&row[0]).unwrap()[r], number(&row[2]), &row[0]);
        assert_eq!(
            scores.rank(&row[0]).unwrap()[r],
            number(&row[3]),
            "{}",
            row[0]
        );
    }
}

/// Removing a pillar moves the index ranks; removing nothing would move none.
#[test]
fn remove_one_element_sensitivity() {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let effects =
        analysis::remove_elements(&asem_framework(), &raw(), &recipe, 2, "Index").unwrap();
    assert_eq!(effects.len(), 8);
    assert!(effects.iter().all(|e| e.mean_absolute_rank_change > 0.0));
}

/// The one-call analysis gives COINr's numbers: raw statistics, the normalised correlation
/// matrix, Cronbach's α of a pillar's indicators and of a sub-index's pillars, the PCA of the
/// indicators, and effective weights.
#[test]
fn one_call_analysis_matches_coinr() {
    let framework = asem_framework();
    let data = raw();
    let scores = example_coin();
    let result = analysis::analyse(
        &framework,
        &data,
        &scores,
        analysis::AnalysisOptions::default(),
    );

    let stats = Table::read("coinr-asem/B_analysis/B_stats_Raw.csv");
    assert_eq!(result.statistics.len(), stats.rows.len());
    for (s, row) in result.statistics.iter().zip(&stats.rows) {
        assert_eq!(s.indicator, row[0]);
        close(s.sd, number(&row[stats.col("Std")]), &s.indicator);
    }

    let table = Table::read("coinr-asem/B_analysis/B_corrmatrix_L1_Normalised.csv");
    let at = |id: &str| {
        result
            .correlations
            .nodes
            .iter()
            .position(|n| n == id)
            .unwrap()
    };
    for (i, row) in table.rows.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            let value = result.correlations.values[at(&table.header[i])][at(&table.header[j])];
            close(value, number(cell), "correlation matrix");
        }
    }

    let alpha = |node: &str| {
        result
            .consistency
            .iter()
            .find(|g| g.node == node)
            .unwrap()
            .alpha
    };
    let cronbach = Table::read("coinr-asem/B_analysis/B_cronbach.csv");
    close(alpha("Physical"), number(&cronbach.rows[1][1]), "Physical");
    close(alpha("Conn"), number(&cronbach.rows[2][1]), "Conn");

    let pca = result.pca.as_ref().unwrap();
    assert_eq!(pca.nodes, result.correlations.nodes);
    close(pca.pca.variance_explained.iter().sum::<f64>(), 1.0, "PCA");

    let weights: HashMap<String, f64> = result.effective_weights.iter().cloned().collect();
    for row in &Table::read("coinr-asem/B_analysis/B_effective_weights.csv").rows {
        close(weights[&row[0]], number(&row[3]), &row[0]);
    }

    assert_eq!(result.standings.len(), data.units().len());
    assert!(result.standings.iter().all(|s| s.strengths.len() == 3));
}
