//! Errors, one enum per domain. Every variant names the node, indicator or unit at fault.

use thiserror::Error;

/// A framework that cannot be built: its tree, weights or metadata are invalid.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum FrameworkError {
    /// The framework has no nodes.
    #[error("the framework is empty: it has no nodes")]
    Empty,
    /// A node has an empty id.
    #[error("node number {position} has an empty id")]
    EmptyId {
        /// Zero-based position of the node in the input.
        position: usize,
    },
    /// Two nodes share an id.
    #[error("duplicate node id `{id}`")]
    DuplicateId {
        /// The repeated id.
        id: String,
    },
    /// A node names a parent that does not exist.
    #[error("node `{node}` names unknown parent `{parent}`")]
    UnknownParent {
        /// The child node.
        node: String,
        /// The parent id it names.
        parent: String,
    },
    /// Following parents from a node leads back to it.
    #[error("node `{node}` is part of a cycle of parents")]
    Cycle {
        /// A node on the cycle.
        node: String,
    },
    /// A weight is negative, infinite or NaN.
    #[error("node `{node}` has weight {weight}: weights must be finite and non-negative")]
    InvalidWeight {
        /// The node.
        node: String,
        /// The weight given.
        weight: f64,
    },
    /// The weights of an aggregate's children sum beyond the largest finite number.
    #[error(
        "the weights of the children of `{parent}` sum beyond the largest finite number; scale them down"
    )]
    WeightOverflow {
        /// The aggregate node.
        parent: String,
    },
    /// All children of an aggregate have weight zero.
    #[error("the weights of the children of `{parent}` sum to zero")]
    ZeroWeights {
        /// The aggregate node.
        parent: String,
    },
    /// A direction other than +1 or -1.
    #[error("indicator `{node}` has direction {value}: it must be 1 or -1")]
    InvalidDirection {
        /// The indicator.
        node: String,
        /// The value given.
        value: f64,
    },
    /// Goalposts that are not finite, not in increasing order, or span more than the finite range.
    #[error(
        "indicator `{node}` has goalposts min {min} and max {max}: they must be finite, min below max (the direction says which end is best), with a finite span"
    )]
    InvalidGoalposts {
        /// The indicator.
        node: String,
        /// Lower goalpost.
        min: f64,
        /// Upper goalpost.
        max: f64,
    },
    /// A target that is not finite.
    #[error("indicator `{node}` has target {value}: it must be finite")]
    InvalidTarget {
        /// The indicator.
        node: String,
        /// The value given.
        value: f64,
    },
    /// An ordinal scale with no levels, repeated values or non-finite numbers.
    #[error("indicator `{node}` has an invalid ordinal scale: {reason}")]
    InvalidScale {
        /// The indicator.
        node: String,
        /// What is wrong.
        reason: String,
    },
    /// A tree deeper than the library supports.
    #[error("node `{node}` lies more than {limit} levels below the top of the framework")]
    TooDeep {
        /// The deepest node found.
        node: String,
        /// The largest depth supported.
        limit: usize,
    },
    /// An indicator named as a column of the iData layout that is not an indicator.
    #[error(
        "indicator `{node}` is named as a column of the data layout (uCode, uName, Time, Group_*) that holds no indicator; rename it"
    )]
    ReservedId {
        /// The indicator.
        node: String,
    },
    /// A node declared as an indicator has children.
    #[error("node `{node}` is declared an indicator but has children")]
    IndicatorWithChildren {
        /// The node.
        node: String,
    },
    /// A node declared as an aggregate has no children.
    #[error("aggregate `{node}` has no children")]
    EmptyAggregate {
        /// The node.
        node: String,
    },
    /// Indicator metadata given on an aggregate node.
    #[error("node `{node}` is an aggregate, but `{field}` applies to indicators only")]
    IndicatorFieldOnAggregate {
        /// The node.
        node: String,
        /// The field.
        field: &'static str,
    },
    /// A level given in a table that disagrees with the tree.
    #[error(
        "node `{node}` is given level {given}, but its place in the tree makes it level {computed}"
    )]
    LevelMismatch {
        /// The node.
        node: String,
        /// Level given.
        given: u32,
        /// Level implied by the tree (indicators are level 1, a parent is one above its highest child).
        computed: u32,
    },
    /// A data column (group, denominator) declared twice or sharing a node's id.
    #[error("data column `{id}` is declared twice or shares its id with a node")]
    DuplicateDataColumn {
        /// The column id.
        id: String,
    },
    /// A malformed row in the flat node table.
    #[error("framework table, line {line}: {message}")]
    Table {
        /// One-based line number in the CSV text (the header is line 1).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A malformed JSON framework document.
    #[error("framework JSON: {0}")]
    Json(String),
    /// An embedded framework that does not exist.
    #[error("no built-in framework `{id}`; known: {}", Listed(.known))]
    UnknownBuiltin {
        /// The id asked for.
        id: String,
        /// The embedded frameworks' ids.
        known: Vec<String>,
    },
}

