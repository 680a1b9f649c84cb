//! The command-line tool, run as a user runs it: each command's output, and each kind of bad
//! input giving one clear line and a non-zero exit code.

use std::path::PathBuf;
use std::process::{Command, Output};

fn cityindex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cityindex"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file in a fresh temporary directory.
fn file(name: &str, content: &str) -> PathBuf {
    // One directory per call: tests run in parallel and must not read each other's half-written
    // files.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("cityindex-cli-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// `score` on FRAMEWORK with the given data file and further arguments.
fn score_own(data: &str, more: &[&str]) -> Output {
    let framework = file("f.json", FRAMEWORK);
    let mut args = vec!["score", framework.to_str().unwrap(), "--data", data];
    args.extend_from_slice(more);
    cityindex(&args)
}

/// `score` on FRAMEWORK with a CSV file of this name and content.
fn score_csv(name: &str, content: &str) -> Output {
    let data = file(name, content);
    score_own(data.to_str().unwrap(), &[])
}

const FRAMEWORK: &str =
    r#"{"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "b", "direction": -1}]}]}"#;

fn fails_with(o: &Output, parts: &[&str]) {
    assert!(!o.status.success(), "should fail: {}", stdout(o));
    let err = stderr(o);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for p in parts {
        assert!(err.contains(p), "`{p}` not in: {err}");
    }
}

#[test]
fn frameworks_lists_every_builtin() {
    let o = cityindex(&["frameworks"]);
    assert!(o.status.success());
    for id in [
        "desi-2022",
        "egov-benchmark-2023",
        "un-egdi",
        "un-losi-2024",
        "u4ssc",
        "usercentricities-2022",
    ] {
        assert!(stdout(&o).contains(id), "{id}");
    }
}

#[test]
fn score_prints_the_ranking_of_the_embedded_default() {
    let o = cityindex(&["score", "desi-2022"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert!(lines[0].contains("DESI"));
    assert!(lines[1].contains("Finland") && lines[1].contains("69.60"));
}

#[test]
fn score_formats_and_out_file() {
    let csv = cityindex(&[
        "score",
        "--framework",
        "un-egdi",
        "--period",
        "2024",
        "--format",
        "csv",
    ]);
    let text = stdout(&csv);
    assert!(
        text.starts_with(
            "unit,name,kind,score EGDI,rank EGDI,band EGDI,raw OSI,normalised OSI,raw HCI,\
             normalised HCI,raw TII,normalised TII\n"
        ),
        "{text}"
    );
    // Every number reads back as the same f64 (shortest round trip), every row has a rank and
    // a band.
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    for row in rows.records() {
        let row = row.unwrap();
        assert_eq!(row[2].to_string(), "unit");
        let score: f64 = row[3].parse().unwrap();
        assert_eq!(score.to_string(), row[3].to_string());
        assert!(row[4].parse::<f64>().unwrap() >= 1.0);
        assert!(["very high", "high", "middle", "low"].contains(&&row[5]));
    }
    let json = cityindex(&["score", "un-egdi", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(doc["units"].as_array().unwrap().len(), 193);
    let out = std::env::temp_dir().join(format!("cityindex-cli-{}.csv", std::process::id()));
    let o = cityindex(&[
        "score",
        "desi-2022",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("FI,Finland")
    );
}

#[test]
fn show_prints_the_tree_with_weights() {
    let o = cityindex(&["show", "egov-benchmark-2023"]);
    let text = stdout(&o);
    assert!(text.contains("1.1  Online availability  (weight 0.6666666666666666, share 0.667)"));
    assert!(text.contains("4.K  Cross-border key enablers"));
}

#[test]
fn analyse_and_uncertainty() {
    let o = cityindex(&["analyse", "desi-2022"]);
    assert!(stdout(&o).contains("Cronbach") && stdout(&o).contains("PC1"));
    let o = cityindex(&["uncertainty", "un-egdi", "--n", "50", "--seed", "3"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("50 replicates, 0 failed; ranks on EGDI"));
    // Standard error is a pipe here, not a terminal: no progress frames.
    assert!(!stderr(&o).contains("replicates"), "{}", stderr(&o));
    let again = cityindex(&["uncertainty", "un-egdi", "--n", "50", "--seed", "3"]);
    assert_eq!(stdout(&o), stdout(&again), "same seed, same result");
    let text = stdout(&o);
    let convergence: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("convergence: the first replicates against all 50"))
        .collect();
    assert_eq!(convergence.len(), 2 + 4, "{text}");
    assert!(
        convergence[5]
            .split_whitespace()
            .eq(["50", "0.00", "0", "0.00"]),
        "{text}"
    );
}

#[test]
fn own_framework_and_data() {
    let o = score_csv("d.csv", "uCode,a,b\nx,1,3\ny,2,1\nz,3,2\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).lines().nth(1).unwrap().contains('y'));
}

#[test]
fn unknown_framework_lists_the_known_ones() {
    fails_with(
        &cityindex(&["score", "desi-2099"]),
        &["desi-2099", "desi-2022", "un-egdi"],
    );
}

#[test]
fn missing_indicator_column() {
    fails_with(
        &score_csv("missing.csv", "uCode,a\nx,1\ny,2\n"),
        &["missing.csv", "line 1", "`b`"],
    );
}

#[test]
fn extra_column() {
    fails_with(
        &score_csv("extra.csv", "uCode,a,b,c\nx,1,3,0\ny,2,1,0\n"),
        &["extra.csv", "`c`"],
    );
}

#[test]
fn non_numeric_cell_names_row_and_column() {
    fails_with(
        &score_csv("text.csv", "uCode,a,b\nx,1,3\ny,two,1\n"),
        &["text.csv", "line 3", "`a`", "two"],
    );
}

#[test]
fn empty_file() {
    fails_with(&score_csv("empty.csv", ""), &["empty.csv", "empty"]);
}

#[test]
fn other_delimiter() {
    fails_with(
        &score_csv("semicolons.csv", "uCode;a;b\nx;1;3\ny;2;1\n"),
        &["semicolons.csv", "`;`"],
    );
}

#[test]
fn recipe_with_unknown_key() {
    let recipe = file("r.json", r#"{"normalize": {}}"#);
    fails_with(
        &cityindex(&["score", "desi-2022", "--recipe", recipe.to_str().unwrap()]),
        &["r.json", "normalize"],
    );
}

#[test]
fn builtin_without_data_asks_for_data() {
    fails_with(
        &cityindex(&["score", "un-losi-2024"]),
        &["un-losi-2024", "--data"],
    );
}

#[test]
fn report_is_one_self_contained_file() {
    let out = std::env::temp_dir().join(format!("cityindex-report-{}.html", std::process::id()));
    let o = cityindex(&[
        "report",
        "un-egdi",
        "--n",
        "50",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    for id in [
        "id=\"ranking\"",
        "id=\"bars\"",
        "id=\"intervals\"",
        "id=\"convergence\"",
        "id=\"heatmap\"",
        "id=\"standings\"",
        "id=\"tree\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
        "no network, no script"
    );
    assert!(
        html.contains("the median ranks of the first 25 replicates lie"),
        "{html}"
    );
}

#[test]
fn report_shows_what_preparation_did() {
    // COINr's example coin: denominate, group-mean imputation, screening, treatment.
    let asem = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/coinr-asem/data"
    );
    let recipe = file(
        "recipe.json",
        r#"{"prepare": [{"step": "denominate"},
            {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
            {"step": "screen", "units": {"min_availability": 0.9}}, {"step": "treat"}]}"#,
    );
    let out = std::env::temp_dir().join(format!("cityindex-prep-{}.html", std::process::id()));
    let o = cityindex(&[
        "report",
        &format!("{asem}/ASEM_iMeta.csv"),
        "--data",
        &format!("{asem}/ASEM_iData.csv"),
        "--recipe",
        recipe.to_str().unwrap(),
        "--n",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    for needle in [
        "id=\"preparation\"",
        "cells imputed (",
        "by group_mean",
        "0 units removed; 0 indicators removed",
        "id=\"treatment\"",
        "<td class=\"l\">Flights</td>",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // A recipe without preparation steps shows no such section.
    let plain = std::env::temp_dir().join(format!("cityindex-plain-{}.html", std::process::id()));
    let o = cityindex(&[
        "report",
        "un-egdi",
        "--n",
        "20",
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !std::fs::read_to_string(&plain)
            .unwrap()
            .contains("id=\"preparation\"")
    );
}

#[test]
fn sensitivity_ranks_the_weights_by_total_effect() {
    let o = cityindex(&["sensitivity", "desi-2022", "--levels", "3", "--n", "64"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("mean rank shift of DESI (64 base points"),
        "{text}"
    );
    assert_eq!(lines.len(), 2 + 4, "the four dimensions' weights: {text}");
    let totals: Vec<f64> = lines[2..]
        .iter()
        .map(|l| l.split_whitespace().nth(4).unwrap().parse().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{text}");
    let o = cityindex(&[
        "sensitivity",
        "desi-2022",
        "--levels",
        "3",
        "--n",
        "16",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["inputs"].as_array().unwrap().len(), 4);
    assert_eq!(doc["rank_shift"]["total"].as_array().unwrap().len(), 4);
    assert_eq!(
        doc["convergence"]["base_points"],
        serde_json::json!([2, 4, 8, 16])
    );
    fails_with(
        &cityindex(&["sensitivity", "desi-2022", "--noise", "1.5"]),
        &["noise fraction (1.5) must lie in [0, 1)"],
    );
    fails_with(
        &cityindex(&["sensitivity", "desi-2022", "--n", "1"]),
        &["1 base points", "at least 2"],
    );
    // Weights counted together: per level, or all as one input (COINr's view).
    let inputs = |group: &str| -> Vec<String> {
        let o = cityindex(&[
            "sensitivity",
            "desi-2022",
            "--n",
            "8",
            "--group",
            group,
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        serde_json::from_value(doc["inputs"].clone()).unwrap()
    };
    assert_eq!(
        inputs("level"),
        ["weights:level 3", "weights:level 2", "weights:level 1"]
    );
    assert_eq!(inputs("all"), ["weights"]);
    let o = cityindex(&["sensitivity", "desi-2022", "--group", "pillar"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

fn workbook() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cities.xlsx").to_owned()
}

#[test]
fn spreadsheet_sheet_chosen_with_sheet() {
    let o = score_own(&workbook(), &["--sheet", "data"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.lines().nth(1).unwrap().contains("Zed"), "{text}");
    assert!(text.contains("87.50"), "2.5 read as a number: {text}");
}

#[test]
fn spreadsheet_with_several_sheets_needs_sheet() {
    fails_with(
        &score_own(&workbook(), &[]),
        &["cities.xlsx", "3 sheets", "notes, data, bad", "--sheet"],
    );
    fails_with(
        &score_own(&workbook(), &["--sheet", "Data2"]),
        &["no sheet `Data2`", "notes, data, bad"],
    );
}

#[test]
fn spreadsheet_non_numeric_cell_names_row_and_column() {
    fails_with(
        &score_own(&workbook(), &["--sheet", "bad"]),
        &["cities.xlsx", "line 3", "`a`", "about 2"],
    );
}

/// Exit codes as the README says: 1 for an error of the inputs, 2 for a command line that does
/// not parse.
#[test]
fn exit_codes_distinguish_bad_input_from_bad_usage() {
    let o = score_csv("d.csv", "uCode,a,b\nx,1,2\nx,3,4\n");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = cityindex(&["score", "desi-2022", "--no-such-option"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Numbers reach the core's validation as numbers, never through a JSON text that cannot hold
/// them: `--noise NaN` is named as the weight noise; an unused level is named.
#[test]
fn analysis_arguments_are_named_when_invalid() {
    let o = cityindex(&["uncertainty", "desi-2022", "--noise", "NaN", "--n", "5"]);
    fails_with(&o, &["weight noise fraction (NaN)"]);
    let o = cityindex(&["sensitivity", "desi-2022", "--levels", "99", "--n", "16"]);
    fails_with(&o, &["level 99"]);
    let o = cityindex(&["uncertainty", "desi-2022", "--n", "1000000000"]);
    fails_with(&o, &["replicates 1000000000 exceeds the limit of 10000000"]);
    let o = cityindex(&["sensitivity", "desi-2022", "--n", "100000000"]);
    fails_with(&o, &["exceeds the limit"]);
}

/// A CSV export quotes what needs quoting: a name with a comma, a quote or a line break reads
/// back as the same fields.
#[test]
fn csv_output_quotes_names() {
    let o = score_own(
        file(
            "d.csv",
            "uCode,uName,a,b\nx,\"Paris, France\",1,2\ny,\"Say \"\"hi\"\"\",2,1\n",
        )
        .to_str()
        .unwrap(),
        &["--format", "csv"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("x,\"Paris, France\","), "{text}");
    assert!(text.contains("y,\"Say \"\"hi\"\"\","), "{text}");
}

/// Text that is not UTF-8 is named with its line; a repeated column with its name.
#[test]
fn encoding_and_repeated_columns_are_named() {
    let framework = file("f.json", FRAMEWORK);
    let data = file("d.csv", "");
    std::fs::write(&data, b"uCode,a,b\nx,1,2\ny,\xff,3\n").unwrap();
    let o = cityindex(&[
        "score",
        framework.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    fails_with(&o, &["line 3", "not valid UTF-8"]);
    let o = score_csv("d.csv", "uCode,a,b,uCode\nx,1,2,TLL\n");
    fails_with(&o, &["duplicate column `uCode`"]);
}

#[test]
fn every_format_is_written_or_refused() {
    for (command, format) in [
        ("report", "csv"),
        ("report", "json"),
        ("analyse", "csv"),
        ("score", "html"),
        ("sensitivity", "csv"),
    ] {
        let o = cityindex(&[command, "un-egdi", "--format", format]);
        assert!(!o.status.success(), "{command} --format {format}");
        assert!(
            stderr(&o).contains(&format!(
                "`{command}` does not write --format {format}; it writes"
            )),
            "{}",
            stderr(&o)
        );
    }
    let o = cityindex(&["uncertainty", "un-egdi", "--n", "20", "--format", "csv"]);
    let text = stdout(&o);
    assert!(
        text.starts_with("unit,name,nominal rank,median rank,q05 rank,q95 rank,"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 194);
}

#[test]
fn a_recipe_file_amends_the_frameworks_recipe_unless_it_replaces_it() {
    let weights = file("weights.json", r#"{"weights": {"HC": 2}}"#);
    let amended = cityindex(&[
        "score",
        "desi-2022",
        "--recipe",
        weights.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let replaced = cityindex(&[
        "score",
        "desi-2022",
        "--recipe",
        weights.to_str().unwrap(),
        "--replace-recipe",
        "--format",
        "json",
    ]);
    let score_of = |o: &std::process::Output, node: &str| -> f64 {
        let doc: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        let node = doc["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == node)
            .unwrap()
            .clone();
        node["score"][0].as_f64().unwrap()
    };
    let plain = cityindex(&["score", "desi-2022", "--format", "json"]);
    // Amended: DESI's goalposts stay (HC's score is unchanged), the index moves with HC's weight.
    assert_eq!(score_of(&amended, "HC"), score_of(&plain, "HC"));
    assert_ne!(score_of(&amended, "DESI"), score_of(&plain, "DESI"));
    // Replaced: COINr's min-max defaults instead of the goalposts.
    assert_ne!(score_of(&replaced, "HC"), score_of(&plain, "HC"));
}

#[test]
fn trends_over_a_range_of_periods_and_progress_towards_targets() {
    let o = cityindex(&["score", "desi-2022", "--period", "all"]);
    let text = stdout(&o);
    assert!(text.starts_with("DESI from 2017 to 2022\n"), "{text}");
    assert!(text.contains("Finland") && text.contains("▲"), "{text}");
    let o = cityindex(&[
        "score",
        "desi-2022",
        "--period",
        "2020-2022",
        "--format",
        "csv",
    ]);
    assert!(stdout(&o).starts_with(
        "unit,name,score 2020,score 2022,change,cagr,rank 2020,rank 2022,places gained\n"
    ));
    let o = cityindex(&["score", "desi-2022", "--period", "1990-1999"]);
    assert!(
        stderr(&o).contains("no period in that range"),
        "{}",
        stderr(&o)
    );
    let o = cityindex(&["targets", "desi-2022", "--unit", "EU", "--format", "csv"]);
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 10, "{text}");
    assert!(
        text.contains("1a1,EU,2017,") && text.contains(",off track"),
        "{text}"
    );
    let o = cityindex(&["targets", "un-egdi"]);
    assert!(
        stderr(&o).contains("no progress to assess"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_framework_without_data_is_scored_from_its_filled_template() {
    let o = cityindex(&["template", "usercentricities-2022"]);
    let template = stdout(&o);
    assert!(
        template.contains("# 1.1: Skills — share of 4 yes/no indicators met; goalposts 0 to 1")
    );
    let header = template.lines().find(|l| !l.starts_with('#')).unwrap();
    assert!(header.starts_with("uCode,uName,1.1,1.2,"), "{header}");
    // Two cities fill it in: the comment lines stay, and are ignored.
    let columns = header.split(',').count() - 2;
    let row = |id: &str, v: f64| {
        format!(
            "{id},{id} city,{}\n",
            vec![v.to_string(); columns].join(",")
        )
    };
    let filled = file(
        "filled.csv",
        &format!("{template}{}{}", row("TLL", 0.75), row("LIS", 0.5)),
    );
    let o = cityindex(&[
        "score",
        "usercentricities-2022",
        "--data",
        filled.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(
        table.contains("   1  TLL city") && table.contains("   2  LIS city"),
        "{table}"
    );
    let o = cityindex(&["show", "desi-2022"]);
    assert!(stdout(&o).contains("1a1  At least basic digital skills  (weight 2, share 0.500) — % individuals; goalposts 0 to 1; target 0.8 by 2030"));
}

#[test]
fn a_workbook_of_every_stage() {
    use calamine::{Data, Reader, open_workbook_auto};
    let out = std::env::temp_dir().join(format!("cityindex-stages-{}.xlsx", std::process::id()));
    let o = cityindex(&[
        "score",
        "desi-2022",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut workbook = open_workbook_auto(&out).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "About",
            "Raw",
            "Normalised",
            "Aggregated",
            "Ranks",
            "Weights",
            "Statistics"
        ]
    );
    let aggregated = workbook.worksheet_range("Aggregated").unwrap();
    let header: Vec<String> = aggregated
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let desi = header.iter().position(|h| h == "DESI").unwrap();
    let finland = aggregated
        .rows()
        .find(|r| r[0] == Data::String("FI".into()))
        .unwrap();
    let json = cityindex(&["score", "desi-2022", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let node = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "DESI")
        .unwrap()
        .clone();
    let row = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .position(|u| u["id"] == "FI" || u == "FI")
        .unwrap();
    assert_eq!(
        finland[desi],
        Data::Float(node["score"][row].as_f64().unwrap()),
        "the same bits"
    );
    let ranks = workbook.worksheet_range("Ranks").unwrap();
    let eu = ranks
        .rows()
        .find(|r| r[0] == Data::String("EU".into()))
        .unwrap();
    assert_eq!(eu[2], Data::Empty, "the EU is not ranked");
    let o = cityindex(&["score", "desi-2022", "--format", "xlsx"]);
    assert!(
        stderr(&o).contains("give its file with --out"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_template_as_a_workbook_reads_back_as_data() {
    let out = std::env::temp_dir().join(format!("cityindex-template-{}.xlsx", std::process::id()));
    let o = cityindex(&[
        "template",
        "egov-benchmark-2023",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The sample units, no values yet: the template reads back as data with every value missing.
    let o = cityindex(&[
        "score",
        "egov-benchmark-2023",
        "--data",
        out.to_str().unwrap(),
        "--sheet",
        "Data",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("AL,Albania,unit,"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("indicator `1.1` has no values"),
        "{}",
        stderr(&o)
    );
    let o = cityindex(&["template", "egov-benchmark-2023", "--format", "json"]);
    assert!(
        stderr(&o).contains("`template` does not write --format json"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn fit_writes_a_model_that_scores_new_units_against_its_population() {
    let population = file(
        "population.csv",
        "uCode,a,b\nx,1,40\ny,2,30\nz,3,20\nw,4,10\n",
    );
    let framework = file("f.json", FRAMEWORK);
    let model = framework.with_file_name("model.json");
    let o = cityindex(&[
        "fit",
        framework.to_str().unwrap(),
        "--data",
        population.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&model).unwrap();
    let read = cityindex::model::Model::from_json(&text).unwrap();
    assert_eq!(read.population, 4);
    // The population scores 0, 33.3, 66.7 and 100. A new unit between y and z: min-max with
    // the population's extremes (a: 1..4, b: 40..10, lower is better) gives 2.5 → 50 and
    // 25 → 50, so 50, placed third: below z and w.
    let new = file("new.csv", "uCode,a,b\nn,2.5,25\n");
    let o = cityindex(&[
        "score",
        "--model",
        model.to_str().unwrap(),
        "--data",
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(out["places"], serde_json::json!([3.0]));
    assert_eq!(out["population"], 4);
    let table = cityindex(&[
        "score",
        "--model",
        model.to_str().unwrap(),
        "--data",
        new.to_str().unwrap(),
    ]);
    assert!(
        stdout(&table).contains("among the model's 4 units"),
        "{}",
        stdout(&table)
    );
    fails_with(
        &cityindex(&[
            "analyse",
            "--model",
            model.to_str().unwrap(),
            "--data",
            new.to_str().unwrap(),
        ]),
        &["--model", "score"],
    );
    let broken = file("broken.json", "{\"version\": 1}");
    fails_with(
        &cityindex(&[
            "score",
            "--model",
            broken.to_str().unwrap(),
            "--data",
            new.to_str().unwrap(),
        ]),
        &["broken.json", "not a cityindex model"],
    );
}
