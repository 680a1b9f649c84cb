//! The shared bad-input corpus (`tests/bad-input/cases.json`), through the Rust core: every case
//! answers with its expected error code (the message naming what the case says), or scores with
//! every value finite or missing and ranks ordered as the scores. The Python and JavaScript
//! suites read the same file.

use cityindex::uncertainty::{UncertaintySpec, run_uncertainty};
use cityindex::{CsvLayout, Dataset, Framework, Recipe, Unit};
use serde_json::Value;

fn corpus() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bad-input/cases.json");
    let text = std::fs::read_to_string(path).expect("the corpus");
    let doc: Value = serde_json::from_str(&text).expect("corpus JSON");
    doc["cases"].as_array().expect("cases").clone()
}

fn dataset(value: &Value) -> Result<Dataset<'static>, cityindex::Error> {
    let units = value["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| Unit::new(u.as_str().expect("unit id")))
        .collect();
    let columns = value["columns"]
        .as_object()
        .expect("columns")
        .iter()
        .map(|(id, v)| {
            let x = v
                .as_array()
                .expect("values")
                .iter()
                .map(|x| x.as_f64().unwrap_or(f64::NAN))
                .collect();
            (id.clone(), x)
        })
        .collect();
    Ok(Dataset::new(units, columns)?)
}

/// A node's scores, with its ranks where they are checked.
type Column = (Vec<f64>, Option<Vec<f64>>);

/// Runs one case: `Ok` with every node's scores and ranks (a model: fitted on the data, those
/// of the new units it scores; an uncertainty analysis: the top node's ranks in each replicate,
/// as scores with no ranks), or the error.
fn run(case: &Value) -> Result<Vec<Column>, cityindex::Error> {
    let framework = match &case["framework"] {
        Value::String(text) => Framework::from_json(text)?,
        document => Framework::from_json(&document.to_string())?,
    };
    if case["call"] == "data_csv" {
        let text = case["csv"].as_str().expect("csv");
        let data = Dataset::from_csv(text.as_bytes(), &CsvLayout::for_framework(&framework))?;
        return Ok(vec![(data.values().to_vec(), None)]);
    }
    let data = dataset(&case["data"])?;
    let recipe = match &case["recipe"] {
        Value::Null => Recipe::default(),
        r => Recipe::from_json(&r.to_string())?,
    };
    match case["call"].as_str() {
        Some(call @ ("score" | "model")) => {
            let scores = if call == "model" {
                cityindex::model::fit(&framework, &data, &recipe)?
                    .transform(&dataset(&case["new"])?)?
            } else {
                cityindex::score(&framework, &data, &recipe)?
            };
            Ok(scores
                .nodes()
                .iter()
                .map(|n| {
                    let s = scores.score(&n.id).unwrap().to_vec();
                    (s, Some(scores.rank(&n.id).unwrap().to_vec()))
                })
                .collect())
        }
        Some("uncertainty") => {
            let spec = UncertaintySpec::from_json(&case["spec"].to_string())?;
            let result = run_uncertainty(&framework, &data, &recipe, &spec, &|_, _| true)?;
            Ok(result.ranks[0].iter().map(|r| (r.clone(), None)).collect())
        }
        other => panic!("unknown call {other:?}"),
    }
}

#[test]
fn every_case_answers_as_the_corpus_says() {
    let cases = corpus();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut classes: Vec<&str> = cases.iter().filter_map(|c| c["class"].as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let failures: Vec<String> = cases.iter().filter_map(check).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(classes.len() >= 30, "{} classes", classes.len());
}

/// What is wrong with a case's answer, if anything.
fn check(case: &Value) -> Option<String> {
    let name = case["name"].as_str().unwrap();
    let expect = &case["expect"];
    match (run(case), expect["error"].as_str()) {
        (Err(e), Some(code)) if e.code() != code => Some(format!("{name}: {} ({e})", e.code())),
        (Err(e), Some(_)) => expect["mentions"]
            .as_str()
            .filter(|text| !e.to_string().contains(text))
            .map(|text| format!("{name}: `{e}` lacks `{text}`")),
        (Err(e), None) => Some(format!("{name}: expected a result, got {} ({e})", e.code())),
        (Ok(_), Some(code)) => Some(format!("{name}: expected {code}, got a result")),
        (Ok(columns), None) => columns.iter().find_map(|(s, r)| {
            let finite = s.iter().all(|v| !v.is_infinite());
            let ordered = r.as_ref().is_none_or(|r| ordered(s, r));
            (!finite || !ordered).then(|| format!("{name}: {s:?} ranked {r:?}"))
        }),
    }
}

/// Ranks missing exactly where scores are, and a better score ranked before a worse one.
fn ordered(s: &[f64], r: &[f64]) -> bool {
    s.iter().zip(r).all(|(&sa, &ra)| {
        sa.is_nan() == ra.is_nan()
            && s.iter()
                .zip(r)
                .all(|(&sb, &rb)| sb.is_nan() || sb >= sa || ra < rb)
    })
}
