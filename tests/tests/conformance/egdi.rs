//! UN E-Government Development Index 2014–2024: the EGDI as the equal-weight mean of the Online
//! Service, Human Capital and Telecommunication Infrastructure indices, and its four groups.
//!
//! Precision: the UN publishes the EGDI and its components rounded, to 5 decimals in 2014, 2016
//! and 2024 and to 4 in 2018–2022, and computes the EGDI from unrounded components. The mean of
//! the rounded components therefore differs from the published EGDI by up to 6.7e-5 (2022);
//! the test allows 1e-4, one unit in the coarsest published decimal, and reports the largest
//! difference per edition.

use cityindex::Recipe;
use cityindex_tests::{EGDI_RECIPE, Table, egdi_data, egdi_framework, number};

const EDITIONS: [u32; 6] = [2014, 2016, 2018, 2020, 2022, 2024];

fn group(egdi: f64) -> &'static str {
    match egdi {
        x if x >= 0.75 => "very high",
        x if x >= 0.5 => "high",
        x if x >= 0.25 => "middle",
        _ => "low",
    }
}

#[test]
fn egdi_reproduces_every_edition_to_published_precision() {
    let recipe = Recipe::from_json(EGDI_RECIPE).expect("recipe");
    let framework = egdi_framework();
    for year in EDITIONS {
        let scores = cityindex::score(&framework, &egdi_data(year), &recipe).expect("scores");
        let table = Table::read(&format!("un-egdi/EGOV_DATA_{year}.csv"));
        let published: Vec<f64> = table
            .column("E-Government Index")
            .into_iter()
            .map(number)
            .collect();
        assert_eq!(published.len(), 193);
        let ours = scores.score("EGDI").expect("EGDI");
        let bands = scores.band("EGDI").expect("banded");
        let mut worst = 0.0_f64;
        for (r, &p) in published.iter().enumerate() {
            let diff = (ours[r] - p).abs();
            assert!(
                diff < 1e-4,
                "{year} {}: {} vs {p}",
                scores.units()[r].id,
                ours[r]
            );
            worst = worst.max(diff);
            assert_eq!(bands[r], Some(group(p)), "{year} {}", scores.units()[r].id);
        }
        println!("EGDI {year}: max |error| {worst:.2e}");
    }
}
