//! COINr's iData layout, the one place that says which column of a data table is what: the
//! unit id (`uCode`), the unit name (`uName`), the period (`Time`), group columns (`Group_*` and
//! any declared), and indicators — every other column. The CSV reader, the framework's
//! reserved ids and the Python and JavaScript bindings all ask [`CsvLayout::role`].

/// How to read a data CSV. The defaults read COINr's iData layout: `uCode`, `uName`, `Time`,
/// group columns named `Group_*`, and one numeric column per indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLayout {
    /// Column holding unit ids (required).
    pub unit_id: String,
    /// Column holding unit names (optional).
    pub unit_name: String,
    /// Column holding periods (optional).
    pub period: String,
    /// Columns with this prefix are group columns.
    pub group_prefix: String,
    /// Further columns to read as group columns (e.g. a framework's declared groups).
    pub groups: Vec<String>,
}

impl Default for CsvLayout {
    fn default() -> Self {
        CsvLayout {
            unit_id: Self::UNIT_ID.to_owned(),
            unit_name: Self::UNIT_NAME.to_owned(),
            period: Self::PERIOD.to_owned(),
            group_prefix: Self::GROUP_PREFIX.to_owned(),
            groups: Vec::new(),
        }
    }
}

impl CsvLayout {
    /// COINr's unit id column.
    pub const UNIT_ID: &str = "uCode";
    /// COINr's unit name column.
    pub const UNIT_NAME: &str = "uName";
    /// COINr's period column.
    pub const PERIOD: &str = "Time";
    /// The prefix of COINr's group columns.
    pub const GROUP_PREFIX: &str = "Group_";

    /// Whether `id` names a column the iData layout reads as something other than an
    /// indicator (unit id or name, period, group): an indicator so named would never find its
    /// data.
    #[must_use]
    pub fn is_reserved(id: &str) -> bool {
        [Self::UNIT_ID, Self::UNIT_NAME, Self::PERIOD].contains(&id)
            || id.starts_with(Self::GROUP_PREFIX)
    }

    /// The default layout, also reading the given columns as groups.
    #[must_use]
    pub fn with_groups<I: IntoIterator<Item = S>, S: Into<String>>(groups: I) -> Self {
        CsvLayout {
            groups: groups.into_iter().map(Into::into).collect(),
            ..CsvLayout::default()
        }
    }
}

/// What a column of a data table holds, by its header ([`CsvLayout::role`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// The unit ids.
    UnitId,
    /// The unit names.
    UnitName,
    /// The periods.
    Period,
    /// A text column grouping units.
    Group,
    /// An indicator's numbers.
    Indicator,
}

impl CsvLayout {
    /// The role of the column headed `header` in this layout.
    #[must_use]
    pub fn role(&self, header: &str) -> ColumnRole {
        if header == self.unit_id {
            ColumnRole::UnitId
        } else if header == self.unit_name {
            ColumnRole::UnitName
        } else if header == self.period {
            ColumnRole::Period
        } else if header.starts_with(&self.group_prefix) || self.groups.iter().any(|g| g == header)
        {
            ColumnRole::Group
        } else {
            ColumnRole::Indicator
        }
    }
}
