//! `cityindex`: the command-line tool. Every number comes from the `cityindex` crate; this file
//! reads the inputs, calls it, and prints.

mod report;
mod spreadsheet;
mod workbook;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cityindex::analysis::{self, AnalysisOptions};
use cityindex::uncertainty::{UncertaintySpec, WeightNoise, run_uncertainty};
use cityindex::{CsvLayout, Dataset, Framework, Recipe, Scores};
use clap::{Parser, Subcommand, ValueEnum};

/// Composite indicators for cities and countries: score an official framework or your own.
#[derive(Parser)]
#[command(name = "cityindex", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the embedded official frameworks.
    Frameworks,
    /// Show a framework's tree with its weights, and what each indicator expects.
    Show {
        /// An embedded framework's name or a framework file (JSON, or a node-table CSV).
        framework: String,
    },
    /// Write a data template for a framework: CSV with a guide to every indicator (its name,
    /// what it measures in, the scale or goalposts it is scored on) as `#` comment lines, the
    /// header `uCode,uName,<indicator ids>`, and the sample units' ids and names when the
    /// framework ships any. Fill it in and score it with `score NAME --data FILE`.
    Template {
        /// An embedded framework's name or a framework file.
        framework: String,
        /// `table` (the default) or `csv` writes the CSV; `xlsx` a workbook with a `Data` sheet
        /// to fill in and a `Guide` sheet (read it back with `--data FILE.xlsx --sheet Data`).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Score units and print the ranking. With `--model FILE` (from `fit`), score the units of
    /// `--data` against the model's population instead: normalised with its statistics, and
    /// placed among its units.
    Score(Inputs),
    /// Fit the recipe on the data (one period) and write the model as JSON: every parameter the
    /// data determine (imputed values, treatment caps, normalisation statistics, derived
    /// weights), to score other units against them with `score --model FILE --data NEW.csv`.
    Fit(Inputs),
    /// Indicator statistics, correlations, Cronbach's alpha, PCA.
    Analyse(Inputs),
    /// Progress towards each indicator's target by its target year (the Digital Decade's 2030
    /// targets in DESI), assessed as Eurostat assesses SDG targets: on track, moderate progress,
    /// off track, moving away. Uses every period of the data.
    Targets {
        #[command(flatten)]
        inputs: Inputs,
        /// Only this unit (an id, e.g. EU).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Monte Carlo uncertainty analysis of the ranks (weights perturbed).
    Uncertainty {
        #[command(flatten)]
        inputs: Inputs,
        /// Replicates.
        #[arg(long, default_value_t = 1000)]
        n: usize,
        /// Seed: the same seed gives the same result on every machine.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Perturb every weight by up to ± this fraction.
        #[arg(long, default_value_t = 0.25)]
        noise: f64,
    },
    /// Sobol' sensitivity of the top node to each perturbed weight: first-order and total-effect
    /// indices on the mean rank shift.
    Sensitivity {
        #[command(flatten)]
        inputs: Inputs,
        /// Base points of Saltelli's design (the index is computed base points × (inputs + 2)
        /// times).
        #[arg(long, default_value_t = 256)]
        n: usize,
        /// Seed: the same seed gives the same result on every machine.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Perturb every weight by up to ± this fraction.
        #[arg(long, default_value_t = 0.25)]
        noise: f64,
        /// Perturb only the weights of nodes at these levels (1 = indicators); default: all.
        #[arg(long, value_delimiter = ',')]
        levels: Vec<u32>,
        /// Count weights together as one input: `level` (the weights of each level), `all`
        /// (every weight, as COINr's `get_sensitivity`); default: each weight its own input.
        #[arg(long, value_parser = ["level", "all"])]
        group: Option<String>,
    },
    /// Write a self-contained HTML report: tree, ranking, chart, rank intervals, correlations,
    /// strengths and weaknesses.
    Report {
        #[command(flatten)]
        inputs: Inputs,
        /// Replicates of the uncertainty analysis.
        #[arg(long, default_value_t = 500)]
        n: usize,
        /// Seed of the uncertainty analysis.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Two units to compare side by side (ids, `A,B`); default: the first-ranked against
        /// an aggregate (the EU), or against the unit ranked in the middle.
        #[arg(long, value_delimiter = ',', num_args = 2)]
        compare: Vec<String>,
    },
}

#[derive(clap::Args, Clone)]
struct Inputs {
    /// An embedded framework's name or a framework file (JSON, or a node-table CSV).
    #[arg(
        value_name = "FRAMEWORK",
        required_unless_present_any = ["framework_option", "model"]
    )]
    framework: Option<String>,
    /// `score` only: a model written by `fit`, which brings its framework and recipe; the units
    /// of `--data` are scored against its population.
    #[arg(long, requires = "data", conflicts_with_all = ["framework", "framework_option", "recipe"])]
    model: Option<PathBuf>,
    /// The same, as an option.
    #[arg(
        long = "framework",
        value_name = "NAME|FILE",
        conflicts_with = "framework"
    )]
    framework_option: Option<String>,
    /// Data as CSV or a spreadsheet (.xlsx, .xls, .ods) in COINr's iData layout: uCode, uName,
    /// Time, Group_* and one column per indicator; default: the framework's sample data.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The sheet to read from a spreadsheet with several.
    #[arg(long)]
    sheet: Option<String>,
    /// A recipe file (JSON) amending the framework's own recipe (or COINr's defaults): its
    /// objects merge into the recipe's key by key, at every depth, and any other value (a
    /// method's parameters in an array, a number, a text) replaces the recipe's. A file holding
    /// only `{"weights": {"HC": 2}}` changes that weight and keeps the rest of the method.
    #[arg(long)]
    recipe: Option<PathBuf>,
    /// Use the `--recipe` file alone, in place of the framework's recipe.
    #[arg(long, requires = "recipe")]
    replace_recipe: bool,
    /// The period to score in a panel (default: the latest); `all`, or a range such as
    /// `2019-2022`, scores each period and `score` shows each unit's change, growth and rank
    /// change from the first to the last (the other commands use the last).
    #[arg(long, value_parser = parse_period)]
    period: Option<Periods>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// `--period`: one period, or a range of them (`all`: every period).
#[derive(Clone, Copy, Debug)]
enum Periods {
    One(i64),
    Range(Option<i64>, Option<i64>),
}

