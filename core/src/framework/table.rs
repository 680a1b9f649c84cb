//! The flat node table: one row per node with a `Parent` column, read from and written to CSV.
//!
//! Column names are matched without regard to case or underscores, and COINr's iMeta names are
//! accepted as they are:
//!
//! | column | COINr iMeta | meaning |
//! |---|---|---|
//! | `iCode` or `id` | `iCode` | node id (required) |
//! | `iName` or `name` | `iName` | name |
//! | `Level` | `Level` | checked against the tree when given |
//! | `Parent` | `Parent` | parent id, empty for a top node |
//! | `Weight` | `Weight` | weight among siblings, default 1 |
//! | `Direction` | `Direction` | 1 or -1 (indicators), default 1 |
//! | `Type` | `Type` | `Indicator`, `Aggregate`, `Group`, `Denominator` or `Other`; inferred when absent |
//! | `Target` | `Target` | target value |
//! | `TargetYear` | — | the period by which the target is to be reached |
//! | `Unit` | `Unit` | unit of measurement |
//! | `GoalpostMin`, `GoalpostMax` | — | fixed goalposts |
//! | `Scale` | — | `continuous`, `yes_no`, or an ordinal scale as JSON |
//! | `Source` | — | data source |
//! | `Denominator` | `Denominator` | data column the indicator is divided by when denominating |
//!
//! Other columns are ignored. Cells are trimmed of
//! surrounding whitespace; an empty cell means "not given".

use std::io::{Read, Write};

use super::{
    DataColumn, DataColumnKind, Direction, Framework, FrameworkInfo, Goalposts, Indicator, Node,
    NodeKind, Scale,
};
use crate::error::FrameworkError;

const HEADER: [&str; 15] = [
    "iCode",
    "iName",
    "Level",
    "Parent",
    "Weight",
    "Direction",
    "Type",
    "Target",
    "TargetYear",
    "Unit",
    "GoalpostMin",
    "GoalpostMax",
    "Scale",
    "Source",
    "Denominator",
];

#[derive(Clone, Copy)]
enum Field {
    Id,
    Name,
    Level,
    Parent,
    Weight,
    Direction,
    Type,
    Target,
    TargetYear,
    Unit,
    GoalpostMin,
    GoalpostMax,
    Scale,
    Source,
    Denominator,
}

fn field_of(header: &str) -> Option<Field> {
    let key: String = header
        .chars()
        .filter(|c| *c != '_' && *c != ' ')
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "icode" | "id" => Field::Id,
        "iname" | "name" => Field::Name,
        "level" => Field::Level,
        "parent" => Field::Parent,
        "weight" => Field::Weight,
        "direction" => Field::Direction,
        "type" => Field::Type,
        "target" => Field::Target,
        "targetyear" => Field::TargetYear,
        "unit" => Field::Unit,
        "goalpostmin" => Field::GoalpostMin,
        "goalpostmax" => Field::GoalpostMax,
        "scale" => Field::Scale,
        "source" => Field::Source,
        "denominator" => Field::Denominator,
        _ => return None,
    })
}

struct Row {
    line: u64,
    cells: [Option<String>; HEADER.len()],
}

impl Row {
    fn get(&self, f: Field) -> Option<&str> {
        self.cells[f as usize].as_deref()
    }

    fn number(&self, f: Field, what: &str) -> Result<Option<f64>, FrameworkError> {
        self.get(f)
            .map(|text| {
                text.parse::<f64>().map_err(|_| FrameworkError::Table {
                    line: self.line,
                    message: format!("{what} `{text}` is not a number"),
                })
            })
            .transpose()
    }
}

impl Framework {
    /// Reads the flat node table from CSV (see the module docs for the columns).
    ///
    /// # Errors
    /// Malformed CSV, a missing id column, unparsable numbers or types (with the line), and any
    /// validation error of [`Framework::new`]; a `Level` that disagrees with the tree is
    /// [`FrameworkError::LevelMismatch`].
    pub fn from_table_csv<R: Read>(reader: R) -> Result<Self, FrameworkError> {
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let header = csv.headers().map_err(|e| table_error(&e))?.clone();
        let fields: Vec<Option<Field>> = header.iter().map(field_of).collect();
        if !fields.iter().any(|f| matches!(f, Some(Field::Id))) {
            return Err(FrameworkError::Table {
                line: 1,
                message: "no `iCode` (or `id`) column".to_owned(),
            });
        }
        let mut rows = Vec::new();
        for record in csv.records() {
            let record = record.map_err(|e| table_error(&e))?;
            let line = record.position().map_or(0, csv::Position::line);
            let mut cells: [Option<String>; HEADER.len()] = Default::default();
            for (cell, field) in record.iter().zip(&fields) {
                if let Some(f) = field
                    && !cell.is_empty()
                {
                    cells[*f as usize] = Some(cell.to_owned());
                }
            }
            if cells.iter().all(Option::is_none) {
                continue;
            }
            rows.push(Row { line, cells });
        }
        from_rows(&rows)
    }

