//! Instance settings (key/value): the root region served, the county name.

use crate::{Change, Result, Store, params};

pub const ROOT_REGION: &str = "root_region";
pub const INSTANCE_NAME: &str = "instance_name";

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.db().read(|tx| {
            tx.query_opt("SELECT value FROM settings WHERE key = ?", &params![key])?
                .map(|r| r.text(0))
                .transpose()
        })
    }

    pub fn set_setting(&self, change: &Change<'_>, key: &str, value: &str) -> Result<()> {
        change.require_writable()?;
        self.write(|tx| {
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
        })
    }
}