/// A data set that cannot be built or read.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum DataError {
    /// Two rows share a unit id (within one period).
    #[error("duplicate unit id `{unit}`")]
    DuplicateUnit {
        /// The unit id.
        unit: String,
    },
    /// A unit with an empty (or blank) id; the message counts units from 1.
    #[error("unit number {} has an empty id", .position + 1)]
    EmptyUnitId {
        /// Zero-based row position.
        position: usize,
    },
    /// Two columns share an id.
    #[error("duplicate column `{column}`")]
    DuplicateColumn {
        /// The column id.
        column: String,
    },
    /// A column whose length differs from the number of units.
    #[error("column `{column}` has {found} values but there are {expected} units")]
    LengthMismatch {
        /// The column id.
        column: String,
        /// The number of units.
        expected: usize,
        /// The number of values.
        found: usize,
    },
    /// An infinite value (missing values are NaN; infinities are rejected).
    #[error("value {value} for unit `{unit}` in column `{column}` is not finite")]
    NonFinite {
        /// The unit id.
        unit: String,
        /// The column id.
        column: String,
        /// The value.
        value: f64,
    },
    /// A cell that is neither a number nor a missing-value marker.
    #[error("column `{column}`, line {line}: `{text}` is not a number")]
    NotANumber {
        /// The column id.
        column: String,
        /// One-based line number in the CSV text.
        line: u64,
        /// The cell's text.
        text: String,
    },
    /// A required column is absent from a CSV header.
    #[error("the data has no `{column}` column")]
    MissingIdColumn {
        /// The column name looked for.
        column: String,
    },
    /// A period label that is not an integer.
    #[error("line {line}: period `{text}` is not an integer")]
    InvalidPeriod {
        /// One-based line number.
        line: u64,
        /// The cell's text.
        text: String,
    },
    /// A period that is not in the data.
    #[error("the data has no period {period}")]
    UnknownPeriod {
        /// The period asked for.
        period: i64,
    },
    /// Malformed CSV.
    #[error("data CSV, line {line}: {message}")]
    Csv {
        /// One-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A malformed JSON data document.
    #[error("data JSON: {0}")]
    Json(String),
    /// An argument a binding cannot read as data (a wrong type, an array of the wrong
    /// dimensions), naming it.
    #[error("{reason}")]
    InvalidInput {
        /// What is wrong, naming the argument.
        reason: String,
    },
    /// A values array whose shape differs from its unit and column ids.
    #[error("the values have shape [{rows}, {columns}] for {units} units and {ids} columns")]
    Shape {
        /// The array's rows.
        rows: usize,
        /// The array's columns.
        columns: usize,
        /// The unit ids given.
        units: usize,
        /// The column ids given.
        ids: usize,
    },
    /// A column asked for that the data do not have.
    #[error("the data have no column `{column}`")]
    MissingColumn {
        /// The column.
        column: String,
    },
    /// Data none of whose columns is an indicator of the framework: almost always the wrong
    /// table, or units in columns.
    #[error(
        "none of the data's {columns} columns (`{first_column}`, …) is one of the framework's \
         {indicators} indicators (`{first_indicator}`, …)"
    )]
    NoIndicatorColumns {
        /// How many columns the data have.
        columns: usize,
        /// The data's first column.
        first_column: String,
        /// How many indicators the framework has.
        indicators: usize,
        /// The framework's first indicator.
        first_indicator: String,
    },
    /// A period asked of data without periods.
    #[error("period {period} was asked for but the data have no periods (no `Time` column)")]
    NoPeriods {
        /// The period asked for.
        period: i64,
    },
    /// Data of several periods where one is needed, and none was chosen.
    #[error(
        "the data hold {count} periods ({first}–{last}); choose one (`period` in Python and \
         JavaScript, `--period` on the command line, `Dataset::for_period` in Rust) or score \
         them all as a panel (`score_panel`)"
    )]
    SeveralPeriods {
        /// How many.
        count: usize,
        /// The first.
        first: i64,
        /// The last.
        last: i64,
    },
}

