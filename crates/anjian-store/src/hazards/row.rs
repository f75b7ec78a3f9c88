//! How a hazard row is read: one declaration of its columns, from which the SELECT list
//! (`COLS`) and the reader that takes the row apart by column name (`row`) are built.

use super::*;

crate::table_row! {
    table "hazards", key id;
    pub(super) fn row(Row) -> Hazard {
        id: i64 = "h.id",
        county_code: text = "h.county_code",
        region_code: text = "h.region_code",
        region_name: text = "COALESCE(r.name, '')",
        enterprise_id: opt_i64 = "h.enterprise_id",
        enterprise_name: opt_text = "e.name",
        department_id: opt_i64 = "h.department_id",
        sector: text = "h.sector",
        level: code(Level::parse) = "h.level",
        source: code(Source::parse) = "h.source",
        description: text = "h.description",
        location: text = "h.location",
        found_on: date = "h.found_on",
        deadline: opt_date = "h.deadline",
        deadline_basis: opt_text = "h.deadline_basis",
        deadline_rule: text = "h.deadline_rule",
        status: code(Status::parse) = "h.status",
        responsible_unit: text = "h.responsible_unit",
        responsible_person: text = "h.responsible_person",
        measures: text = "h.measures",
        funds_planned: opt_i64 = "h.funds_planned",
        funds_spent: opt_i64 = "h.funds_spent",
        emergency_plan: text = "h.emergency_plan",
        campaign: opt_text = "h.campaign",
        closed_on: opt_date = "h.closed_on",
        reported_on: opt_date = "h.reported_on",
        lng_micro: opt_i64 = "h.lng_micro",
        lat_micro: opt_i64 = "h.lat_micro",
        created_by: opt_i64 = "h.created_by",
        version: i64 = "h.version",
        created_at: text = "h.created_at",
        updated_at: text = "h.updated_at",
    }
}

/// How many columns [`cols`] selects (where a joined row's next table begins).
pub(super) const WIDTH: usize = COLUMNS.len();

/// The SELECT list of the declaration, built once (a hazard read by id is a hot path).
pub(super) fn cols() -> &'static str {
    static COLS_TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| COLS.to_string());
    &COLS_TEXT
}

#[cfg(test)]
mod columns_tests {
    use super::*;
    use crate::db::{Row, Value};

    #[test]
    fn the_declaration_names_each_column_once_and_builds_the_select_list() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        // The list the positional reader selected before it read by name, the report
        // date (migration 0024) and the coordinates (0045).
        assert_eq!(
            cols(),
            "h.id, h.county_code, h.region_code, COALESCE(r.name, ''), h.enterprise_id, e.name, h.department_id, h.sector, h.level, h.source, \
             h.description, h.location, h.found_on, h.deadline, h.deadline_basis, h.deadline_rule, h.status, h.responsible_unit, h.responsible_person, \
             h.measures, h.funds_planned, h.funds_spent, h.emergency_plan, h.campaign, h.closed_on, h.reported_on, h.lng_micro, h.lat_micro, h.created_by, h.version, h.created_at, h.updated_at"
        );
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_table_row_and_column() {
        let mut values: Vec<Value> = COLUMNS.iter().map(|_| Value::Text("x".into())).collect();
        values[0] = Value::Int(42);
        for name in [
            "enterprise_id",
            "department_id",
            "funds_planned",
            "funds_spent",
            "created_by",
            "reported_on",
            "lng_micro",
            "lat_micro",
        ] {
            values[crate::db::col(COLUMNS, name)] = Value::Null;
        }
        for name in ["found_on", "deadline", "closed_on"] {
            values[crate::db::col(COLUMNS, name)] = Value::Text("2022-01-01".into());
        }
        values[crate::db::col(COLUMNS, "version")] = Value::Int(1);
        values[crate::db::col(COLUMNS, "level")] = Value::Text("general".into());
        values[crate::db::col(COLUMNS, "source")] = Value::Text("inspection".into());
        values[crate::db::col(COLUMNS, "status")] = Value::Text("ordered".into());
        assert!(row(Row(values.clone())).is_ok());
        values[crate::db::col(COLUMNS, "version")] = Value::Text("one".into());
        match row(Row(values)) {
            Err(StoreError::Corrupt {
                table, row, column, ..
            }) => assert_eq!((table, row, column), ("hazards", 42, "version")),
            other => panic!("{other:?}"),
        }
    }
}
