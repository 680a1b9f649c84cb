//! Composite indicators for cities, regions and countries — a tree of indicators whose data are
//! prepared, normalised, weighted, aggregated level by level, ranked, banded, tracked over time
//! and stress-tested — as the OECD/JRC Handbook and COINr define the steps. Everything is data:
//! a [`Framework`] (the tree), a [`Dataset`] (units × indicators), a [`Recipe`] (every method
//! choice), and [`score`] gives [`Scores`]:
//!
//! ```
//! use cityindex::{Dataset, Framework, Recipe, Unit};
//!
//! fn main() -> Result<(), cityindex::Error> {
//!     let framework = Framework::from_json(
//!         r#"{"nodes": [{"id": "index", "children": [{"id": "online"}, {"id": "waiting_days", "direction": -1}]}]}"#,
//!     )?;
//!     let data = Dataset::new(
//!         ["Tallinn", "Lisbon"].map(Unit::new).to_vec(),
//!         vec![("online".into(), vec![92.0, 81.0]), ("waiting_days".into(), vec![2.0, 9.0])],
//!     )?;
//!     let scores = cityindex::score(&framework, &data, &Recipe::default())?;
//!     assert_eq!(scores.rank("index").unwrap(), &[1.0, 2.0]);
//!     Ok(())
//! }
//! ```
//!
//! The official frameworks are embedded ([`builtin`]); the same core runs in Python and
//! JavaScript with the same bits (the project's README, below the tables, says how).
//!
//! # How the crate is organised
//!
//! One module per stage of the pipeline, one file per method family:
//!
//! | module | what |
//! |---|---|
//! | [`framework`] | the indicator tree, from JSON or a flat (COINr iMeta) table |
//! | [`dataset`] | units × indicators (× periods), column-major, `NaN` = missing |
//! | [`recipe`] | every method choice as serialisable data |
//! | [`prepare`] | the data steps, in the recipe's order: [`denominate`](prepare::denominate), [`impute`](prepare::impute), [`screen`](prepare::screen), [`treat`](prepare::treat) |
//! | [`normalise`] | min-max, goalposts, z-score, ranks, distance to max or target, categorical |
//! | [`aggregate`] | weighted arithmetic, geometric, harmonic, generalised means; Copeland; any MCDA method; benefit of the doubt |
//! | [`weight`] | equal, entropy, CRITIC, standard deviation, MEREC, PCA, AHP, benefit of the doubt |
//! | [`mcda`] | TOPSIS, VIKOR, PROMETHEE II, COPRAS, EDAS, MOORA, WASPAS, MPI on a decision matrix |
//! | [`analysis`] | statistics, correlations, Cronbach's alpha, PCA, effective weights, strengths and weaknesses, sensitivity, rank comparisons |
//! | [`rank`] | ranks with a declared tie rule |
//! | [`band`] | named levels by thresholds |
//! | [`pipeline`] | framework + data + recipe → [`Scores`] |
//! | [`uncertainty`] | Monte Carlo over every modelling choice, Sobol indices |
//! | [`builtin`] | official frameworks compiled in |
//! | [`limits`] | the largest sizes accepted |
//!
//! # Layers
//!
//! Imports point down: a module uses only modules of lower layers, and those before it in its
//! own layer (`core/tests/layers.rs` reads this table and checks every `crate::` path).
//!
//! | layer | modules, in order |
//! |---|---|
//! | foundation | `error`, `limits`, `json`, `parallel`, `rank`, `stats`, `layout` |
//! | data | `framework`, `dataset` |
//! | methods | `prepare`, `normalise`, `mcda`, `weight`, `aggregate`, `band`, `trend` |
//! | choices | `recipe` |
//! | pipeline | `scores`, `pipeline`, `builtin` |
//! | on the pipeline | `analysis`, `model`, `optimise`, `uncertainty` |
//!
//! # COINr → cityindex
//!
//! | COINr (R) | cityindex |
//! |---|---|
//! | `new_coin(iData, iMeta)` | [`Framework::from_table_csv`] + [`Dataset::from_csv`] |
//! | `iMeta` columns `iCode, iName, Level, Parent, Weight, Direction, Type, Target` | the flat node table, read as is |
//! | `Normalise(f_n = "n_minmax", l_u = c(0, 100))` | `{"method": "min_max", "lo": 0, "hi": 100}` |
//! | `n_zscore`, `n_rank`, `n_prank`, `n_borda`, `n_fracmax`, `n_dist2max`, `n_dist2targ`, `n_goalposts` | `z_score`, `rank`, `percentile_rank`, `borda`, `fraction_of_max`, `distance_to_max`, `distance_to_target`, `goalposts` |
//! | `Aggregate(f_ag = "a_amean" / "a_gmean" / "a_hmean" / "a_copeland")` | `arithmetic_mean`, `geometric_mean`, `harmonic_mean`, `copeland`: missing children are skipped and the others' weights rescaled, as COINr does |
//! | `Aggregate(f_ag = "a_genmean", f_ag_para = list(p = p))` | `{"method": "generalised_mean", "p": p}` with `"availability_threshold": 1`: COINr's `a_genmean` sums without `na.rm`, so any missing child makes the aggregate missing (cityindex otherwise skips it) |
//! | `Aggregate(dat_thresh = t)` | `aggregate.availability_threshold` |
//! | `Denominate(coin, dset = "Raw")` | `{"step": "denominate"}` (denominators from the framework's `Denominator` column) |
//! | `Impute(f_i = "i_mean_grp", use_group = "g")` | `{"step": "impute", "default": {"method": "group_mean", "group": "g"}}` |
//! | `impute_panel(imp_type = "latest")` | `{"method": "latest"}` |
//! | `impute_panel(imp_type = "constant" / "linear")` | `{"method": "latest", "ends": "nearest"}` / `{"method": "linear", "ends": "nearest"}` (COINr fills the ends with the nearest value; the default leaves them missing: [`prepare::impute`]) |
//! | `Screen(dat_thresh = 0.9)` | `{"step": "screen", "units": {"min_availability": 0.9}}` |
//! | `qTreat(winmax = 5, f2 = "log_CT")`, `Dets_Table`, `Treated_Points` | `{"step": "treat"}`, [`prepare::treat::TreatmentReport`] |
//! | purse + `Normalise(global = TRUE)` | [`score_panel`] with `normalise.panel_bounds = "all_periods"` |
//! | `get_trends(purse, dset, f_trend = "CAGR" / "prc_change")` | [`PanelScores::trends`] with [`trend::TrendMetric`] (first and last *observed* periods; a growth rate from 0 is missing unless [`trend::FromZero::Infinite`] asks for COINr's ±∞); [`PanelScores::trend`] between two periods |
//! | `get_stats` | [`analysis::indicator_stats`] |
//! | `get_corr`, `get_corr_flags` | [`analysis::level_correlations`], [`analysis::correlation_matrix`] |
//! | `get_cronbach` | [`analysis::cronbach_alpha`] |
//! | `get_PCA` | [`analysis::pca`], [`analysis::pca_weights`], `{"method": "pca"}` weighting |
//! | `get_eff_weights` | [`analysis::effective_weights`] |
//! | `get_str_weak` | [`analysis::strengths_and_weaknesses`] |
//! | `remove_elements` | [`analysis::remove_elements`] |
//! | `get_opt_weights(Level, itarg, optype, cortype)` | [`optimise::optimise_level_weights`]: to convergence by default; COINr's numbers with [`optimise::Optimiser::COINR`] (R's `optim` Nelder–Mead with COINr's `toler = 0.1`, which stops after a few steps); one node's children: [`optimise::optimise_weights`] |
//! | `get_sensitivity(SA_type = "UA")` | [`uncertainty::run_uncertainty`] with an [`uncertainty::UncertaintySpec`] |
//! | `get_sensitivity(SA_type = "SA")` | [`uncertainty::sensitivity`] (Sobol first-order and total effects of COINr's output, the mean absolute rank shift); COINr's noisy weight sets as one input: `"groups": [{"name": "weights", "inputs": ["weight:*"]}]` |
//! | `get_results(..., use = "ranks")` | [`Scores::rank`] (ties "min" by default) |
//!
//! # Rules for numbers
//!
//! Sums run in a fixed order, `ln`/`exp`/`pow` come from `libm`, nothing iterates a hash map into
//! a result: the same inputs give the same bits on every platform.