/// A recipe that cannot be applied, or data that the chosen methods cannot score.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// The data set has no units.
    #[error("the data set has no units")]
    NoUnits,
    /// An indicator of the framework has no data column.
    #[error("indicator `{indicator}` has no data column")]
    MissingColumn {
        /// The indicator id.
        indicator: String,
    },
    /// An aggregate among the units (the EU, an average) where a method compares units with
    /// each other, so the aggregate has no place of its own.
    #[error(
        "{method} compares the units with each other, so aggregate `{unit}` (not a unit) has no \
         place among them: score without it, or mark it as a unit"
    )]
    AggregateCompared {
        /// The method.
        method: &'static str,
        /// The first aggregate.
        unit: String,
    },
    /// A column on which a normalisation is undefined (constant, zero maximum, too few values).
    #[error("indicator `{indicator}`: {method} is undefined because {reason}")]
    DegenerateColumn {
        /// The indicator id.
        indicator: String,
        /// The normalisation method.
        method: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A normalisation that needs goalposts or a target the framework does not give.
    #[error("indicator `{indicator}`: {method} needs {what}, which the framework does not give")]
    MissingMetadata {
        /// The indicator id.
        indicator: String,
        /// The normalisation method.
        method: &'static str,
        /// The missing field.
        what: &'static str,
    },
    /// A categorical normalisation on an indicator without a yes/no or ordinal scale.
    #[error(
        "indicator `{indicator}` has a continuous scale; categorical mapping needs yes/no or ordinal levels"
    )]
    NotCategorical {
        /// The indicator id.
        indicator: String,
    },
    /// A value that is not one of the scale's levels.
    #[error(
        "indicator `{indicator}`: value {value} of unit `{unit}` is not a level of its {scale} scale"
    )]
    NotOnScale {
        /// The indicator id.
        indicator: String,
        /// The unit id.
        unit: String,
        /// The value.
        value: f64,
        /// `yes/no` or `ordinal`.
        scale: &'static str,
    },
    /// An aggregation applied to values outside its domain.
    #[error(
        "node `{node}`, unit `{unit}`: the {method} needs {requirement}, but child `{child}` is {value}"
    )]
    OutsideDomain {
        /// The aggregate node.
        node: String,
        /// The unit id.
        unit: String,
        /// The child node holding the value.
        child: String,
        /// The value.
        value: f64,
        /// The aggregation method.
        method: &'static str,
        /// The domain, e.g. "positive values".
        requirement: &'static str,
    },
    /// A group column named in the recipe that the data do not have.
    #[error("the data have no group column `{group}`")]
    UnknownGroup {
        /// The group column asked for.
        group: String,
    },
    /// A method parameter out of range.
    #[error("{method}: {reason}")]
    InvalidParameter {
        /// The method.
        method: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A recipe names an indicator or node the framework does not have.
    #[error("the recipe's {context} names `{id}`, which is not {expected} of the framework")]
    UnknownId {
        /// The id.
        id: String,
        /// Where in the recipe.
        context: &'static str,
        /// "an indicator", "a node" or "a level".
        expected: &'static str,
    },
    /// A value that leaves the range of finite numbers and cannot be rescaled into it: a
    /// sum, range, power or exponential beyond ±1.8e308 (see "Numeric safety" in the crate
    /// docs).
    #[error("node `{node}`, unit `{unit}`: {what} leaves the range of finite numbers")]
    Overflow {
        /// The indicator or aggregate node.
        node: String,
        /// The unit.
        unit: String,
        /// The computation, e.g. "the generalised mean".
        what: String,
    },
    /// A malformed JSON recipe.
    #[error("recipe JSON: {0}")]
    Json(String),
    /// A node asked of results that do not have it.
    #[error("no node `{node}`{}", Known(.known))]
    UnknownNode {
        /// The node asked for.
        node: String,
        /// The nodes the results have, when few enough to list (an analysis' summarised
        /// nodes); empty otherwise.
        known: Vec<String>,
    },
}

