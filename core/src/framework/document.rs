//! The nested JSON form of a framework: each aggregate lists its children.

use serde::{Deserialize, Serialize};

use super::{
    DataColumn, Direction, Framework, FrameworkInfo, Goalposts, Indicator, MAX_DEPTH, Node,
    NodeKind, Scale,
};
use crate::error::FrameworkError;

/// A framework as a nested document, the shape of its JSON form:
///
/// ```json
/// {"name": "Example", "nodes": [
///   {"id": "Index", "children": [
///     {"id": "a", "weight": 2},
///     {"id": "b", "direction": -1, "goalposts": {"min": 0, "max": 10}}]}]}
/// ```
///
/// A node with `children` is an aggregate; a node without is an indicator.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkDocument {
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
    /// Names of the levels from 1 (indicators) upwards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub level_names: Vec<String>,
    /// Declared non-indicator data columns (groups, denominators).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_columns: Vec<DataColumn>,
    /// The top nodes, each with its subtree.
    pub nodes: Vec<NodeDocument>,
}

/// One node of a [`FrameworkDocument`] with its children.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDocument {
    /// Unique id.
    pub id: String,
    /// Human-readable name (defaults to the id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Weight among siblings (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Children: given (and non-empty) for an aggregate, absent for an indicator. An empty
    /// list is an error (an aggregate without children), not an indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<NodeDocument>>,
    /// Indicator only: unit of measurement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Indicator only: 1 (more is better, the default) or -1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Indicator only: fixed goalposts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goalposts: Option<Goalposts>,
    /// Indicator only: target value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Indicator only: the period by which the target is to be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_year: Option<i64>,
    /// Indicator only: continuous (default), yes/no or ordinal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// Indicator only: data source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Indicator only: the data column it is divided by when denominating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
}

fn one() -> f64 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(w: &f64) -> bool {
    *w == 1.0
}

impl FrameworkDocument {
    /// Parses the JSON form.
    ///
    /// # Errors
    /// [`FrameworkError::Json`] with serde's message and the path of the field at fault.
    pub fn from_json(text: &str) -> Result<Self, FrameworkError> {
        crate::json::parse(text).map_err(|e| {
            // serde_json stops at 128 levels of nesting, before the tree's own depth rule can
            // name the node: a tree that deep is too deep.
            match deepest_id(text, 2 * MAX_DEPTH) {
                Some(node) => FrameworkError::TooDeep {
                    node,
                    limit: MAX_DEPTH,
                },
                None => FrameworkError::Json(e.into_text()),
            }
        })
    }
}

/// If `text` nests arrays and objects more than `limit` deep, the last `"id"` value met before
/// that depth (or `?`): one pass, strings and escapes skipped.
fn deepest_id(text: &str, limit: usize) -> Option<String> {
    let (mut depth, mut last_id) = (0_usize, None::<String>);
    let (mut string, mut after_id_key) = (None::<String>, false);
    let mut chars = text.chars();
    let mut key_pending = false;
    while let Some(c) = chars.next() {
        if let Some(s) = string.as_mut() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    let s = string.take().unwrap_or_default();
                    if after_id_key {
                        last_id = Some(s);
                        after_id_key = false;
                    } else {
                        key_pending = s == "id";
                    }
                }
                c => s.push(c),
            }
            continue;
        }
        match c {
            '"' => string = Some(String::new()),
            ':' => after_id_key = std::mem::take(&mut key_pending),
            '[' | '{' => {
                after_id_key = false;
                depth += 1;
                if depth > limit {
                    return Some(last_id.unwrap_or_else(|| "?".to_owned()));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            c if !c.is_whitespace() => {
                key_pending = false;
                after_id_key = false;
            }
            _ => {}
        }
    }
    None
}

impl TryFrom<FrameworkDocument> for Framework {
    type Error = FrameworkError;

