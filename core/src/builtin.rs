//! Official frameworks compiled into the crate, each with sample data and its own recipe.
//!
//! ```
//! let desi = cityindex::builtin::get("desi-2022").expect("embedded");
//! let framework = desi.framework()?;
//! let data = desi.data()?.for_period(2022)?;
//! let scores = cityindex::score(&framework, &data, &desi.recipe()?)?;
//! assert_eq!(scores.units().len(), 28);
//! # Ok::<(), cityindex::Error>(())
//! ```

use crate::dataset::{CsvLayout, Dataset};
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::recipe::Recipe;

/// An embedded framework with sample data and the recipe its publisher uses.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// Short id, e.g. `desi-2022`.
    pub id: &'static str,
    /// One line saying what it is.
    pub summary: &'static str,
    framework_json: &'static str,
    data_csv: &'static str,
    recipe_json: &'static str,
}

impl Builtin {
    /// The framework, with its source, licence and description in [`Framework::info`].
    ///
    /// # Errors
    /// None for the shipped files (tests build every one); the type allows for a defect.
    pub fn framework(&self) -> Result<Framework, Error> {
        Ok(Framework::from_json(self.framework_json)?)
    }

    /// The sample data (a panel when the framework ships several editions).
    pub fn data(&self) -> Result<Dataset, Error> {
        Ok(Dataset::from_csv(
            self.data_csv.as_bytes(),
            &CsvLayout::default(),
        )?)
    }

    /// The publisher's method as a recipe.
    pub fn recipe(&self) -> Result<Recipe, Error> {
        Ok(Recipe::from_json(self.recipe_json).map_err(|e| match e {
            ScoreError::Json(m) => ScoreError::Json(format!("built-in `{}`: {m}", self.id)),
            other => other,
        })?)
    }
}

const BUILTINS: &[Builtin] = &[Builtin {
    id: "desi-2022",
    summary: "EU Digital Economy and Society Index, 2022 edition: 33 indicators, 4 dimensions; data 2017-2022 for EU-27 and the EU",
    framework_json: include_str!("../data/desi-2022/framework.json"),
    data_csv: include_str!("../data/desi-2022/data.csv"),
    recipe_json: include_str!("../data/desi-2022/recipe.json"),
}];

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
