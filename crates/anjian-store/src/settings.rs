//! Instance settings (key/value): the root region served, the county name.

use crate::{Change, Result, Store, params};

pub const ROOT_REGION: &str = "root_region";
pub const INSTANCE_NAME: &str = "instance_name";

/// The setting holding the county's decision-period rules and department families (JSON).
pub const DECISION_PERIOD: &str = "decision_period";

/// What the decision-period policy is made of: the setting's value, if set, and every
/// department's id and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionInputs {
    pub setting: Option<String>,
    pub departments: Vec<(i64, String)>,
}

impl Store {
    /// The decision-period setting and the departments, read together and kept while the
    /// database is unchanged (every case on a list asks for it).
    pub fn decision_inputs(&self) -> Result<std::sync::Arc<DecisionInputs>> {
        self.decision_memo.read(
            self.db(),
            "SELECT id, name, NULL FROM departments UNION ALL SELECT NULL, NULL, value FROM settings WHERE key = ?",
            &params![DECISION_PERIOD],
            |rows| {
                let mut out = DecisionInputs::default();
                for r in rows {
                    match r.opt_i64(0)? {
                        Some(id) => out.departments.push((id, r.text(1)?)),
                        None => out.setting = r.opt_text(2)?,
                    }
                }
                Ok(std::sync::Arc::new(out))
            },
        )
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.kept_rows("SELECT value FROM settings WHERE key = ?", &params![key])?
            .first()
            .map(|r| r.text(0))
            .transpose()
    }

    /// The values of the given settings that are set, in one read.
    pub fn settings_in(&self, keys: &[&str]) -> Result<Vec<(String, String)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; keys.len()].join(", ");
        let p: Vec<crate::Value> = keys.iter().map(|k| (*k).into()).collect();
        self.kept_rows(
            &format!("SELECT key, value FROM settings WHERE key IN ({marks})"),
            &p,
        )?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect()
    }

    pub fn set_setting(&self, change: &Change<'_>, key: &str, value: &str) -> Result<()> {
        change.require_writable()?;
        self.write(|tx| set_in(tx, change, key, value))
    }
}

/// Sets a setting inside a write transaction, with its audit entry.
pub(crate) fn set_in(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    key: &str,
    value: &str,
) -> Result<()> {
    let before = tx
        .query_opt("SELECT value FROM settings WHERE key = ?", &params![key])?
        .map(|r| r.text(0))
        .transpose()?;
    if tx.execute(
        "UPDATE settings SET value = ? WHERE key = ?",
        &params![value, key],
    )? == 0
    {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            &params![key, value],
        )?;
    }
    crate::audit::append(
        tx,
        change,
        "setting.set",
        "setting",
        key,
        "",
        before.map(|b| serde_json::json!({ "value": b })),
        Some(serde_json::json!({ "value": value })),
    )
}
