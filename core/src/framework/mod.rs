//! The framework: a tree of indicators under aggregate nodes, validated once on construction.
//!
//! A framework is built from a list of [`Node`]s, each naming its parent (the flat form), from a
//! nested JSON [`FrameworkDocument`], or from a flat node table in CSV ([`Framework::from_table_csv`],
//! which accepts COINr's iMeta columns as they are). It serialises back to both forms.
//!
//! Levels follow COINr: indicators are level 1 and an aggregate is one level above its highest
//! child, so the top of a balanced tree has the highest level.

mod document;
mod table;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use document::{FrameworkDocument, NodeDocument};

use crate::error::FrameworkError;

/// Which way an indicator points: `Positive` when more is better, `Negative` when less is better.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "i8")]
#[cfg_attr(feature = "typescript", tsify(type = "1 | -1"))]
pub enum Direction {
    /// Higher values are better (+1).
    #[default]
    Positive,
    /// Lower values are better (-1).
    Negative,
}

impl Direction {
    /// +1.0 or -1.0.
    #[must_use]
    pub fn sign(self) -> f64 {
        match self {
            Direction::Positive => 1.0,
            Direction::Negative => -1.0,
        }
    }
}

impl TryFrom<f64> for Direction {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        if value == 1.0 {
            Ok(Direction::Positive)
        } else if value == -1.0 {
            Ok(Direction::Negative)
        } else {
            Err(format!("direction must be 1 or -1, got {value}"))
        }
    }
}

impl From<Direction> for i8 {
    fn from(d: Direction) -> i8 {
        match d {
            Direction::Positive => 1,
            Direction::Negative => -1,
        }
    }
}

/// Fixed goalposts for an indicator: the values that map to 0 and 1 (DESI's "Min" and "Max").
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goalposts {
    /// The value that scores 0 for a positive indicator (1 for a negative one).
    pub min: f64,
    /// The value that scores 1 for a positive indicator (0 for a negative one).
    pub max: f64,
}

/// One level of an ordinal scale: the value recorded in the data and the score it maps to.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdinalLevel {
    /// The value as it appears in the data.
    pub value: f64,
    /// The score the value maps to under categorical normalisation.
    pub score: f64,
    /// A label for the level, e.g. "partially implemented".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// What kind of values an indicator takes.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scale {
    /// Any real number.
    #[default]
    Continuous,
    /// 1 for yes, 0 for no.
    YesNo,
    /// A few levels, each with a score.
    Ordinal {
        /// The levels, in any order.
        levels: Vec<OrdinalLevel>,
    },
}

/// The metadata of an indicator (a leaf of the tree).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indicator {
    /// Unit of measurement, e.g. "% households".
    pub unit: Option<String>,
    /// Whether more is better.
    pub direction: Direction,
    /// Fixed goalposts, for goalpost normalisation.
    pub goalposts: Option<Goalposts>,
    /// Target value, for distance-to-target normalisation and, with `target_year`, the
    /// assessment of progress towards it ([`crate::analysis::target_progress`]).
    pub target: Option<f64>,
    /// The period by which `target` is to be reached (the Digital Decade's 2030).
    pub target_year: Option<i64>,
    /// Continuous, yes/no or ordinal.
    pub scale: Scale,
    /// Where the data come from.
    pub source: Option<String>,
    /// The data column this indicator is divided by in the denominate step (COINr's
    /// `Denominator`: population, GDP, area…).
    pub denominator: Option<String>,
}

/// A node is either an indicator (a leaf) or an aggregate of its children.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A leaf holding data.
    Indicator(Indicator),
    /// A dimension, pillar, category or index computed from its children.
    Aggregate,
}

/// A node in flat form: it names its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id, e.g. `"2a1"` or `"Physical"`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Parent id; `None` for a top node.
    pub parent: Option<String>,
    /// Weight among its siblings (relative; rescaled within each group).
    pub weight: f64,
    /// Indicator or aggregate.
    pub kind: NodeKind,
}