fn parse_period(text: &str) -> Result<Periods, String> {
    let year = |t: &str| -> Result<Option<i64>, String> {
        if t.is_empty() {
            return Ok(None);
        }
        t.trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("`{t}` is not a period (a whole number such as 2022)"))
    };
    if text.eq_ignore_ascii_case("all") {
        return Ok(Periods::Range(None, None));
    }
    match text.split_once('-').filter(|(a, _)| !a.is_empty()) {
        Some((from, to)) => Ok(Periods::Range(year(from)?, year(to)?)),
        None => year(text)?
            .map(Periods::One)
            .ok_or_else(|| "an empty period".to_owned()),
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum Format {
    /// Text for the terminal (for `report`: its HTML page).
    Table,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
    /// An HTML page (`report`).
    Html,
    /// An Excel workbook (`score`: every stage, as COINr's `export_to_excel`; `template`);
    /// needs `--out`.
    Xlsx,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Refuses a `--format` the command does not write, naming those it does.
fn formats(command: &str, format: Format, written: &[Format]) -> Result<(), Failure> {
    if written.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = written.iter().map(|f| f.name()).collect();
    fail(format!(
        "`{command}` does not write --format {}; it writes {}",
        format.name(),
        names.join(", ")
    ))
}

/// A failure, printed as one line.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn fail<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure(message.into()))
}

/// The framework, its data and its recipe, as the user named them.
struct Loaded {
    framework: Framework,
    /// One period (the last of a range).
    data: Dataset<'static>,
    recipe: Recipe,
    /// The periods of `--period all` or a range, when it holds several.
    panel: Option<Dataset<'static>>,
}

impl Loaded {
    /// Scores, then the analysis with the default options (Pearson correlations).
    fn analyse(&self) -> Result<(Scores, analysis::Analysis), Failure> {
        let scores = cityindex::score(&self.framework, &self.data, &self.recipe)?;
        let result = analysis::analyse(
            &self.framework,
            &self.data,
            &scores,
            AnalysisOptions::default(),
        );
        Ok((scores, result))
    }
}

fn framework_by_name(
    name: &str,
) -> Result<(Framework, Option<&'static cityindex::builtin::Builtin>), Failure> {
    if let Some(b) = cityindex::builtin::get(name) {
        return Ok((b.framework()?, Some(b)));
    }
    let path = Path::new(name);
    if !path.exists() {
        let known: Vec<&str> = cityindex::builtin::list().iter().map(|b| b.id).collect();
        return fail(format!(
            "no framework `{name}`: not an embedded framework ({}) nor a file",
            known.join(", ")
        ));
    }
    let text = read(path)?;
    let framework = if has_extension(path, "csv") {
        Framework::from_table_csv(text.as_bytes())
    } else {
        Framework::from_json(&text)
    };
    Ok((
        framework.map_err(|e| Failure(format!("{}: {e}", path.display())))?,
        None,
    ))
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn read(path: &Path) -> Result<String, Failure> {
    let at = |e: &dyn std::fmt::Display| Failure(format!("{}: {e}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| at(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.split(|&b| b == b'\n').count();
        at(&format!(
            "line {line}: the text is not valid UTF-8 (save it as UTF-8)"
        ))
    })?;
    if text.trim().is_empty() {
        return fail(format!("{}: the file is empty", path.display()));
    }
    Ok(text)
}

fn load(inputs: &Inputs) -> Result<Loaded, Failure> {
    if inputs.model.is_some() {
        return fail("--model scores new units with `score`; the other commands take a framework");
    }
    let name = inputs
        .framework
        .as_deref()
        .or(inputs.framework_option.as_deref())
        .unwrap_or_default();
    let (framework, builtin) = framework_by_name(name)?;
    let data = match (&inputs.data, builtin) {
        (Some(path), _) => read_data(path, inputs.sheet.as_deref(), &framework)?,
        (None, Some(b)) => {
            let data = b.data()?;
            if data.n_units() == 0 {
                return fail(format!(
                    "`{}` ships no sample data: give your own with --data (columns uCode, uName and {})",
                    b.id,
                    framework
                        .indicator_ids()
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(", ")
                        + ", …"
                ));
            }
            data
        }
        (None, None) => return fail("a framework file needs its data: --data FILE.csv"),
    };
    let own = match builtin {
        Some(b) => b.recipe()?,
        None => Recipe::default(),
    };
    let recipe = match &inputs.recipe {
        Some(path) => {
            let at = |e: &dyn std::fmt::Display| Failure(format!("{}: {e}", path.display()));
            let text = read(path)?;
            let text = if inputs.replace_recipe {
                text
            } else {
                let amendment: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| at(&e))?;
                let mut merged = serde_json::to_value(&own)?;
                merge(&mut merged, amendment);
                merged.to_string()
            };
            Recipe::from_json(&text).map_err(|e| at(&e))?
        }
        None => own,
    };
    let periods = data.distinct_periods();
    let (data, panel) = match (inputs.period, periods.last()) {
        (Some(Periods::One(p)), _) => (data.for_period(p)?, None),
        (Some(Periods::Range(from, to)), _) => {
            let within: Vec<i64> = periods
                .iter()
                .copied()
                .filter(|p| from.is_none_or(|f| *p >= f) && to.is_none_or(|t| *p <= t))
                .collect();
            let (Some(&first), Some(&last)) = (within.first(), within.last()) else {
                return fail(format!(
                    "--period: the data hold no period in that range (they hold {})",
                    periods
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            let rows: Vec<usize> = (0..data.n_units())
                .filter(|&r| {
                    data.periods()
                        .is_some_and(|p| (first..=last).contains(&p[r]))
                })
                .collect();
            let panel = (within.len() > 1).then(|| data.select_rows(&rows));
            (data.for_period(last)?, panel)
        }
        (None, Some(&latest)) if periods.len() > 1 => (data.for_period(latest)?, None),
        _ => (data, None),
    };
    Ok(Loaded {
        framework,
        data,
        recipe,
        panel,
    })
}

/// Merges `amendment` into `base`: objects key by key at every depth, anything else replaced.
fn merge(base: &mut serde_json::Value, amendment: serde_json::Value) {
    match (base, amendment) {
        (serde_json::Value::Object(base), serde_json::Value::Object(amendment)) => {
            for (key, value) in amendment {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, amendment) => *base = amendment,
    }
}

/// Reads CSV data, checking its columns against the framework: a missing indicator, a column
/// the framework does not know, a non-numeric cell (with its line) — each named with the file.
fn read_data(
    path: &Path,
    sheet: Option<&str>,
    framework: &Framework,
) -> Result<Dataset<'static>, Failure> {
    let spreadsheet = ["xlsx", "xlsm", "xls", "ods"]
        .iter()
        .any(|ext| has_extension(path, ext));
    let text = if spreadsheet {
        spreadsheet::sheet_as_csv(path, sheet)?
    } else {
        read(path)?
    };
    let header = text.lines().next().unwrap_or_default();
    if !header.contains(',') && (header.contains(';') || header.contains('\t')) {
        return fail(format!(
            "{}: line 1: the columns are separated by `{}`; cityindex reads comma-separated files",
            path.display(),
            if header.contains(';') { ";" } else { "\\t" }
        ));
    }
    let at = |e: &dyn std::fmt::Display| Failure(format!("{}: {e}", path.display()));
    let data = Dataset::from_csv(text.as_bytes(), &CsvLayout::for_framework(framework))
        .map_err(|e| at(&e))?;
    if let Some(missing) = framework
        .indicator_ids()
        .find(|id| data.column(id).is_none())
    {
        return Err(at(&format!(
            "line 1: no column `{missing}` (an indicator of the framework)"
        )));
    }
    let known: Vec<&str> = framework
        .nodes()
        .iter()
        .map(|n| n.id.as_str())
        .chain(framework.data_columns().iter().map(|c| c.id.as_str()))
        .collect();
    if let Some(extra) = data
        .column_ids()
        .iter()
        .find(|c| !known.contains(&c.as_str()))
    {
        return Err(at(&format!(
            "line 1: column `{extra}` is not an indicator of the framework (remove it, or add it to the framework)"
        )));
    }
    Ok(data)
}

fn top_node(framework: &Framework) -> String {
    framework.nodes()[framework.roots()[0]].id.clone()
}

fn emit(out: Option<&Path>, text: &str) -> Result<(), Failure> {
    if let Some(path) = out {
        return std::fs::write(path, text).map_err(|e| Failure(format!("{}: {e}", path.display())));
    }
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// What an indicator expects: its unit, its scale (a yes/no answer, ordinal levels) and its
/// goalposts and target, e.g. "% individuals; scored 0 at 0 and 100 at 1; target 0.8 by 2030".
fn expects(node: &cityindex::Node) -> Option<String> {
    let cityindex::framework::NodeKind::Indicator(ind) = &node.kind else {
        return None;
    };
    let mut parts = Vec::new();
    if let Some(unit) = &ind.unit {
        parts.push(unit.clone());
    }
    match &ind.scale {
        cityindex::framework::Scale::YesNo => parts.push("a yes/no answer: 1 or 0".into()),
        cityindex::framework::Scale::Ordinal { levels } => {
            let values: Vec<String> = levels
                .iter()
                .map(|l| {
                    l.label
                        .as_ref()
                        .map_or(l.value.to_string(), |t| format!("{} = {t}", l.value))
                })
                .collect();
            parts.push(format!("one of {}", values.join(", ")));
        }
        cityindex::framework::Scale::Continuous => {}
    }
    if let Some(g) = ind.goalposts {
        parts.push(format!(
            "goalposts {} to {}{}",
            g.min,
            g.max,
            if ind.direction == cityindex::framework::Direction::Negative {
                " (lower is better)"
            } else {
                ""
            }
        ));
    } else if ind.direction == cityindex::framework::Direction::Negative {
        parts.push("lower is better".into());
    }
    if let Some(t) = ind.target {
        parts.push(match ind.target_year {
            Some(y) => format!("target {t} by {y}"),
            None => format!("target {t}"),
        });
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The data template of `framework` (see the `template` command), with `units` as rows.
fn template(framework: &Framework, units: &[cityindex::Unit]) -> Result<String, Failure> {
    let info = framework.info();
    let mut out = format!(
        "# Data template for {}. One row per unit: uCode (an id), uName, then one column per \
         indicator;\n# leave a cell empty when the value is unknown. Lines starting with # are \
         ignored. Score it: cityindex score {} --data THIS_FILE\n",
        info.name
            .as_deref()
            .or(info.id.as_deref())
            .unwrap_or("the framework"),
        info.id.as_deref().unwrap_or("FRAMEWORK.json")
    );
    for &i in framework.indicator_positions() {
        let node = &framework.nodes()[i];
        let name = if node.name.is_empty() || node.name == node.id {
            "(no published name)"
        } else {
            node.name.as_str()
        };
        let _ = writeln!(
            out,
            "# {}: {name}{}",
            node.id,
            expects(node).map_or(String::new(), |e| format!(" — {e}"))
        );
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    let header = ["uCode", "uName"]
        .into_iter()
        .map(str::to_owned)
        .chain(framework.indicator_ids().map(str::to_owned));
    csv.write_record(header)?;
    let blanks = framework.indicator_positions().len();
    for unit in units {
        let row = [unit.id.clone(), unit.name.clone().unwrap_or_default()]
            .into_iter()
            .chain(std::iter::repeat_n(String::new(), blanks));
        csv.write_record(row)?;
    }
    out.push_str(&String::from_utf8(
        csv.into_inner().map_err(|e| Failure(e.to_string()))?,
    )?);
    Ok(out)
}

/// The data template as a workbook: a `Data` sheet (header and the sample units) and a `Guide`
/// sheet (each indicator's id, name and what it expects).
fn template_workbook(framework: &Framework, units: &[cityindex::Unit]) -> Vec<workbook::Sheet> {
    use workbook::{Cell, Sheet};
    let ids: Vec<&str> = framework.indicator_ids().collect();
    let mut data = unit_sheet("Data", units, &ids, |_, _| f64::NAN);
    if let Some(header) = data.rows.first_mut() {
        header[0] = Cell::from("uCode");
        header[1] = Cell::from("uName");
    }
    let mut guide = vec![vec![
        Cell::from("indicator"),
        Cell::from("name"),
        Cell::from("expects"),
    ]];
    for &i in framework.indicator_positions() {
        let node = &framework.nodes()[i];
        guide.push(vec![
            Cell::from(node.id.as_str()),
            Cell::from(node.name.as_str()),
            Cell::from(expects(node).unwrap_or_default()),
        ]);
    }
    vec![
        data,
        Sheet {
            name: "Guide".into(),
            rows: guide,
        },
    ]
}

/// One node of `show`'s tree and, indented, its children; an indicator with what it expects.
fn show_node(framework: &Framework, i: usize, depth: usize, out: &mut String) {
    let node = &framework.nodes()[i];
    let share = analysis::sibling_share(framework, i, |c| framework.nodes()[c].weight);
    let _ = writeln!(
        out,
        "{}{}  {}  (weight {}, share {:.3}){}",
        "  ".repeat(depth),
        node.id,
        node.name,
        node.weight,
        share,
        expects(node).map_or(String::new(), |e| format!(" — {e}"))
    );
    for &c in framework.children_of(i) {
        show_node(framework, c, depth + 1, out);
    }
}

fn show(framework: &Framework) -> String {
    let mut out = String::new();
    let info = framework.info();
    let _ = writeln!(
        out,
        "{}",
        info.name
            .as_deref()
            .or(info.id.as_deref())
            .unwrap_or("framework")
    );
    for r in framework.roots() {
        show_node(framework, r, 1, &mut out);
    }
    out
}

/// A number as CSV writes it: the shortest text that reads back as the same `f64` (Rust's
/// `Display`), empty when missing.
fn csv_number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}

/// The scores as CSV, written by a CSV writer (ids and names holding commas, quotes or line
/// breaks are quoted, so the file reads back as it was written). One row per unit, in the
/// data's order: `unit`, `name`, `kind` (`unit` or `aggregate`); for each aggregate node from
/// the top down `score <id>`, `rank <id>` and, for a banded node, `band <id>`; then for each
/// indicator its `raw <id>` value (after preparation, as scored) and `normalised <id>` value.
fn scores_csv(framework: &Framework, data: &Dataset, scores: &Scores) -> Result<String, Failure> {
    let nodes = framework.nodes();
    let ids = |leaf: bool| -> Vec<&str> {
        (0..nodes.len())
            .filter(|&i| framework.children_of(i).is_empty() == leaf)
            .map(|i| nodes[i].id.as_str())
            .collect()
    };
    let (indicators, aggregates) = (ids(true), ids(false));
    let mut header: Vec<String> = vec!["unit".into(), "name".into(), "kind".into()];
    for id in &aggregates {
        header.push(format!("score {id}"));
        header.push(format!("rank {id}"));
        if scores.band(id).is_some() {
            header.push(format!("band {id}"));
        }
    }
    for id in &indicators {
        header.push(format!("raw {id}"));
        header.push(format!("normalised {id}"));
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header)?;
    let data_row: std::collections::HashMap<&str, usize> = data
        .units()
        .iter()
        .enumerate()
        .map(|(r, u)| (u.id.as_str(), r))
        .collect();
    for (r, unit) in scores.units().iter().enumerate() {
        let kind = if unit.aggregate { "aggregate" } else { "unit" };
        let mut row = vec![
            unit.id.clone(),
            unit.name.clone().unwrap_or_default(),
            kind.to_owned(),
        ];
        for id in &aggregates {
            row.push(csv_number(scores.score(id).map_or(f64::NAN, |s| s[r])));
            row.push(csv_number(scores.rank(id).map_or(f64::NAN, |s| s[r])));
            if let Some(bands) = scores.band(id) {
                row.push(bands[r].unwrap_or_default().to_owned());
            }
        }
        for id in &indicators {
            let raw = data
                .column(id)
                .zip(data_row.get(unit.id.as_str()))
                .map_or(f64::NAN, |(column, &k)| column[k]);
            row.push(csv_number(raw));
            row.push(csv_number(scores.score(id).map_or(f64::NAN, |s| s[r])));
        }
        out.write_record(&row)?;
    }
    let bytes = out.into_inner().map_err(|e| Failure(e.to_string()))?;
    Ok(String::from_utf8(bytes)?)
}

/// The scoring's warnings on standard error, for the formats that have no place for them
/// (JSON carries them in the document).
fn warn(scores: &Scores) {
    for w in scores.warnings() {
        eprintln!("warning: {w}");
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Frameworks => {
            let mut out = String::new();
            for b in cityindex::builtin::list() {
                let _ = writeln!(out, "{:<24} {}", b.id, b.summary);
            }
            emit(None, &out)
        }
        Command::Show { framework } => emit(None, &show(&framework_by_name(&framework)?.0)),
        Command::Template {
            framework,
            format,
            out,
        } => {
            formats(
                "template",
                format,
                &[Format::Table, Format::Csv, Format::Xlsx],
            )?;
            let (framework, builtin) = framework_by_name(&framework)?;
            let units = match builtin {
                Some(b) => b.data()?.units().to_vec(),
                None => Vec::new(),
            };
            if format != Format::Xlsx {
                return emit(out.as_deref(), &template(&framework, &units)?);
            }
            let Some(out) = out else {
                return fail("--format xlsx writes a workbook: give its file with --out FILE.xlsx");
            };
            let bytes = workbook::write(&template_workbook(&framework, &units))?;
            std::fs::write(&out, bytes).map_err(|e| Failure(format!("{}: {e}", out.display())))
        }
        Command::Score(inputs) => match &inputs.model {
            Some(path) => score_with_model(&inputs, path),
            None => score(&inputs),
        },
        Command::Fit(inputs) => {
            formats("fit", inputs.format, &[Format::Table, Format::Json])?;
            let loaded = load(&inputs)?;
            let model = cityindex::model::fit(&loaded.framework, &loaded.data, &loaded.recipe)?;
            emit(inputs.out.as_deref(), &model.to_json())
        }
        Command::Targets { inputs, unit } => targets(&inputs, unit.as_deref()),
        Command::Analyse(inputs) => {
            formats("analyse", inputs.format, &[Format::Table, Format::Json])?;
            let loaded = load(&inputs)?;
            let (scores, result) = loaded.analyse()?;
            if inputs.format != Format::Json {
                warn(&scores);
            }
            let text = match inputs.format {
                Format::Json => serde_json::to_string_pretty(&result)?,
                _ => analysis_table(&result),
            };
            emit(inputs.out.as_deref(), &text)
        }
        Command::Uncertainty {
            inputs,
            n,
            seed,
            noise,
        } => {
            formats(
                "uncertainty",
                inputs.format,
                &[Format::Table, Format::Csv, Format::Json],
            )?;
            let loaded = load(&inputs)?;
            let result = uncertainty(&loaded, n, seed, noise)?;
            let top = top_node(&loaded.framework);
            let text = match inputs.format {
                Format::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "node": top,
                    "failed": result.failed,
                    "units": result.nominal.units(),
                    "summary": result.summary[0],
                    "convergence": result.convergence()[0],
                }))?,
                Format::Csv => intervals_csv(&result)?,
                _ => intervals_table(&result),
            };
            emit(inputs.out.as_deref(), &text)
        }
        Command::Sensitivity {
            inputs,
            n,
            seed,
            noise,
            levels,
            group,
        } => sensitivity(&inputs, n, seed, noise, &levels, group.as_deref()),
        Command::Report {
            inputs,
            n,
            seed,
            compare,
        } => report(&inputs, n, seed, &compare),
    }
}

/// A sheet of units × columns: `unit`, `name`, then one column per id, from `value(row, id)`.
fn unit_sheet(
    name: &str,
    units: &[cityindex::Unit],
    ids: &[&str],
    value: impl Fn(usize, &str) -> f64,
) -> workbook::Sheet {
    let header = ["unit", "name"]
        .into_iter()
        .chain(ids.iter().copied())
        .map(workbook::Cell::from)
        .collect();
    let mut rows = vec![header];
    for (r, unit) in units.iter().enumerate() {
        let mut row = vec![
            workbook::Cell::from(unit.id.as_str()),
            workbook::Cell::from(unit.name.clone().unwrap_or_default()),
        ];
        row.extend(ids.iter().map(|id| workbook::Cell::from(value(r, id))));
        rows.push(row);
    }
    workbook::Sheet {
        name: name.to_owned(),
        rows,
    }
}

/// The framework, recipe and warnings of a workbook.
fn about_sheet(loaded: &Loaded, scores: &Scores) -> Result<workbook::Sheet, Failure> {
    use workbook::Cell;
    let info = loaded.framework.info();
    let line = |key: &str, value: String| vec![Cell::from(key), Cell::from(value)];
    let mut rows = vec![
        line(
            "framework",
            info.name.clone().or(info.id.clone()).unwrap_or_default(),
        ),
        line("source", info.source.clone().unwrap_or_default()),
        line("licence", info.licence.clone().unwrap_or_default()),
        line("recipe", serde_json::to_string(&loaded.recipe)?),
        line(
            "computed by",
            format!("cityindex {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    rows.extend(
        scores
            .warnings()
            .iter()
            .map(|w| line("warning", w.to_string())),
    );
    Ok(workbook::Sheet {
        name: "About".into(),
        rows,
    })
}

/// Each node's weight among its siblings and in the index.
fn weights_sheet(
    framework: &Framework,
    scores: &Scores,
    analysis: &analysis::Analysis,
) -> workbook::Sheet {
    use workbook::Cell;
    let nodes = framework.nodes();
    let effective: std::collections::HashMap<&str, f64> = analysis
        .effective_weights
        .iter()
        .map(|(id, w)| (id.as_str(), *w))
        .collect();
    let header = [
        "node",
        "name",
        "level",
        "parent",
        "weight",
        "weight in the index",
    ];
    let mut rows = vec![header.map(Cell::from).into_iter().collect::<Vec<_>>()];
    for (i, node) in nodes.iter().enumerate() {
        rows.push(vec![
            Cell::from(node.id.as_str()),
            Cell::from(node.name.as_str()),
            Cell::from(f64::from(framework.level_of(i))),
            Cell::from(
                framework
                    .parent_of(i)
                    .map_or(String::new(), |p| nodes[p].id.clone()),
            ),
            Cell::from(scores.weight(&node.id).unwrap_or(node.weight)),
            Cell::from(effective.get(node.id.as_str()).copied().unwrap_or(f64::NAN)),
        ]);
    }
    workbook::Sheet {
        name: "Weights".into(),
        rows,
    }
}

/// The indicator statistics of the analysis.
fn statistics_sheet(analysis: &analysis::Analysis) -> workbook::Sheet {
    use workbook::Cell;
    let header = [
        "indicator",
        "min",
        "max",
        "mean",
        "median",
        "sd",
        "skew",
        "kurtosis",
        "available",
        "outliers",
    ];
    let mut rows = vec![header.map(Cell::from).into_iter().collect::<Vec<_>>()];
    for s in &analysis.statistics {
        #[allow(clippy::cast_precision_loss)] // counts of units
        let available = s.n_available as f64;
        rows.push(vec![
            Cell::from(s.indicator.as_str()),
            s.min.into(),
            s.max.into(),
            s.mean.into(),
            s.median.into(),
            s.sd.into(),
            s.skew.into(),
            s.kurtosis.into(),
            available.into(),
            Cell::from(if s.outliers { "yes" } else { "no" }),
        ]);
    }
    workbook::Sheet {
        name: "Statistics".into(),
        rows,
    }
}

/// Every stage in one workbook, as COINr's `export_to_excel`: the framework and recipe, the
/// data as given, the data after each preparation step, the normalised indicators, the
/// aggregated scores, ranks and bands, the weights and the indicator statistics.
fn stages_workbook(
    loaded: &Loaded,
    scores: &Scores,
    analysis: &analysis::Analysis,
) -> Result<Vec<workbook::Sheet>, Failure> {
    use workbook::{Cell, Sheet};
    let framework = &loaded.framework;
    let mut sheets = vec![about_sheet(loaded, scores)?];
    let data_sheet = |name: &str, data: &Dataset| {
        let ids: Vec<&str> = data.column_ids().iter().map(String::as_str).collect();
        unit_sheet(name, data.units(), &ids, |r, id| {
            data.column(id).map_or(f64::NAN, |c| c[r])
        })
    };
    sheets.push(data_sheet("Raw", &loaded.data));
    let stages =
        cityindex::prepare::prepare_stages(framework, &loaded.data, &loaded.recipe.prepare)?;
    for stage in stages {
        let step = serde_json::to_value(&stage.report)?;
        let name = step["step"].as_str().unwrap_or("step");
        sheets.push(data_sheet(&format!("Prepared ({name})"), &stage.data));
    }
    let nodes = framework.nodes();
    let leaf = |leaf: bool| -> Vec<&str> {
        (0..nodes.len())
            .filter(|&i| framework.children_of(i).is_empty() == leaf)
            .map(|i| nodes[i].id.as_str())
            .collect()
    };
    let (indicators, aggregates) = (leaf(true), leaf(false));
    let score = |r: usize, id: &str| scores.score(id).map_or(f64::NAN, |s| s[r]);
    sheets.push(unit_sheet("Normalised", scores.units(), &indicators, score));
    sheets.push(unit_sheet("Aggregated", scores.units(), &aggregates, score));
    let all: Vec<&str> = aggregates.iter().chain(&indicators).copied().collect();
    sheets.push(unit_sheet("Ranks", scores.units(), &all, |r, id| {
        scores.rank(id).map_or(f64::NAN, |s| s[r])
    }));
    let banded: Vec<&str> = aggregates
        .iter()
        .copied()
        .filter(|id| scores.band(id).is_some())
        .collect();
    if !banded.is_empty() {
        let header = ["unit", "name"].into_iter().chain(banded.iter().copied());
        let mut rows = vec![header.map(Cell::from).collect::<Vec<_>>()];
        for (r, unit) in scores.units().iter().enumerate() {
            let mut row = vec![
                Cell::from(unit.id.as_str()),
                Cell::from(unit.name.clone().unwrap_or_default()),
            ];
            row.extend(
                banded
                    .iter()
                    .map(|id| Cell::from(scores.band(id).and_then(|b| b[r]).unwrap_or_default())),
            );
            rows.push(row);
        }
        sheets.push(Sheet {
            name: "Bands".into(),
            rows,
        });
    }
    sheets.push(weights_sheet(framework, scores, analysis));
    sheets.push(statistics_sheet(analysis));
    Ok(sheets)
}

/// The `report` command: with a panel (every period unless `--period` names one), the report
/// also shows trends and progress towards targets.
fn report(inputs: &Inputs, n: usize, seed: u64, compare: &[String]) -> Result<(), Failure> {
    // The report is a page: its default format (table) is html.
    let format = match inputs.format {
        Format::Table => Format::Html,
        other => other,
    };
    formats("report", format, &[Format::Html])?;
    let mut all = inputs.clone();
    if all.period.is_none() {
        all.period = Some(Periods::Range(None, None));
    }
    let loaded = load(&all)?;
    let (scores, result) = loaded.analyse()?;
    warn(&scores);
    let ua = uncertainty(&loaded, n, seed, 0.25)?;
    let top = top_node(&loaded.framework);
    let trends = match &loaded.panel {
        Some(panel) => {
            let scored = cityindex::score_panel(&loaded.framework, panel, &loaded.recipe)?;
            match (scored.periods.first(), scored.periods.last()) {
                (Some(&from), Some(&to)) => {
                    scored.trend(&top, from, to).map(|rows| (from, to, rows))
                }
                _ => None,
            }
        }
        None => None,
    };
    let targets = loaded
        .panel
        .as_ref()
        .map(|panel| cityindex::analysis::target_progress(&loaded.framework, panel))
        .unwrap_or_default();
    let compare = if let [a, b] = compare {
        for id in [a, b] {
            if !scores.units().iter().any(|u| &u.id == id) {
                return fail(format!("--compare: no unit `{id}` in the data"));
            }
        }
        (a.clone(), b.clone())
    } else {
        let order = scores.order(&top).unwrap_or_default();
        let first = order
            .first()
            .map_or(String::new(), |&r| scores.units()[r].id.clone());
        let other = scores
            .units()
            .iter()
            .find(|u| u.aggregate)
            .map(|u| u.id.clone())
            .or_else(|| {
                order
                    .get(order.len() / 2)
                    .map(|&r| scores.units()[r].id.clone())
            })
            .unwrap_or_default();
        (first, other)
    };
    let extras = report::Extras {
        recipe: &loaded.recipe,
        trends,
        targets,
        compare,
    };
    let html = report::render(&loaded.framework, &scores, &result, &ua, &extras);
    emit(inputs.out.as_deref(), &html)
}

/// The `score` command: the ranking table, the CSV export or the scores' JSON document.
fn score(inputs: &Inputs) -> Result<(), Failure> {
    formats(
        "score",
        inputs.format,
        &[Format::Table, Format::Csv, Format::Json, Format::Xlsx],
    )?;
    let loaded = load(inputs)?;
    if inputs.format == Format::Xlsx {
        let Some(out) = &inputs.out else {
            return fail("--format xlsx writes a workbook: give its file with --out FILE.xlsx");
        };
        let (scores, analysis) = loaded.analyse()?;
        warn(&scores);
        let bytes = workbook::write(&stages_workbook(&loaded, &scores, &analysis)?)?;
        return std::fs::write(out, bytes).map_err(|e| Failure(format!("{}: {e}", out.display())));
    }
    if let Some(panel) = &loaded.panel {
        return trends(inputs, &loaded, panel);
    }
    let scores = cityindex::score(&loaded.framework, &loaded.data, &loaded.recipe)?;
    if inputs.format != Format::Json {
        warn(&scores);
    }
    let text = match inputs.format {
        Format::Table => {
            let top = top_node(&loaded.framework);
            let p = loaded.framework.position(&top).unwrap_or(0);
            let children: Vec<&str> = loaded
                .framework
                .children_of(p)
                .iter()
                .map(|&c| loaded.framework.nodes()[c].id.as_str())
                .collect();
            let mut table = scores.ranking_table(&top, &children).unwrap_or_default();
            if !table.ends_with('\n') {
                table.push('\n');
            }
            table
        }
        Format::Csv => scores_csv(&loaded.framework, &loaded.data, &scores)?,
        _ => serde_json::to_string_pretty(&scores.to_document())?,
    };
    emit(inputs.out.as_deref(), &text)
}

/// `score --model FILE --data NEW`: the units of the data scored with the model, each placed
/// among the model's population on the top node.
fn score_with_model(inputs: &Inputs, path: &Path) -> Result<(), Failure> {
    formats(
        "score --model",
        inputs.format,
        &[Format::Table, Format::Json],
    )?;
    let at = |e: &dyn std::fmt::Display| Failure(format!("{}: {e}", path.display()));
    let model = cityindex::model::Model::from_json(&read(path)?).map_err(|e| at(&e))?;
    let framework = model.built_framework()?;
    let Some(data_path) = &inputs.data else {
        return fail("--model needs the units to score: --data FILE");
    };
    let data = read_data(data_path, inputs.sheet.as_deref(), &framework)?;
    let data = match inputs.period {
        Some(Periods::One(p)) => data.for_period(p)?,
        Some(Periods::Range(..)) => return fail("--model scores one period: --period YEAR"),
        None => data,
    };
    let scores = model.transform(&data)?;
    let top = top_node(&framework);
    let places = model.place(&top, scores.score(&top).unwrap_or_default());
    if inputs.format == Format::Json {
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "scores": scores.to_document(),
            "node": top,
            "population": model.population,
            "places": places,
        }))?;
        return emit(inputs.out.as_deref(), &text);
    }
    warn(&scores);
    let p = framework.position(&top).unwrap_or(0);
    let children: Vec<&str> = framework
        .children_of(p)
        .iter()
        .map(|&c| framework.nodes()[c].id.as_str())
        .collect();
    let mut text = scores.ranking_table(&top, &children).unwrap_or_default();
    if let Some(places) = places {
        let heading = format!(
            "\nplace on {top} among the model's {} units (each unit joining them alone):\n",
            model.population
        );
        let lines: Vec<String> = scores
            .units()
            .iter()
            .zip(places)
            .map(|(unit, place)| format!("  {:<12} {place}\n", unit.id))
            .collect();
        text = [text, heading, lines.concat()].concat();
    }
    emit(inputs.out.as_deref(), &text)
}

/// `score --period all` (or a range): each unit's score and rank on the top node in the first
/// and last period, the change, the compound annual growth rate and the places gained.
fn trends(inputs: &Inputs, loaded: &Loaded, panel: &Dataset) -> Result<(), Failure> {
    let scored = cityindex::score_panel(&loaded.framework, panel, &loaded.recipe)?;
    let top = top_node(&loaded.framework);
    let (Some(&first), Some(&last)) = (scored.periods.first(), scored.periods.last()) else {
        return fail("no periods to compare");
    };
    let rows = scored.trend(&top, first, last).unwrap_or_default();
    let latest = scored.period(last).map(Scores::units).unwrap_or_default();
    let name_of = |id: &str| {
        latest
            .iter()
            .find(|u| u.id == id)
            .map_or(id.to_owned(), |u| {
                u.name.clone().unwrap_or_else(|| u.id.clone())
            })
    };
    let mut rows: Vec<(String, cityindex::Trend)> = rows;
    rows.sort_by(|a, b| {
        let key = |t: &cityindex::Trend| {
            if t.rank_end.is_nan() {
                f64::INFINITY
            } else {
                t.rank_end
            }
        };
        key(&a.1).total_cmp(&key(&b.1))
    });
    let text = match inputs.format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
            "node": top,
            "from": first,
            "to": last,
            "units": rows.iter().map(|(unit, t)| serde_json::json!({
                "unit": unit,
                "name": name_of(unit),
                "start": t.start, "end": t.end, "change": t.change, "cagr": t.cagr,
                "rank_start": t.rank_start, "rank_end": t.rank_end,
            })).collect::<Vec<_>>(),
        }))?,
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record([
                "unit".to_owned(),
                "name".to_owned(),
                format!("score {first}"),
                format!("score {last}"),
                "change".to_owned(),
                "cagr".to_owned(),
                format!("rank {first}"),
                format!("rank {last}"),
                "places gained".to_owned(),
            ])?;
            for (unit, t) in &rows {
                out.write_record([
                    unit.clone(),
                    name_of(unit),
                    csv_number(t.start),
                    csv_number(t.end),
                    csv_number(t.change),
                    csv_number(t.cagr),
                    csv_number(t.rank_start),
                    csv_number(t.rank_end),
                    csv_number(t.rank_change()),
                ])?;
            }
            String::from_utf8(out.into_inner().map_err(|e| Failure(e.to_string()))?)?
        }
        _ => trends_table(&top, first, last, &rows, &name_of),
    };
    emit(inputs.out.as_deref(), &text)
}

