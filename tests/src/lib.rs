//! Conformance tests of cityindex against reference numbers computed by others, and the
//! language-neutral test vectors in `tests/vectors/`.
//!
//! The fixtures in `tests/fixtures/` are copies of the team's reference set (see
//! `fixtures/PROVENANCE.md`). This library reads them; the tests live in `tests/conformance/`,
//! and `cargo run -p cityindex-tests --bin gen-vectors` regenerates the vectors.

pub mod decision_vectors;
pub mod loader_vectors;
pub mod vectors;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cityindex::{Dataset, Framework, Unit};

/// The path of a file under `tests/fixtures/`.
#[must_use]
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// A CSV file read as text: header and rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a fixture CSV.
    ///
    /// # Panics
    /// If the file is missing or malformed: fixtures are part of the repository.
    #[must_use]
    pub fn read(relative: &str) -> Table {
        let path = fixture(relative);
        let file = std::fs::File::open(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Self::from_reader(file)
    }

    /// A CSV fixture whose first line is a `# provenance` comment (the reference framework
    /// lists).
    ///
    /// # Panics
    /// If the file cannot be read or parsed.
    #[must_use]
    pub fn read_with_comment(relative: &str) -> Table {
        let path = fixture(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let body = text.split_once('\n').map_or("", |(_, rest)| rest);
        Self::from_reader(body.as_bytes())
    }

    fn from_reader(input: impl std::io::Read) -> Table {
        let mut reader = csv::Reader::from_reader(input);
        let header = reader
            .headers()
            .expect("header")
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_owned())
            .collect();
        let rows = reader
            .records()
            .map(|r| r.expect("record").iter().map(str::to_owned).collect())
            .collect();
        Table { header, rows }
    }

    /// Position of a column.
    ///
    /// # Panics
    /// If there is no such column.
    #[must_use]
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column `{name}`"))
    }

    /// The cells of a column.
    #[must_use]
    pub fn column(&self, name: &str) -> Vec<&str> {
        let k = self.col(name);
        self.rows.iter().map(|r| r[k].as_str()).collect()
    }
}

/// A number from a reference cell: empty means missing (`NaN`), as COINr writes `NA`.
///
/// # Panics
/// If the cell is neither empty nor a number.
#[must_use]
pub fn number(cell: &str) -> f64 {
    if cell.is_empty() || cell == "NA" {
        f64::NAN
    } else {
        cell.parse()
            .unwrap_or_else(|_| panic!("`{cell}` is not a number"))
    }
}

/// A COINr data set export: `uCode` plus one numeric column per indicator or aggregate.
#[derive(Debug, Clone)]
pub struct CoinrDataset {
    /// Unit codes in row order.
    pub units: Vec<String>,
    /// Columns by code.
    pub columns: BTreeMap<String, Vec<f64>>,
}

impl CoinrDataset {
    /// Reads a COINr data set export from the fixtures.
    #[must_use]
    pub fn read(relative: &str) -> CoinrDataset {
        let table = Table::read(relative);
        let units = table
            .column("uCode")
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let columns = table
            .header
            .iter()
            .filter(|h| *h != "uCode")
            .map(|h| (h.clone(), table.column(h).into_iter().map(number).collect()))
            .collect();
        CoinrDataset { units, columns }
    }

    /// The data set as cityindex input.
    ///
    /// # Panics
    /// If the export is not a valid data set.
    #[must_use]
    pub fn to_dataset(&self) -> Dataset<'static> {
        Dataset::new(
            self.units.iter().map(|u| Unit::new(u)).collect(),
            self.columns
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
        .expect("valid data set")
    }
}

/// The ASEM framework, read from COINr's own iMeta table as it is.
///
/// # Panics
/// If the fixture does not load.
#[must_use]
pub fn asem_framework() -> Framework {
    let file = std::fs::File::open(fixture("coinr-asem/data/ASEM_iMeta.csv")).expect("iMeta");
    Framework::from_table_csv(file).expect("ASEM iMeta is a valid framework")
}

/// The largest absolute difference between two columns, and whether their missing values agree.
#[must_use]
pub fn max_abs_diff(ours: &[f64], theirs: &[f64]) -> (f64, bool) {
    let mut worst = 0.0_f64;
    let mut missing_agree = ours.len() == theirs.len();
    for (a, b) in ours.iter().zip(theirs) {
        match (a.is_nan(), b.is_nan()) {
            (true, true) => {}
            (false, false) => worst = worst.max((a - b).abs()),
            _ => missing_agree = false,
        }
    }
    (worst, missing_agree)
}