/// `x` rounded to four decimal places, printed in its shortest form (formatting with a
/// precision would bring a second float printer into the WebAssembly module, 6 KB).
fn four_places(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// A list written "a, b, c" (without `join`'s allocation and its code).
struct Listed<'a>(&'a [String]);

impl std::fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, item) in self.0.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            f.write_str(item)?;
        }
        Ok(())
    }
}

/// "; known: a, b" for a non-empty list, nothing for an empty one.
struct Known<'a>(&'a [String]);

impl std::fmt::Display for Known<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "; known: {}", Listed(self.0))
        }
    }
}

/// A weighting, MCDA or analysis method that cannot be applied to its input.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum MethodError {
    /// Fewer alternatives (units) than the method needs.
    #[error("{method} needs at least {needed} alternatives, got {found}")]
    TooFewAlternatives {
        /// The method.
        method: &'static str,
        /// The minimum.
        needed: usize,
        /// What was given.
        found: usize,
    },
    /// Weights or directions whose count differs from the criteria's.
    #[error("{method}: {what} has {found} entries for {expected} criteria")]
    CountMismatch {
        /// The method.
        method: &'static str,
        /// "weights" or "directions".
        what: &'static str,
        /// Number of criteria.
        expected: usize,
        /// Number given.
        found: usize,
    },
    /// A missing value where the method was told not to skip them.
    #[error("{method}: criterion `{criterion}` has no value for alternative `{alternative}`")]
    MissingValue {
        /// The method.
        method: &'static str,
        /// The criterion (column) id.
        criterion: String,
        /// The alternative (unit) id.
        alternative: String,
    },
    /// A criterion on which the method is undefined.
    #[error("{method}: criterion `{criterion}` {reason}")]
    DegenerateCriterion {
        /// The method.
        method: &'static str,
        /// The criterion id.
        criterion: String,
        /// Why, e.g. "is constant".
        reason: &'static str,
    },
    /// A parameter out of range.
    #[error("{method}: {reason}")]
    InvalidParameter {
        /// The method.
        method: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A pairwise-comparison matrix that is not square, positive and reciprocal.
    #[error("AHP: {reason}")]
    InvalidPairwise {
        /// What is wrong, naming the cell.
        reason: String,
    },
    /// Judgements too inconsistent to use.
    #[error(
        "AHP: consistency ratio {} exceeds 0.1; revise the judgements or accept them explicitly",
        four_places(*.ratio)
    )]
    Inconsistent {
        /// The consistency ratio.
        ratio: f64,
    },
    /// A long computation stopped by its progress callback.
    #[error("cancelled after {completed} replicates")]
    Cancelled {
        /// Replicates finished before the cancellation took effect.
        completed: usize,
    },
    /// A size that cannot be honoured: more replicates, base points, resamples or stored
    /// values than the library accepts (see [`crate::limits`]).
    #[error("{what} {requested} exceeds the limit of {limit}")]
    TooLarge {
        /// What was asked for, e.g. "replicates".
        what: &'static str,
        /// How many.
        requested: u128,
        /// The most accepted.
        limit: u128,
    },
    /// A result that leaves the range of finite numbers (values or weights near ±1.8e308).
    #[error(
        "{method}: the result for alternative `{alternative}` leaves the range of finite numbers"
    )]
    Overflow {
        /// The method.
        method: &'static str,
        /// The alternative (unit) id.
        alternative: String,
    },
    /// A run of an analysis that needs every run (a sensitivity analysis) failed.
    #[error("{analysis}: a run failed: {source}")]
    RunFailed {
        /// The analysis.
        analysis: &'static str,
        /// Why the run failed.
        source: Box<Error>,
    },
    /// A configuration of an analysis whose preparation drops a unit that the per-unit results
    /// need in every run.
    #[error(
        "a configuration drops unit `{unit}`, and the indices of each unit need it in every run"
    )]
    UnitDropped {
        /// The unit.
        unit: String,
    },
    /// A name a field does not accept — a misspelt method, say — with the ones it does.
    #[error("`{field}`: unknown `{found}`{}; the valid ones are {}", did_you_mean(.found, .valid), quoted(.valid))]
    UnknownChoice {
        /// The field, as a path into the document: `normalise.default.method`.
        field: String,
        /// The name given.
        found: String,
        /// The names the field accepts.
        valid: Vec<String>,
    },
    /// A method left out of this build: the WebAssembly main module leaves out benefit of the
    /// doubt, which its optional analysis module (`cityindex/analysis`) has.
    #[error(
        "{method} is not in this build (the `{feature}` feature of the Rust crate; in JavaScript, \
         import `cityindex/analysis`)"
    )]
    Unavailable {
        /// The method.
        method: &'static str,
        /// The crate feature that has it.
        feature: &'static str,
    },
    /// A linear programme without a solution.
    #[error("benefit of the doubt for unit `{unit}`: {reason}")]
    Programme {
        /// The unit whose programme failed.
        unit: String,
        /// Infeasible or unbounded.
        reason: String,
    },
}