/// The text table of [`trends`].
fn trends_table(
    top: &str,
    first: i64,
    last: i64,
    rows: &[(String, cityindex::Trend)],
    name_of: &dyn Fn(&str) -> String,
) -> String {
    let width = rows
        .iter()
        .map(|(u, _)| name_of(u).chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let cell = |v: f64, d: usize| {
        if v.is_nan() {
            "—".to_owned()
        } else {
            format!("{v:.d$}")
        }
    };
    let mut out = format!(
        "{top} from {first} to {last}\n{:>4}  {:<width$}  {:>8}  {:>8}  {:>7}  {:>7}  {:>10}\n",
        "rank", "unit", first, last, "change", "CAGR %", "rank moves"
    );
    for (unit, t) in rows {
        let moved = match t.rank_change() {
            c if c.is_nan() => "—".to_owned(),
            c if c > 0.0 => format!("▲ {c}"),
            c if c < 0.0 => format!("▼ {}", -c),
            _ => "=".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<width$}  {:>8}  {:>8}  {:>7}  {:>7}  {:>10}",
            cell(t.rank_end, 0),
            name_of(unit),
            cell(t.start, 2),
            cell(t.end, 2),
            cell(t.change, 2),
            cell(t.cagr * 100.0, 1),
            moved
        );
    }
    out
}