//!
//! # Numeric safety
//!
//! Overflow is degenerate data. Where a number can leave the finite range, one rule in one place
//! says what happens; finite results keep their bits, because every fallback runs only where the
//! plain form failed:
//!
//! | where | can overflow | handled by |
//! |---|---|---|
//! | sibling weights | their sum | `framework.weight_overflow` naming the parent (one check for framework, recipe and uncertainty draws) |
//! | min-max, distance to max or target | max − min, target − min | the same ratio on halved values |
//! | min-max `lo`/`hi`, goalposts | hi − lo, gmax − gmin | refused as parameters (finite span, min below max) |
//! | other normalisations (z-score, goalposts unclamped, ratios) | means, products, quotients | `score.overflow` naming the indicator and unit: a present value normalises to a finite one |
//! | means (arithmetic, geometric, harmonic, generalised) | Σwx, powers xᵖ, reciprocals | recomputed on rescaled values (every mean is homogeneous), else `score.overflow` naming node and unit |
//! | MCDA methods, Copeland, benefit of the doubt | their own sums | `score.overflow` / `method.overflow` |
//! | preparation (Box-Cox, log, denominators, imputed means) | powers, exp/log, quotients | `score.overflow` naming indicator and unit |
//! | analyses (correlations, Cronbach's α, Sobol) | variances of constant data | a documented missing value, or an error saying why |
//! | sizes (replicates, base points, resamples, pairwise units) | memory and time | [`limits`], refused up front as `method.too_large` |
//!
//! No output value is non-finite unless it is a missing value: a unit without data, or without
//! a present child of positive weight.
//!
//! # The project's README
//!
//! (Quickstarts for Rust, Python, JavaScript and the command line; its Rust examples are run as
//! this crate's doctests.)
#![doc = include_str!("../../README.md")]

pub mod aggregate;
pub mod analysis;
pub mod band;
pub mod builtin;
pub mod dataset;
mod error;
pub mod framework;
mod json;
pub mod layout;
pub mod limits;
pub mod mcda;
pub mod model;
pub mod normalise;
pub mod optimise;
mod parallel;
pub mod pipeline;
pub mod prepare;
pub mod rank;
pub mod recipe;
pub mod scores;
pub mod stats;
pub mod trend;
pub mod uncertainty;
pub mod weight;

pub use dataset::{Dataset, Unit};
pub use error::{BoundaryError, DataError, Error, FrameworkError, MethodError, ScoreError};
pub use framework::{Direction, Framework, Node};
pub use layout::CsvLayout;
pub use pipeline::{PanelScores, Trend, score, score_panel};
pub use recipe::Recipe;
pub use scores::Scores;