impl MethodError {
    /// A stable machine-readable code, e.g. `method.inconsistent`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooFewAlternatives { .. } => "method.too_few_alternatives",
            Self::CountMismatch { .. } => "method.count_mismatch",
            Self::MissingValue { .. } => "method.missing_value",
            Self::DegenerateCriterion { .. } => "method.degenerate_criterion",
            Self::InvalidParameter { .. } => "method.invalid_parameter",
            Self::InvalidPairwise { .. } => "method.invalid_pairwise",
            Self::Inconsistent { .. } => "method.inconsistent",
            Self::Programme { .. } => "method.programme",
            Self::Cancelled { .. } => "method.cancelled",
            Self::TooLarge { .. } => "method.too_large",
            Self::Overflow { .. } => "method.overflow",
            Self::RunFailed { .. } => "method.run_failed",
            Self::UnitDropped { .. } => "method.unit_dropped",
            Self::UnknownChoice { .. } => "method.unknown",
            Self::Unavailable { .. } => "method.unavailable",
        }
    }
}

/// `` `a`, `b`, `c` ``.
fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// " (did you mean `x`?)" for the valid name closest to `found`, when one is close: the same
/// letters up to case and underscores, one beginning with the other (`geometric` →
/// `geometric_mean`), or at most a third of the letters changed (Levenshtein distance).
fn did_you_mean(found: &str, valid: &[String]) -> String {
    let key = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let given = key(found);
    let best = valid
        .iter()
        .map(|name| {
            let candidate = key(name);
            let prefix = !given.is_empty()
                && (candidate.starts_with(&given) || given.starts_with(&candidate));
            let distance = if prefix {
                0
            } else {
                levenshtein(&given, &candidate)
            };
            (distance, name)
        })
        .min_by_key(|(distance, _)| *distance);
    match best {
        Some((distance, name)) if distance <= (given.len() / 3).max(1) => {
            format!(" (did you mean `{name}`?)")
        }
        _ => String::new(),
    }
}

/// The number of insertions, deletions and substitutions that turn `a` into `b`.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// What only a binding's boundary can meet: an object used after it was freed or while in use
/// (WebAssembly objects, freed by their `free()`; the JavaScript glue raises these codes), or a
/// value that cannot cross the boundary.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum BoundaryError {
    /// An object used after `free()`.
    #[error("the object was freed (by `free()`) and cannot be used")]
    Freed,
    /// An object used by a call while another call (a progress callback's caller) uses it.
    #[error("the object is in use by a call that has not returned")]
    InUse,
    /// A result that could not be handed over (a failure of the binding, not of the input).
    #[error("internal error: {reason}")]
    Internal {
        /// What failed.
        reason: String,
    },
}

impl BoundaryError {
    /// A stable machine-readable code, e.g. `object.freed`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Freed => "object.freed",
            Self::InUse => "object.in_use",
            Self::Internal { .. } => "internal",
        }
    }
}

