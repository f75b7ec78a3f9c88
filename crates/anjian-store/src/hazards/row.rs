//! How a hazard row is read: the column declaration, the SELECT list built from it, and the
//! reader that takes the row apart by column name.

use super::*;

/// The hazard row: each column's name and its SELECT expression (read by name in [`row`]).
pub(super) const COLUMNS: [(&str, &str); 30] = [
    ("id", "h.id"),
    ("county_code", "h.county_code"),
    ("region_code", "h.region_code"),
    ("region_name", "COALESCE(r.name, '')"),
    ("enterprise_id", "h.enterprise_id"),
    ("enterprise_name", "e.name"),
    ("department_id", "h.department_id"),
    ("sector", "h.sector"),
    ("level", "h.level"),
    ("source", "h.source"),
    ("description", "h.description"),
    ("location", "h.location"),
    ("found_on", "h.found_on"),
    ("deadline", "h.deadline"),
    ("deadline_basis", "h.deadline_basis"),
    ("deadline_rule", "h.deadline_rule"),
    ("status", "h.status"),
    ("responsible_unit", "h.responsible_unit"),
    ("responsible_person", "h.responsible_person"),
    ("measures", "h.measures"),
    ("funds_planned", "h.funds_planned"),
    ("funds_spent", "h.funds_spent"),
    ("emergency_plan", "h.emergency_plan"),
    ("campaign", "h.campaign"),
    ("closed_on", "h.closed_on"),
    ("reported_on", "h.reported_on"),
    ("created_by", "h.created_by"),
    ("version", "h.version"),
    ("created_at", "h.created_at"),
    ("updated_at", "h.updated_at"),
];

/// The SELECT list of [`COLUMNS`].
pub(super) fn cols() -> &'static str {
    static COLS: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::db::select_list(&COLUMNS));
    &COLS
}

/// Takes the row apart by column name (no string is copied); a value of the wrong kind or a
/// code the domain cannot read is an error naming the table, row and column.
pub(super) fn row(r: Row) -> Result<Hazard> {
    macro_rules! c {
        ($name:literal) => {
            $crate::column!(COLUMNS, $name)
        };
    }
    let mut r = crate::db::Named::new(r, "hazards", c!("id"))?;
    Ok(Hazard {
        id: r.id(),
        county_code: r.text(c!("county_code"))?,
        region_code: r.text(c!("region_code"))?,
        region_name: r.text(c!("region_name"))?,
        enterprise_id: r.opt_i64(c!("enterprise_id"))?,
        enterprise_name: r.opt_text(c!("enterprise_name"))?,
        department_id: r.opt_i64(c!("department_id"))?,
        sector: r.text(c!("sector"))?,
        level: r.code(c!("level"), Level::parse)?,
        source: r.code(c!("source"), Source::parse)?,
        description: r.text(c!("description"))?,
        location: r.text(c!("location"))?,
        found_on: r.text(c!("found_on"))?,
        deadline: r.opt_text(c!("deadline"))?,
        deadline_basis: r.opt_text(c!("deadline_basis"))?,
        deadline_rule: r.text(c!("deadline_rule"))?,
        status: r.code(c!("status"), Status::parse)?,
        responsible_unit: r.text(c!("responsible_unit"))?,
        responsible_person: r.text(c!("responsible_person"))?,
        measures: r.text(c!("measures"))?,
        funds_planned: r.opt_i64(c!("funds_planned"))?,
        funds_spent: r.opt_i64(c!("funds_spent"))?,
        emergency_plan: r.text(c!("emergency_plan"))?,
        campaign: r.opt_text(c!("campaign"))?,
        closed_on: r.opt_text(c!("closed_on"))?,
        reported_on: r.opt_text(c!("reported_on"))?,
        created_by: r.opt_i64(c!("created_by"))?,
        version: r.i64(c!("version"))?,
        created_at: r.text(c!("created_at"))?,
        updated_at: r.text(c!("updated_at"))?,
    })
}

#[cfg(test)]
mod columns_tests {
    use super::*;
    use crate::db::Value;

    #[test]
    fn the_declaration_names_each_column_once_and_builds_the_select_list() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        // The list the positional reader selected before it read by name, and the report
        // date (migration 0024).
        assert_eq!(
            cols(),
            "h.id, h.county_code, h.region_code, COALESCE(r.name, ''), h.enterprise_id, e.name, h.department_id, h.sector, h.level, h.source, \
             h.description, h.location, h.found_on, h.deadline, h.deadline_basis, h.deadline_rule, h.status, h.responsible_unit, h.responsible_person, \
             h.measures, h.funds_planned, h.funds_spent, h.emergency_plan, h.campaign, h.closed_on, h.reported_on, h.created_by, h.version, h.created_at, h.updated_at"
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
        ] {
            values[crate::db::col(&COLUMNS, name)] = Value::Null;
        }
        values[crate::db::col(&COLUMNS, "version")] = Value::Int(1);
        values[crate::db::col(&COLUMNS, "level")] = Value::Text("general".into());
        values[crate::db::col(&COLUMNS, "source")] = Value::Text("inspection".into());
        values[crate::db::col(&COLUMNS, "status")] = Value::Text("ordered".into());
        assert!(row(Row(values.clone())).is_ok());
        values[crate::db::col(&COLUMNS, "version")] = Value::Text("one".into());
        match row(Row(values)) {
            Err(StoreError::Corrupt {
                table, row, column, ..
            }) => assert_eq!((table, row, column), ("hazards", 42, "version")),
            other => panic!("{other:?}"),
        }
    }
}