impl Node {
    /// An indicator with default metadata (direction +1, continuous, weight 1).
    #[must_use]
    pub fn indicator(id: &str, parent: Option<&str>) -> Self {
        Node {
            id: id.to_owned(),
            name: id.to_owned(),
            parent: parent.map(str::to_owned),
            weight: 1.0,
            kind: NodeKind::Indicator(Indicator::default()),
        }
    }

    /// An aggregate with weight 1.
    #[must_use]
    pub fn aggregate(id: &str, parent: Option<&str>) -> Self {
        Node {
            id: id.to_owned(),
            name: id.to_owned(),
            parent: parent.map(str::to_owned),
            weight: 1.0,
            kind: NodeKind::Aggregate,
        }
    }

    /// The same node with another weight.
    #[must_use]
    pub fn with_weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }

    /// The same node with another name.
    #[must_use]
    pub fn with_name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.name);
        self
    }

    /// The indicator metadata, if this node is an indicator.
    #[must_use]
    pub fn as_indicator(&self) -> Option<&Indicator> {
        match &self.kind {
            NodeKind::Indicator(ind) => Some(ind),
            NodeKind::Aggregate => None,
        }
    }

    /// Mutable indicator metadata, if this node is an indicator.
    pub fn as_indicator_mut(&mut self) -> Option<&mut Indicator> {
        match &mut self.kind {
            NodeKind::Indicator(ind) => Some(ind),
            NodeKind::Aggregate => None,
        }
    }
}

/// What a unit-level data column that is not an indicator holds.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataColumnKind {
    /// A grouping of units (text), e.g. income group.
    Group,
    /// A denominator such as population or GDP.
    Denominator,
    /// Any other column kept with the data.
    Other,
}

/// A declared unit-level column that is not an indicator (COINr's iMeta rows of type
/// `Group`, `Denominator` or `Other`). Declared columns are not reported as unclaimed.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataColumn {
    /// Column id as in the data.
    pub id: String,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What it holds.
    pub kind: DataColumnKind,
    /// Unit of measurement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Descriptive fields of a framework: where it comes from and what it is.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    /// Short id, e.g. `desi-2022`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it measures and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Publisher and edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Licence of the methodology and data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Ids of units that are aggregates — the EU, an average, a group total — whenever they
    /// appear in the data: scored and shown, never ranked, and left out of every statistic
    /// taken from the data (normalisation, preparation, data-derived weights). See
    /// [`crate::pipeline::score`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregate_units: Vec<String>,
}

/// A validated tree of indicators and aggregates.
///
/// **Canonical node order.** Nodes are kept in one order, whatever form the framework was given
/// in (nested JSON, a flat iMeta table in any row order, a pandas table, a JS object, a builtin):
/// depth first, each node before its children, the top nodes and each node's children in the
/// order they were given. Everything that draws or orders by node — the weight noise of an
/// uncertainty analysis, sensitivity inputs, analysis tables — follows it, so one framework and
/// one seed give the same bits from every loader. Lookups by id go through a hash map that is
/// never iterated.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    info: FrameworkInfo,
    level_names: Vec<String>,
    nodes: Vec<Node>,
    data_columns: Vec<DataColumn>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    level: Vec<u32>,
    leaves: Vec<usize>,
    by_id: HashMap<String, usize>,
}

impl Framework {
    /// Builds and validates a framework from nodes in flat form.
    ///
    /// # Errors
    /// Empty framework, empty or duplicate ids, unknown parents, cycles, non-finite or negative
    /// weights, sibling weights summing to zero, aggregates without children, invalid direction,
    /// goalposts, target or scale, and duplicate data columns.
    pub fn new(nodes: Vec<Node>) -> Result<Self, FrameworkError> {
        Self::with_parts(FrameworkInfo::default(), Vec::new(), nodes, Vec::new())
    }