/// Any error of the library.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`FrameworkError`].
    #[error(transparent)]
    Framework(#[from] FrameworkError),
    /// See [`DataError`].
    #[error(transparent)]
    Data(#[from] DataError),
    /// See [`ScoreError`].
    #[error(transparent)]
    Score(#[from] ScoreError),
    /// See [`MethodError`].
    #[error(transparent)]
    Method(#[from] MethodError),
    /// See [`BoundaryError`].
    #[error(transparent)]
    Boundary(#[from] BoundaryError),
}

impl Error {
    /// A stable machine-readable code for the error, used by the bindings
    /// (for example `framework.unknown_parent`).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Error::Framework(e) => e.code(),
            Error::Data(e) => e.code(),
            Error::Score(e) => e.code(),
            Error::Method(e) => e.code(),
            Error::Boundary(e) => e.code(),
        }
    }
}

impl FrameworkError {
    /// A stable machine-readable code, e.g. `framework.cycle`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "framework.empty",
            Self::EmptyId { .. } => "framework.empty_id",
            Self::DuplicateId { .. } => "framework.duplicate_id",
            Self::UnknownParent { .. } => "framework.unknown_parent",
            Self::Cycle { .. } => "framework.cycle",
            Self::InvalidWeight { .. } => "framework.invalid_weight",
            Self::ZeroWeights { .. } => "framework.zero_weights",
            Self::WeightOverflow { .. } => "framework.weight_overflow",
            Self::InvalidDirection { .. } => "framework.invalid_direction",
            Self::InvalidGoalposts { .. } => "framework.invalid_goalposts",
            Self::InvalidTarget { .. } => "framework.invalid_target",
            Self::InvalidScale { .. } => "framework.invalid_scale",
            Self::TooDeep { .. } => "framework.too_deep",
            Self::IndicatorWithChildren { .. } => "framework.indicator_with_children",
            Self::ReservedId { .. } => "framework.reserved_id",
            Self::EmptyAggregate { .. } => "framework.empty_aggregate",
            Self::IndicatorFieldOnAggregate { .. } => "framework.indicator_field_on_aggregate",
            Self::LevelMismatch { .. } => "framework.level_mismatch",
            Self::DuplicateDataColumn { .. } => "framework.duplicate_data_column",
            Self::Table { .. } => "framework.table",
            Self::Json(_) => "framework.json",
            Self::UnknownBuiltin { .. } => "framework.unknown_builtin",
        }
    }
}

impl DataError {
    /// A stable machine-readable code, e.g. `data.non_finite`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::DuplicateUnit { .. } => "data.duplicate_unit",
            Self::EmptyUnitId { .. } => "data.empty_unit_id",
            Self::DuplicateColumn { .. } => "data.duplicate_column",
            Self::LengthMismatch { .. } => "data.length_mismatch",
            Self::NonFinite { .. } => "data.non_finite",
            Self::NotANumber { .. } => "data.not_a_number",
            Self::MissingIdColumn { .. } => "data.missing_id_column",
            Self::InvalidPeriod { .. } => "data.invalid_period",
            Self::UnknownPeriod { .. } => "data.unknown_period",
            Self::Csv { .. } => "data.csv",
            Self::Json(_) => "data.json",
            Self::InvalidInput { .. } => "data.invalid_input",
            Self::Shape { .. } => "data.shape",
            Self::MissingColumn { .. } => "data.missing_column",
            Self::NoIndicatorColumns { .. } => "data.no_indicator_columns",
            Self::NoPeriods { .. } => "data.no_periods",
            Self::SeveralPeriods { .. } => "data.several_periods",
        }
    }
}

impl ScoreError {
    /// A stable machine-readable code, e.g. `score.degenerate_column`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoUnits => "score.no_units",
            Self::MissingColumn { .. } => "score.missing_column",
            Self::DegenerateColumn { .. } => "score.degenerate_column",
            Self::AggregateCompared { .. } => "score.aggregate_compared",
            Self::MissingMetadata { .. } => "score.missing_metadata",
            Self::NotCategorical { .. } => "score.not_categorical",
            Self::NotOnScale { .. } => "score.not_on_scale",
            Self::OutsideDomain { .. } => "score.outside_domain",
            Self::UnknownGroup { .. } => "score.unknown_group",
            Self::InvalidParameter { .. } => "score.invalid_parameter",
            Self::UnknownId { .. } => "score.unknown_id",
            Self::Overflow { .. } => "score.overflow",
            Self::Json(_) => "score.json",
            Self::UnknownNode { .. } => "score.unknown_node",
        }
    }
}