/// The `targets` command.
fn targets(inputs: &Inputs, unit: Option<&str>) -> Result<(), Failure> {
    formats(
        "targets",
        inputs.format,
        &[Format::Table, Format::Csv, Format::Json],
    )?;
    let mut all = Inputs {
        period: Some(Periods::Range(None, None)),
        ..inputs.clone()
    };
    all.format = inputs.format;
    let loaded = load(&all)?;
    let panel = loaded.panel.as_ref().unwrap_or(&loaded.data);
    let rows: Vec<_> = cityindex::analysis::target_progress(&loaded.framework, panel)
        .into_iter()
        .filter(|p| unit.is_none_or(|u| p.unit == u))
        .collect();
    if rows.is_empty() {
        return fail(
            "no progress to assess: the framework gives no indicator a target and a target \
             year, or the data hold fewer than two periods (or no such unit)",
        );
    }
    let text = match inputs.format {
        Format::Json => serde_json::to_string_pretty(&rows)?,
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record([
                "indicator",
                "unit",
                "base period",
                "base",
                "latest period",
                "latest",
                "target",
                "target year",
                "actual growth",
                "required growth",
                "ratio",
                "status",
            ])?;
            for p in &rows {
                out.write_record([
                    p.indicator.clone(),
                    p.unit.clone(),
                    p.base_period.to_string(),
                    csv_number(p.base),
                    p.latest_period.to_string(),
                    csv_number(p.latest),
                    csv_number(p.target),
                    p.target_year.to_string(),
                    csv_number(p.actual_growth),
                    csv_number(p.required_growth),
                    p.ratio.map_or(String::new(), csv_number),
                    p.status.label().to_owned(),
                ])?;
            }
            String::from_utf8(out.into_inner().map_err(|e| Failure(e.to_string()))?)?
        }
        _ => {
            let mut out = format!(
                "{:<10} {:<8} {:>14} {:>14} {:>10} {:>8}  {}\n",
                "indicator", "unit", "base", "latest", "target", "ratio", "status"
            );
            for p in &rows {
                let _ = writeln!(
                    out,
                    "{:<10} {:<8} {:>14} {:>14} {:>10} {:>8}  {}",
                    p.indicator,
                    p.unit,
                    format!("{:.3} ({})", p.base, p.base_period),
                    format!("{:.3} ({})", p.latest, p.latest_period),
                    format!("{} ({})", p.target, p.target_year),
                    p.ratio
                        .map_or("—".to_owned(), |r| format!("{:.0} %", r * 100.0)),
                    p.status.label()
                );
            }
            out.push_str(
                "\nratio: growth achieved over growth needed (compound annual rates; straight-line \
                 from a start at 0), Eurostat's SDG method: ≥ 95 % on track, 60–95 % moderate, \
                 0–60 % off track, below 0 moving away\n",
            );
            out
        }
    };
    emit(inputs.out.as_deref(), &text)
}