    /// Builds and validates a framework with its descriptive fields, level names and declared
    /// data columns. See [`Framework::new`] for the checks.
    pub fn with_parts(
        info: FrameworkInfo,
        level_names: Vec<String>,
        nodes: Vec<Node>,
        data_columns: Vec<DataColumn>,
    ) -> Result<Self, FrameworkError> {
        if nodes.is_empty() {
            return Err(FrameworkError::Empty);
        }
        let mut by_id = HashMap::with_capacity(nodes.len());
        for (position, node) in nodes.iter().enumerate() {
            if node.id.trim().is_empty() {
                return Err(FrameworkError::EmptyId { position });
            }
            if by_id.insert(node.id.clone(), position).is_some() {
                return Err(FrameworkError::DuplicateId {
                    id: node.id.clone(),
                });
            }
        }
        let mut parent = Vec::with_capacity(nodes.len());
        let mut children = vec![Vec::new(); nodes.len()];
        for (i, node) in nodes.iter().enumerate() {
            let p = match &node.parent {
                None => None,
                Some(pid) => {
                    let Some(&p) = by_id.get(pid) else {
                        return Err(FrameworkError::UnknownParent {
                            node: node.id.clone(),
                            parent: pid.clone(),
                        });
                    };
                    children[p].push(i);
                    Some(p)
                }
            };
            parent.push(p);
        }
        check_acyclic(&nodes, &parent)?;
        check_depth(&nodes, &parent)?;
        if let Some(order) = canonical_order(&parent, &children) {
            let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
            let nodes = order.iter().filter_map(|&i| slots[i].take()).collect();
            return Self::with_parts(info, level_names, nodes, data_columns);
        }
        for (i, node) in nodes.iter().enumerate() {
            validate_node(node, !children[i].is_empty())?;
        }
        for (i, kids) in children.iter().enumerate() {
            if !kids.is_empty() {
                let weights: Vec<f64> = kids.iter().map(|&c| nodes[c].weight).collect();
                check_sibling_weights(&nodes[i].id, &weights)?;
            }
        }
        for (k, column) in data_columns.iter().enumerate() {
            if by_id.contains_key(&column.id) || data_columns[..k].iter().any(|c| c.id == column.id)
            {
                return Err(FrameworkError::DuplicateDataColumn {
                    id: column.id.clone(),
                });
            }
        }
        let level = compute_levels(&children);
        let leaves = (0..nodes.len())
            .filter(|&i| matches!(nodes[i].kind, NodeKind::Indicator(_)))
            .collect();
        Ok(Framework {
            info,
            level_names,
            nodes,
            data_columns,
            parent,
            children,
            level,
            leaves,
            by_id,
        })
    }

    /// Descriptive fields.
    #[must_use]
    pub fn info(&self) -> &FrameworkInfo {
        &self.info
    }

    /// Names of the levels, from level 1 (indicators) upwards, if given.
    #[must_use]
    pub fn level_names(&self) -> &[String] {
        &self.level_names
    }

    /// All nodes, in the canonical order (see [`Framework`]).
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Declared non-indicator data columns.
    #[must_use]
    pub fn data_columns(&self) -> &[DataColumn] {
        &self.data_columns
    }