/// The UN's recipe for the EGDI: the components are already indices in [0, 1]; the EGDI is
/// their equal-weight mean, banded into the four groups (UN E-Government Survey 2024, annex).
pub const EGDI_RECIPE: &str = r#"{
  "normalise": {"default": {"method": "none"}},
  "banding": {"nodes": ["EGDI"], "bands": [
    {"label": "very high", "min": 0.75}, {"label": "high", "min": 0.5},
    {"label": "middle", "min": 0.25}, {"label": "low"}]}
}"#;

/// The EGDI framework: the Online Service, Human Capital and Telecommunication Infrastructure
/// indices under the EGDI with equal weights.
///
/// # Panics
/// Never for this fixed tree.
#[must_use]
pub fn egdi_framework() -> Framework {
    Framework::from_json(
        r#"{"id": "un-egdi", "name": "UN E-Government Development Index",
            "nodes": [{"id": "EGDI", "name": "E-Government Development Index", "children": [
              {"id": "OSI", "name": "Online Service Index"},
              {"id": "HCI", "name": "Human Capital Index"},
              {"id": "TII", "name": "Telecommunication Infrastructure Index"}]}]}"#,
    )
    .expect("EGDI framework")
}

/// The three EGDI components of one survey edition, units named by country.
///
/// # Panics
/// If the edition's fixture is missing.
#[must_use]
pub fn egdi_data(year: u32) -> Dataset<'static> {
    let table = Table::read(&format!("un-egdi/EGOV_DATA_{year}.csv"));
    let column = |name: &str| table.column(name).into_iter().map(number).collect();
    Dataset::new(
        table
            .column("Country Name")
            .into_iter()
            .map(Unit::new)
            .collect(),
        vec![
            ("OSI".to_owned(), column("Online Service Index")),
            ("HCI".to_owned(), column("Human Capital Index")),
            (
                "TII".to_owned(),
                column("Telecommunication Infrastructure Index"),
            ),
        ],
    )
    .expect("EGDI data")
}

/// COINr's `build_example_coin()` as a recipe: `Denominate` → `Impute(i_mean_grp, EurAsia_group)`
/// → `Screen(dat_thresh = 0.9)` → `Treat` → min-max 0–100 → arithmetic means.
pub const ASEM_EXAMPLE_COIN_RECIPE: &str = r#"{"prepare": [
  {"step": "denominate"},
  {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
  {"step": "screen", "units": {"min_availability": 0.9}},
  {"step": "treat"}
]}"#;

/// The MCDA reference decision matrix (10 alternatives × 5 criteria) as a framework — one
/// aggregate `all` over the criteria, with their directions and weights — and a data set.
///
/// # Panics
/// If the fixtures do not load.
#[must_use]
pub fn mcda_inputs() -> (Framework, Dataset<'static>) {
    use cityindex::Node;
    let criteria = Table::read("mcda/criteria.csv");
    let matrix = Table::read("mcda/decision_matrix.csv");
    let ids: Vec<String> = criteria
        .column("criterion")
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut nodes = vec![Node::aggregate("all", None)];
    for ((id, kind), weight) in ids
        .iter()
        .zip(criteria.column("type"))
        .zip(criteria.column("weight"))
    {
        let mut node = Node::indicator(id, Some("all")).with_weight(number(weight));
        if let Some(ind) = node.as_indicator_mut() {
            ind.direction = number(kind).try_into().expect("direction");
        }
        nodes.push(node);
    }
    let data = Dataset::new(
        matrix
            .column("alternative")
            .into_iter()
            .map(Unit::new)
            .collect(),
        ids.iter()
            .map(|id| {
                (
                    id.clone(),
                    matrix.column(id).into_iter().map(number).collect(),
                )
            })
            .collect(),
    )
    .expect("data");
    (Framework::new(nodes).expect("framework"), data)
}

/// COINr's raw ASEM data (`ASEM_iData.csv`) with its groups and denominators, units ordered by
/// code as in a COINr coin.
///
/// # Panics
/// If the fixture does not load.
#[must_use]
pub fn asem_raw_sorted() -> Dataset<'static> {
    let framework = asem_framework();
    let file = std::fs::File::open(fixture("coinr-asem/data/ASEM_iData.csv")).expect("iData");
    let data =
        Dataset::from_csv(file, &cityindex::CsvLayout::for_framework(&framework)).expect("data");
    let mut order: Vec<usize> = (0..data.n_units()).collect();
    order.sort_by(|&a, &b| data.units()[a].id.cmp(&data.units()[b].id));
    data.select_rows(&order)
}