    /// Writes the flat node table as CSV: nodes in input order, then declared data columns.
    ///
    /// # Errors
    /// Only I/O errors of the writer, reported as [`FrameworkError::Table`].
    pub fn write_table_csv<W: Write>(&self, writer: W) -> Result<(), FrameworkError> {
        let mut csv = csv::Writer::from_writer(writer);
        let io = |e: csv::Error| table_error(&e);
        csv.write_record(HEADER).map_err(io)?;
        for (i, node) in self.nodes().iter().enumerate() {
            let parent = self
                .parent_of(i)
                .map_or(String::new(), |p| self.nodes()[p].id.clone());
            let mut row = vec![
                node.id.clone(),
                node.name.clone(),
                self.level_of(i).to_string(),
                parent,
                node.weight.to_string(),
            ];
            match &node.kind {
                NodeKind::Aggregate => {
                    row.extend(
                        ["", "Aggregate", "", "", "", "", "", "", "", ""].map(str::to_owned),
                    );
                }
                NodeKind::Indicator(ind) => {
                    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
                    row.extend([
                        i8::from(ind.direction).to_string(),
                        "Indicator".to_owned(),
                        opt(ind.target),
                        ind.target_year.map_or(String::new(), |y| y.to_string()),
                        ind.unit.clone().unwrap_or_default(),
                        opt(ind.goalposts.map(|g| g.min)),
                        opt(ind.goalposts.map(|g| g.max)),
                        scale_cell(&ind.scale),
                        ind.source.clone().unwrap_or_default(),
                        ind.denominator.clone().unwrap_or_default(),
                    ]);
                }
            }
            csv.write_record(&row).map_err(io)?;
        }
        for column in self.data_columns() {
            let kind = match column.kind {
                DataColumnKind::Group => "Group",
                DataColumnKind::Denominator => "Denominator",
                DataColumnKind::Other => "Other",
            };
            let unit = column.unit.as_deref().unwrap_or("");
            csv.write_record([
                column.id.as_str(),
                column.name.as_str(),
                "",
                "",
                "",
                "",
                kind,
                "",
                "",
                unit,
                "",
                "",
                "",
                "",
                "",
            ])
            .map_err(io)?;
        }
        csv.flush().map_err(|e| FrameworkError::Table {
            line: 0,
            message: e.to_string(),
        })
    }