/// Runs the analysis with a progress bar on standard error.
fn uncertainty(
    loaded: &Loaded,
    n: usize,
    seed: u64,
    noise: f64,
) -> Result<cityindex::uncertainty::Uncertainty, Failure> {
    let spec = weight_noise_spec(n, seed, noise, &[]);
    let bar = ProgressBar::new("replicates");
    let result = run_uncertainty(
        &loaded.framework,
        &loaded.data,
        &loaded.recipe,
        &spec,
        &|done, total| bar.show(done, total),
    );
    bar.finish();
    Ok(result?)
}

/// The specification of the commands' analyses: weights perturbed by up to ± `noise`, on the
/// given levels (all when empty). Built as a value, so that a number JSON cannot hold (`--noise
/// NaN`) reaches validation and is named there.
fn weight_noise_spec(replicates: usize, seed: u64, noise: f64, levels: &[u32]) -> UncertaintySpec {
    UncertaintySpec {
        replicates,
        seed,
        weights: Some(WeightNoise {
            fraction: noise,
            levels: levels.to_vec(),
            nodes: Vec::new(),
        }),
        choices: Vec::new(),
        exclude_indicator: false,
        nodes: Vec::new(),
        groups: Vec::new(),
    }
}

/// A progress bar on standard error, redrawn when the percentage changes; drawn only when
/// standard error is a terminal (redirected to a file, it would fill it with frames).
struct ProgressBar {
    what: &'static str,
    shown: std::sync::atomic::AtomicUsize,
    terminal: bool,
}