    /// Number of nodes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a framework has at least one node.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Position of a node by id.
    #[must_use]
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// A node by id.
    #[must_use]
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.position(id).map(|i| &self.nodes[i])
    }

    /// Positions of the children of node `i`, in the order they were given.
    #[must_use]
    pub fn children_of(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Position of the parent of node `i`.
    #[must_use]
    pub fn parent_of(&self, i: usize) -> Option<usize> {
        self.parent[i]
    }

    /// Level of node `i` (1 for indicators).
    #[must_use]
    pub fn level_of(&self, i: usize) -> u32 {
        self.level[i]
    }

    /// The highest level.
    #[must_use]
    pub fn max_level(&self) -> u32 {
        self.level.iter().copied().max().unwrap_or(1)
    }

    /// Positions of the indicators, in input order.
    #[must_use]
    pub fn indicator_positions(&self) -> &[usize] {
        &self.leaves
    }

    /// Ids of the indicators, in input order.
    pub fn indicator_ids(&self) -> impl Iterator<Item = &str> {
        self.leaves.iter().map(|&i| self.nodes[i].id.as_str())
    }

    /// Positions of the top nodes (those without a parent), in input order.
    #[must_use]
    pub fn roots(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.parent[i].is_none())
            .collect()
    }

    /// Positions of the aggregates, ordered by level and then by input order: the order in which
    /// they are computed.
    #[must_use]
    pub fn aggregate_positions(&self) -> Vec<usize> {
        let mut aggs: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| !self.children[i].is_empty())
            .collect();
        aggs.sort_by_key(|&i| self.level[i]);
        aggs
    }

    /// The indicators under node `i`, in framework order (`i` itself for an indicator).
    #[must_use]
    pub fn indicators_below(&self, i: usize) -> Vec<usize> {
        if self.children[i].is_empty() {
            return vec![i];
        }
        self.children[i]
            .iter()
            .flat_map(|&c| self.indicators_below(c))
            .collect()
    }

    /// Number of indicators under node `i` (1 for an indicator).
    #[must_use]
    pub fn indicator_count(&self, i: usize) -> usize {
        if self.children[i].is_empty() {
            1
        } else {
            self.children[i]
                .iter()
                .map(|&c| self.indicator_count(c))
                .sum()
        }
    }
}

/// The one rule for a range of values — goalposts (framework or recipe), min-max's `lo` and
/// `hi`: finite, the lower below the upper (goalposts given the wrong way round would silently
/// flip the indicator; its direction says which end is best), and a span that is itself finite.
pub(crate) fn valid_range(min: f64, max: f64) -> bool {
    min.is_finite() && max.is_finite() && min < max && (max - min).is_finite()
}

/// The one rule for the weights of an aggregate's children, wherever they come from (the
/// framework, a recipe, a weighting rule, an uncertainty draw): their sum, taken in child order,
/// must be positive and finite. Each weight is already finite and non-negative.
///
/// # Errors
/// [`FrameworkError::ZeroWeights`] or [`FrameworkError::WeightOverflow`], naming `parent`.
pub(crate) fn check_sibling_weights(parent: &str, weights: &[f64]) -> Result<(), FrameworkError> {
    let sum: f64 = weights.iter().sum();
    if sum == 0.0 {
        return Err(FrameworkError::ZeroWeights {
            parent: parent.to_owned(),
        });
    }
    if !sum.is_finite() {
        return Err(FrameworkError::WeightOverflow {
            parent: parent.to_owned(),
        });
    }
    Ok(())
}

/// The positions of the nodes in the canonical order (depth first, a node before its children,
/// siblings and top nodes in the order given), or `None` when they already are in it.
fn canonical_order(parent: &[Option<usize>], children: &[Vec<usize>]) -> Option<Vec<usize>> {
    let mut order = Vec::with_capacity(parent.len());
    let mut stack: Vec<usize> = (0..parent.len())
        .filter(|&i| parent[i].is_none())
        .rev()
        .collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(children[i].iter().rev());
    }
    order
        .iter()
        .enumerate()
        .any(|(k, &i)| k != i)
        .then_some(order)
}

fn check_acyclic(nodes: &[Node], parent: &[Option<usize>]) -> Result<(), FrameworkError> {
    // 0 = unvisited, 1 = on the current path, 2 = known to reach a root.
    let mut state = vec![0u8; nodes.len()];
    let mut path = Vec::new();
    for start in 0..nodes.len() {
        let mut i = start;
        while state[i] == 0 {
            state[i] = 1;
            path.push(i);
            match parent[i] {
                Some(p) => i = p,
                None => break,
            }
        }
        if state[i] == 1 && parent[i].is_some() {
            return Err(FrameworkError::Cycle {
                node: nodes[i].id.clone(),
            });
        }
        for &j in &path {
            state[j] = 2;
        }
        path.clear();
    }
    Ok(())
}

