//! Official frameworks compiled into the crate, each with its publisher's recipe and sample
//! data where published (`core/data/build.py` builds the files from the reference tables).
//!
//! ```
//! let desi = cityindex::builtin::get("desi-2022").expect("embedded");
//! let framework = desi.framework()?;
//! let data = desi.data()?.for_period(2022)?;
//! let scores = cityindex::score(&framework, &data, &desi.recipe()?)?;
//! assert_eq!(scores.units().len(), 28);
//! # Ok::<(), cityindex::Error>(())
//! ```

mod columns;

use crate::dataset::Dataset;
use crate::error::{Error, FrameworkError, ScoreError};
use crate::framework::Framework;
use crate::layout::CsvLayout;
use crate::recipe::Recipe;

/// An embedded framework with sample data and the recipe its publisher uses.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// Short id, e.g. `desi-2022`.
    pub id: &'static str,
    /// One line saying what it is.
    pub summary: &'static str,
    // The files of `core/data/<id>/`, DEFLATE-compressed by `build.rs` (the data transposed).
    framework_json: &'static [u8],
    data_csv: &'static [u8],
    recipe_json: &'static [u8],
}

/// One embedded file, inflated.
fn inflate(id: &str, packed: &[u8]) -> Result<String, Error> {
    let defect = |what: String| {
        Error::from(ScoreError::Json(format!(
            "built-in `{id}`: the embedded file is damaged ({what})"
        )))
    };
    let bytes =
        miniz_oxide::inflate::decompress_to_vec(packed).map_err(|e| defect(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| defect(e.to_string()))
}

impl Builtin {
    /// The framework, with its source, licence and description in [`Framework::info`].
    ///
    /// # Errors
    /// None for the shipped files (tests build every one); the type allows for a defect.
    pub fn framework(&self) -> Result<Framework, Error> {
        Ok(Framework::from_json(&inflate(
            self.id,
            self.framework_json,
        )?)?)
    }

    /// The sample data (a panel when the framework ships several editions), with the
    /// framework's group columns; for a framework without published data, an empty template
    /// with one column per indicator.
    pub fn data(&self) -> Result<Dataset<'static>, Error> {
        let layout = CsvLayout::for_framework(&self.framework()?);
        let table = columns::transpose(&inflate(self.id, self.data_csv)?).map_err(|e| {
            ScoreError::Json(format!(
                "built-in `{}`: the embedded data are damaged ({e})",
                self.id
            ))
        })?;
        Ok(Dataset::from_csv(table.as_bytes(), &layout)?)
    }

    /// The publisher's method as a recipe.
    pub fn recipe(&self) -> Result<Recipe, Error> {
        Recipe::from_json(&inflate(self.id, self.recipe_json)?)
            .map_err(|e| ScoreError::Json(format!("built-in `{}`: {e}", self.id)).into())
    }
}

macro_rules! builtin {
    ($id:literal, $summary:literal) => {
        Builtin {
            id: $id,
            summary: $summary,
            framework_json: include_bytes!(concat!(
                env!("OUT_DIR"),
                "/",
                $id,
                "/framework.json.deflate"
            )),
            data_csv: include_bytes!(concat!(env!("OUT_DIR"), "/", $id, "/data.csv.deflate")),
            recipe_json: include_bytes!(concat!(env!("OUT_DIR"), "/", $id, "/recipe.json.deflate")),
        }
    };
}

const BUILTINS: &[Builtin] = &[
    builtin!(
        "desi-2022",
        "EU Digital Economy and Society Index, 2022 edition: 33 indicators, 4 dimensions; data 2017-2022 for EU-27 and the EU"
    ),
    builtin!(
        "egov-benchmark-2023",
        "EU eGovernment Benchmark 2023: 14 indicators, 4 key dimensions, the method paper's weights; 2023 results for 35 countries"
    ),
    builtin!(
        "un-egdi",
        "UN E-Government Development Index: OSI, HCI and TII, four groups; data 2014-2024 for 193 countries"
    ),
    builtin!(
        "un-losi-2024",
        "UN Local Online Service Index 2024: 95 yes/no indicators in 6 criteria, share met, four levels (no sample data)"
    ),
    builtin!(
        "u4ssc",
        "ITU U4SSC KPIs for smart sustainable cities: 91 KPIs, 3 dimensions, 7 sub-dimensions, 22 categories; points against your targets (no sample data)"
    ),
    builtin!(
        "usercentricities-2022",
        "UserCentriCities dashboard: 12 categories (41 yes/no indicators) in 3 pillars, mean of category shares (no sample data)"
    ),
];

/// Every embedded framework.
#[must_use]
pub fn list() -> &'static [Builtin] {
    BUILTINS
}

/// An embedded framework by id.
#[must_use]
pub fn get(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}

/// An embedded framework by id, or an error listing the known ones.
///
/// # Errors
/// [`FrameworkError::UnknownBuiltin`].
pub fn find(id: &str) -> Result<&'static Builtin, FrameworkError> {
    get(id).ok_or_else(|| FrameworkError::UnknownBuiltin {
        id: id.to_owned(),
        known: BUILTINS.iter().map(|b| b.id.to_owned()).collect(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_data_are_the_files_of_core_data() {
        for (id, file) in [
            ("desi-2022", include_str!("../data/desi-2022/data.csv")),
            ("un-egdi", include_str!("../data/un-egdi/data.csv")),
            (
                "egov-benchmark-2023",
                include_str!("../data/egov-benchmark-2023/data.csv"),
            ),
            ("u4ssc", include_str!("../data/u4ssc/data.csv")),
            (
                "un-losi-2024",
                include_str!("../data/un-losi-2024/data.csv"),
            ),
            (
                "usercentricities-2022",
                include_str!("../data/usercentricities-2022/data.csv"),
            ),
        ] {
            let builtin = super::get(id).unwrap();
            let layout = super::CsvLayout::for_framework(&builtin.framework().unwrap());
            let want = super::Dataset::from_csv(file.as_bytes(), &layout).unwrap();
            // Through Debug, where missing values (NaN) compare equal.
            let got = format!("{:?}", builtin.data().unwrap());
            assert!(got == format!("{want:?}"), "{id}");
        }
    }
}