    /// The flat node table as a CSV string.
    #[must_use]
    pub fn to_table_csv(&self) -> String {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write_table_csv(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

fn table_error(e: &csv::Error) -> FrameworkError {
    FrameworkError::Table {
        line: e.position().map_or(0, csv::Position::line),
        message: e.to_string(),
    }
}

fn scale_cell(scale: &Scale) -> String {
    match scale {
        Scale::Continuous => String::new(),
        Scale::YesNo => "yes_no".to_owned(),
        Scale::Ordinal { .. } => serde_json::to_string(scale).unwrap_or_default(),
    }
}

fn parse_scale(row: &Row) -> Result<Scale, FrameworkError> {
    match row.get(Field::Scale) {
        None => Ok(Scale::Continuous),
        Some(text) => match text.to_ascii_lowercase().as_str() {
            "continuous" => Ok(Scale::Continuous),
            "yes_no" | "yesno" | "yes/no" | "binary" => Ok(Scale::YesNo),
            _ => serde_json::from_str(text).map_err(|e| FrameworkError::Table {
                line: row.line,
                message: format!("scale `{text}` is neither `continuous`, `yes_no` nor JSON: {e}"),
            }),
        },
    }
}

enum RowKind {
    Node(Option<bool>),
    Column(DataColumnKind),
}

fn from_rows(rows: &[Row]) -> Result<Framework, FrameworkError> {
    let mut nodes = Vec::new();
    let mut levels = Vec::new();
    let mut columns = Vec::new();
    for row in rows {
        let id = row.get(Field::Id).unwrap_or("").to_owned();
        let kind = match row.get(Field::Type).map(str::to_ascii_lowercase).as_deref() {
            None => RowKind::Node(None),
            Some("indicator") => RowKind::Node(Some(true)),
            Some("aggregate") => RowKind::Node(Some(false)),
            Some("group") => RowKind::Column(DataColumnKind::Group),
            Some("denominator") => RowKind::Column(DataColumnKind::Denominator),
            Some("other") => RowKind::Column(DataColumnKind::Other),
            Some(other) => {
                return Err(FrameworkError::Table {
                    line: row.line,
                    message: format!(
                        "type `{other}` is not Indicator, Aggregate, Group, Denominator or Other"
                    ),
                });
            }
        };
        let is_indicator = match kind {
            RowKind::Column(kind) => {
                columns.push(DataColumn {
                    name: row.get(Field::Name).unwrap_or("").to_owned(),
                    unit: row.get(Field::Unit).map(str::to_owned),
                    id,
                    kind,
                });
                continue;
            }
            RowKind::Node(Some(declared)) => declared,
            RowKind::Node(None) => !rows.iter().any(|r| r.get(Field::Parent) == Some(&id)),
        };
        let weight = row.number(Field::Weight, "weight")?.unwrap_or(1.0);
        let kind = if is_indicator {
            indicator_kind(row, &id)?
        } else {
            // COINr gives aggregates a Direction and a Unit ("Score"); those carry no meaning
            // for an aggregate and are ignored. Indicator-only metadata is an error.
            let given = [
                ("target", Field::Target),
                ("target_year", Field::TargetYear),
                ("goalposts", Field::GoalpostMin),
                ("goalposts", Field::GoalpostMax),
                ("scale", Field::Scale),
            ];
            if let Some((field, _)) = given.iter().find(|(_, f)| row.get(*f).is_some()) {
                return Err(FrameworkError::IndicatorFieldOnAggregate { node: id, field });
            }
            NodeKind::Aggregate
        };
        let level = row.number(Field::Level, "level")?;
        if let Some(l) = level
            && (l.fract() != 0.0 || l < 1.0)
        {
            return Err(FrameworkError::Table {
                line: row.line,
                message: format!("level `{l}` is not a positive whole number"),
            });
        }
        levels.push((id.clone(), level.map(|l| l as u32)));
        nodes.push(Node {
            name: row.get(Field::Name).unwrap_or(&id).to_owned(),
            parent: row.get(Field::Parent).map(str::to_owned),
            id,
            weight,
            kind,
        });
    }
    let framework = Framework::with_parts(FrameworkInfo::default(), Vec::new(), nodes, columns)?;
    // By id: the framework holds the nodes in its canonical order, not the table's.
    for (id, given) in levels {
        let Some(i) = framework.position(&id) else {
            continue;
        };
        if let Some(given) = given
            && given != framework.level_of(i)
        {
            return Err(FrameworkError::LevelMismatch {
                node: id,
                given,
                computed: framework.level_of(i),
            });
        }
    }
    Ok(framework)
}

fn indicator_kind(row: &Row, id: &str) -> Result<NodeKind, FrameworkError> {
    let direction = match row.number(Field::Direction, "direction")? {
        None => Direction::Positive,
        Some(d) => Direction::try_from(d).map_err(|_| FrameworkError::InvalidDirection {
            node: id.to_owned(),
            value: d,
        })?,
    };
    let goalposts = match (
        row.number(Field::GoalpostMin, "goalpost min")?,
        row.number(Field::GoalpostMax, "goalpost max")?,
    ) {
        (Some(min), Some(max)) => Some(Goalposts { min, max }),
        (None, None) => None,
        _ => {
            return Err(FrameworkError::Table {
                line: row.line,
                message: format!("indicator `{id}` gives only one of its two goalposts"),
            });
        }
    };
    Ok(NodeKind::Indicator(Indicator {
        unit: row.get(Field::Unit).map(str::to_owned),
        direction,
        goalposts,
        target: row.number(Field::Target, "target")?,
        target_year: row
            .get(Field::TargetYear)
            .map(|text| {
                text.parse::<i64>().map_err(|_| FrameworkError::Table {
                    line: row.line,
                    message: format!("target year `{text}` is not a whole number"),
                })
            })
            .transpose()?,
        scale: parse_scale(row)?,
        source: row.get(Field::Source).map(str::to_owned),
        denominator: row.get(Field::Denominator).map(str::to_owned),
    }))
}