    fn try_from(doc: FrameworkDocument) -> Result<Framework, FrameworkError> {
        let mut nodes = Vec::new();
        for top in doc.nodes {
            flatten(top, None, &mut nodes)?;
        }
        let info = FrameworkInfo {
            id: doc.id,
            name: doc.name,
            description: doc.description,
            source: doc.source,
            licence: doc.licence,
            aggregate_units: doc.aggregate_units,
        };
        Framework::with_parts(info, doc.level_names, nodes, doc.data_columns)
    }
}

fn flatten(
    doc: NodeDocument,
    parent: Option<&str>,
    out: &mut Vec<Node>,
) -> Result<(), FrameworkError> {
    let NodeDocument {
        id,
        name,
        weight,
        children,
        unit,
        direction,
        goalposts,
        target,
        target_year,
        scale,
        source,
        denominator,
    } = doc;
    let children = match children {
        Some(c) if c.is_empty() => return Err(FrameworkError::EmptyAggregate { node: id }),
        c => c.unwrap_or_default(),
    };
    let kind = if children.is_empty() {
        NodeKind::Indicator(Indicator {
            unit,
            direction: direction.unwrap_or_default(),
            goalposts,
            target,
            target_year,
            scale: scale.unwrap_or_default(),
            source,
            denominator,
        })
    } else {
        let given = [
            ("unit", unit.is_some()),
            ("direction", direction.is_some()),
            ("goalposts", goalposts.is_some()),
            ("target", target.is_some()),
            ("target_year", target_year.is_some()),
            ("scale", scale.is_some()),
            ("source", source.is_some()),
            ("denominator", denominator.is_some()),
        ];
        if let Some((field, _)) = given.iter().find(|(_, set)| *set) {
            return Err(FrameworkError::IndicatorFieldOnAggregate { node: id, field });
        }
        NodeKind::Aggregate
    };
    out.push(Node {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        parent: parent.map(str::to_owned),
        weight,
        kind,
    });
    let me = out.last().map(|n| n.id.clone()).unwrap_or_default();
    for child in children {
        flatten(child, Some(&me), out)?;
    }
    Ok(())
}

impl Framework {
    /// Parses and validates the JSON form (see [`FrameworkDocument`]).
    ///
    /// # Errors
    /// Malformed JSON, or any validation error of [`Framework::new`].
    pub fn from_json(text: &str) -> Result<Self, FrameworkError> {
        FrameworkDocument::from_json(text)?.try_into()
    }

    /// The nested document form.
    #[must_use]
    pub fn to_document(&self) -> FrameworkDocument {
        let info = self.info().clone();
        FrameworkDocument {
            id: info.id,
            name: info.name,
            description: info.description,
            source: info.source,
            licence: info.licence,
            aggregate_units: info.aggregate_units,
            level_names: self.level_names().to_vec(),
            data_columns: self.data_columns().to_vec(),
            nodes: self.roots().into_iter().map(|i| self.subtree(i)).collect(),
        }
    }

    /// The JSON form, pretty-printed.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and finite numbers cannot fail.
        serde_json::to_string_pretty(&self.to_document()).unwrap_or_default()
    }

    fn subtree(&self, i: usize) -> NodeDocument {
        let node = &self.nodes()[i];
        let mut doc = NodeDocument {
            id: node.id.clone(),
            name: (node.name != node.id).then(|| node.name.clone()),
            weight: node.weight,
            children: Some(
                self.children_of(i)
                    .iter()
                    .map(|&c| self.subtree(c))
                    .collect::<Vec<_>>(),
            )
            .filter(|c| !c.is_empty()),
            ..NodeDocument::default()
        };
        if let NodeKind::Indicator(ind) = &node.kind {
            doc.unit.clone_from(&ind.unit);
            doc.direction = (ind.direction == Direction::Negative).then_some(ind.direction);
            doc.goalposts = ind.goalposts;
            doc.target = ind.target;
            doc.target_year = ind.target_year;
            doc.scale = (ind.scale != Scale::Continuous).then(|| ind.scale.clone());
            doc.source.clone_from(&ind.source);
            doc.denominator.clone_from(&ind.denominator);
        }
        doc
    }
}