/// The deepest tree supported. Official frameworks have 3 to 6 levels; the limit keeps every
/// walk over the tree far from the stack's limits.
pub const MAX_DEPTH: usize = 64;

fn check_depth(nodes: &[Node], parent: &[Option<usize>]) -> Result<(), FrameworkError> {
    let mut depth: Vec<Option<usize>> = vec![None; nodes.len()];
    for start in 0..nodes.len() {
        let mut chain = Vec::new();
        let mut i = start;
        // The depth of the last node pushed: 0 for a top node, or one below a known node.
        let offset = loop {
            if let Some(d) = depth[i] {
                break d + 1;
            }
            chain.push(i);
            match parent[i] {
                Some(p) => i = p,
                None => break 0,
            }
        };
        for (k, &j) in chain.iter().rev().enumerate() {
            let d = offset + k;
            if d > MAX_DEPTH {
                return Err(FrameworkError::TooDeep {
                    node: nodes[j].id.clone(),
                    limit: MAX_DEPTH,
                });
            }
            depth[j] = Some(d);
        }
    }
    Ok(())
}

fn validate_node(node: &Node, has_children: bool) -> Result<(), FrameworkError> {
    if !node.weight.is_finite() || node.weight < 0.0 {
        return Err(FrameworkError::InvalidWeight {
            node: node.id.clone(),
            weight: node.weight,
        });
    }
    match &node.kind {
        NodeKind::Aggregate if !has_children => Err(FrameworkError::EmptyAggregate {
            node: node.id.clone(),
        }),
        NodeKind::Aggregate => Ok(()),
        NodeKind::Indicator(_) if has_children => Err(FrameworkError::IndicatorWithChildren {
            node: node.id.clone(),
        }),
        NodeKind::Indicator(_) if crate::layout::CsvLayout::is_reserved(&node.id) => {
            Err(FrameworkError::ReservedId {
                node: node.id.clone(),
            })
        }
        NodeKind::Indicator(ind) => validate_indicator(&node.id, ind),
    }
}

fn validate_indicator(id: &str, ind: &Indicator) -> Result<(), FrameworkError> {
    if let Some(g) = ind.goalposts
        && !valid_range(g.min, g.max)
    {
        return Err(FrameworkError::InvalidGoalposts {
            node: id.to_owned(),
            min: g.min,
            max: g.max,
        });
    }
    if let Some(t) = ind.target
        && !t.is_finite()
    {
        return Err(FrameworkError::InvalidTarget {
            node: id.to_owned(),
            value: t,
        });
    }
    if let Scale::Ordinal { levels } = &ind.scale {
        let invalid = |reason: &str| FrameworkError::InvalidScale {
            node: id.to_owned(),
            reason: reason.to_owned(),
        };
        if levels.is_empty() {
            return Err(invalid("it has no levels"));
        }
        if levels
            .iter()
            .any(|l| !l.value.is_finite() || !l.score.is_finite())
        {
            return Err(invalid("values and scores must be finite"));
        }
        for (k, l) in levels.iter().enumerate() {
            if levels[..k].iter().any(|m| m.value == l.value) {
                return Err(invalid(&format!("value {} appears twice", l.value)));
            }
        }
    }
    Ok(())
}

/// Indicators are level 1; an aggregate is one above its highest child. Children are
/// visited before parents by walking each node's chain once (the tree is acyclic).
fn compute_levels(children: &[Vec<usize>]) -> Vec<u32> {
    fn level(i: usize, children: &[Vec<usize>], memo: &mut [u32]) -> u32 {
        if memo[i] == 0 {
            memo[i] = 1 + children[i]
                .iter()
                .map(|&c| level(c, children, memo))
                .max()
                .unwrap_or(0);
        }
        memo[i]
    }
    let mut memo = vec![0; children.len()];
    for i in 0..children.len() {
        level(i, children, &mut memo);
    }
    memo
}