impl ProgressBar {
    fn new(what: &'static str) -> Self {
        use std::io::IsTerminal as _;
        ProgressBar {
            what,
            shown: std::sync::atomic::AtomicUsize::new(usize::MAX),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Shows `done` of `total`; always goes on (the CLI is cancelled by Ctrl-C).
    fn show(&self, done: usize, total: usize) -> bool {
        if !self.terminal {
            return true;
        }
        let percent = done * 100 / total.max(1);
        if self
            .shown
            .swap(percent, std::sync::atomic::Ordering::Relaxed)
            != percent
        {
            let bar = "#".repeat(percent / 4);
            eprint!("\r[{bar:<25}] {done}/{total} {}", self.what);
        }
        true
    }

    /// Ends the bar's line, if it drew one.
    fn finish(&self) {
        if self.shown.load(std::sync::atomic::Ordering::Relaxed) != usize::MAX {
            eprintln!();
        }
    }
}

/// Bootstrap resamples of the `sensitivity` command's intervals.
const SENSITIVITY_RESAMPLES: usize = 1000;

/// The `sensitivity` command: Sobol' indices of the perturbed weights on the top node.
fn sensitivity(
    inputs: &Inputs,
    n: usize,
    seed: u64,
    noise: f64,
    levels: &[u32],
    group: Option<&str>,
) -> Result<(), Failure> {
    formats("sensitivity", inputs.format, &[Format::Table, Format::Json])?;
    let loaded = load(inputs)?;
    let top = top_node(&loaded.framework);
    let mut spec = weight_noise_spec(1, seed, noise, levels);
    spec.groups = weight_groups(&loaded.framework, levels, group);
    let bar = ProgressBar::new("steps (runs, then indices per unit)");
    let result = cityindex::uncertainty::sensitivity(
        &loaded.framework,
        &loaded.data,
        &loaded.recipe,
        &spec,
        &top,
        n,
        SENSITIVITY_RESAMPLES,
        &|done, total| bar.show(done, total),
    );
    bar.finish();
    let result = result?;
    let text = match inputs.format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
            "node": top,
            "base_points": n,
            "inputs": result.inputs,
            "rank_shift": result.rank_shift,
            "convergence": result.rank_shift_convergence,
        }))?,
        _ => sensitivity_table(&result, &top, n),
    };
    emit(inputs.out.as_deref(), &text)
}

/// The groups of `--group`: every perturbed weight as one input (`all`), or those of each
/// level (`level`, named `weights:level N`).
fn weight_groups(
    framework: &Framework,
    levels: &[u32],
    group: Option<&str>,
) -> Vec<cityindex::uncertainty::InputGroup> {
    let perturbed = |i: usize| {
        framework.parent_of(i).is_some()
            && (levels.is_empty() || levels.contains(&framework.level_of(i)))
    };
    let weights_at = |level: Option<u32>| -> Vec<String> {
        (0..framework.len())
            .filter(|&i| perturbed(i) && level.is_none_or(|l| framework.level_of(i) == l))
            .map(|i| format!("weight:{}", framework.nodes()[i].id))
            .collect()
    };
    let named =
        |name: String, inputs: Vec<String>| cityindex::uncertainty::InputGroup { name, inputs };
    match group {
        Some("all") => vec![named("weights".to_owned(), weights_at(None))],
        Some("level") => {
            let mut found: Vec<u32> = (0..framework.len())
                .filter(|&i| perturbed(i))
                .map(|i| framework.level_of(i))
                .collect();
            found.sort_unstable();
            found.dedup();
            found
                .into_iter()
                .map(|l| named(format!("weights:level {l}"), weights_at(Some(l))))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The inputs by total effect, largest first, with their 95 % bootstrap half-widths.
fn sensitivity_table(result: &cityindex::uncertainty::Sensitivity, node: &str, n: usize) -> String {
    let s = &result.rank_shift;
    let mut order: Vec<usize> = (0..result.inputs.len()).collect();
    order.sort_by(|&a, &b| s.total[b].total_cmp(&s.total[a]));
    let mut out = format!(
        "Sobol' indices on the mean rank shift of {node} ({n} base points, \
         {SENSITIVITY_RESAMPLES} bootstrap resamples)\n\
         {:<32} {:>16} {:>16}\n",
        "input", "first order", "total effect"
    );
    for k in order {
        let _ = writeln!(
            out,
            "{:<32} {:>8.3} ± {:<5.3} {:>8.3} ± {:<5.3}",
            result.inputs[k], s.first_order[k], s.first_order_conf[k], s.total[k], s.total_conf[k]
        );
    }
    out
}

/// The rank intervals as CSV: one row per unit in the data's order.
fn intervals_csv(result: &cityindex::uncertainty::Uncertainty) -> Result<String, Failure> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "unit",
        "name",
        "nominal rank",
        "median rank",
        "q05 rank",
        "q95 rank",
        "mean rank",
        "mean absolute rank shift",
    ])?;
    for (unit, s) in result.nominal.units().iter().zip(&result.summary[0]) {
        out.write_record([
            unit.id.clone(),
            unit.name.clone().unwrap_or_default(),
            csv_number(s.nominal),
            csv_number(s.median),
            csv_number(s.q05),
            csv_number(s.q95),
            csv_number(s.mean),
            csv_number(s.mean_abs_shift),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| Failure(e.to_string()))?;
    Ok(String::from_utf8(bytes)?)
}

fn intervals_table(result: &cityindex::uncertainty::Uncertainty) -> String {
    let mut rows: Vec<(usize, &cityindex::uncertainty::UnitRanks)> =
        result.summary[0].iter().enumerate().collect();
    rows.sort_by(|a, b| {
        a.1.median
            .total_cmp(&b.1.median)
            .then(a.1.nominal.total_cmp(&b.1.nominal))
    });
    let mut out = format!(
        "{} replicates, {} failed; ranks on {}\n{:<24} {:>7} {:>7} {:>7} {:>7}\n",
        result.replicates.len(),
        result.failed,
        result.nodes[0],
        "unit",
        "nominal",
        "median",
        "q05",
        "q95"
    );
    for (r, s) in rows {
        let unit = &result.nominal.units()[r];
        let _ = writeln!(
            out,
            "{:<24} {:>7} {:>7} {:>7} {:>7}",
            unit.name.as_deref().unwrap_or(&unit.id),
            s.nominal,
            s.median,
            s.q05,
            s.q95
        );
    }
    let convergence = &result.convergence()[0];
    let _ = writeln!(
        out,
        "\nconvergence: the first replicates against all {} (mean absolute change over the \
         units, and the largest)\n{:>10} {:>14} {:>8} {:>16}",
        result.replicates.len(),
        "replicates",
        "median change",
        "largest",
        "q05, q95 change"
    );
    for (k, m) in convergence.replicates.iter().enumerate() {
        let _ = writeln!(
            out,
            "{m:>10} {:>14.2} {:>8} {:>16.2}",
            convergence.median_change[k],
            convergence.largest_median_change[k],
            convergence.interval_change[k]
        );
    }
    out
}

fn analysis_table(result: &analysis::Analysis) -> String {
    let mut out = String::from("Indicator statistics (data as given)\n");
    let _ = writeln!(
        out,
        "{:<12} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7} {:>6} flags",
        "indicator", "min", "max", "mean", "sd", "skew", "kurt", "avail"
    );
    for s in &result.statistics {
        let mut flags = Vec::new();
        if s.low_availability {
            flags.push("low availability");
        }
        if s.outliers {
            flags.push("outliers");
        }
        if s.low_unique {
            flags.push("few unique");
        }
        let _ = writeln!(
            out,
            "{:<12} {:>10.4} {:>10.4} {:>10.4} {:>10.4} {:>7.2} {:>7.2} {:>5.0}% {}",
            s.indicator,
            s.min,
            s.max,
            s.mean,
            s.sd,
            s.skew,
            s.kurtosis,
            s.share_available * 100.0,
            flags.join(", ")
        );
    }
    out.push_str("\nCronbach's alpha of each aggregate's children\n");
    for g in &result.consistency {
        let _ = writeln!(out, "{:<12} {:.3}", g.node, g.alpha);
    }
    if let Some(pca) = &result.pca {
        out.push_str("\nPCA of the normalised indicators: variance explained\n");
        for (k, v) in pca.pca.variance_explained.iter().take(5).enumerate() {
            let _ = writeln!(out, "PC{:<3} {:>6.1}%", k + 1, v * 100.0);
        }
    }
    let c = &result.correlations;
    let mut pairs = Vec::new();
    for i in 0..c.nodes.len() {
        for j in 0..i {
            pairs.push((c.values[i][j], &c.nodes[j], &c.nodes[i]));
        }
    }
    pairs.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    out.push_str("\nStrongest correlations between normalised indicators (Pearson)\n");
    for (r, a, b) in pairs.iter().take(10) {
        let _ = writeln!(out, "{a:<12} {b:<12} {r:>6.3}");
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
