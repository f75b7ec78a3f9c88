//! 通报 of overdue major hazards: one per county and cycle.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Bulletin {
    pub id: i64,
    pub county_code: String,
    pub cycle: String,
    pub doc_no: String,
    pub issued_on: NaiveDate,
    pub items: String,
}

crate::table_row! {
    table "major_bulletins", key id, cols BULLETIN_COLS;
    fn bulletin_row(Row) -> Bulletin {
        id: i64,
        county_code: text,
        cycle: text,
        doc_no: text,
        issued_on: date,
        items: text,
    }
}

impl Store {
    /// Records a 通报 once per county and cycle; returns `None` if it already exists.
    pub fn create_bulletin(
        &self,
        change: &Change<'_>,
        county_code: &str,
        cycle: &str,
        doc_no: &str,
        issued_on: NaiveDate,
        items: &serde_json::Value,
    ) -> Result<Option<Bulletin>> {
        change.require_writable()?;
        if !change.scope.admits_region(county_code) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let id = tx.query_opt(
                "INSERT INTO major_bulletins (county_code, cycle, doc_no, issued_on, items, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (county_code, cycle) DO NOTHING RETURNING id",
                &params![county_code, cycle, doc_no, issued_on, items.to_string(), now.as_str()],
            )?;
            let Some(id) = id else { return Ok(None) };
            let id = id.i64(0)?;
            crate::audit::append(tx, change, "major.bulletin", "bulletin", &id.to_string(), county_code, None, Some(serde_json::json!({"cycle": cycle, "doc_no": doc_no})))?;
            Ok(Some(Bulletin { id, county_code: county_code.into(), cycle: cycle.into(), doc_no: doc_no.into(), issued_on, items: items.to_string() }))
        })
    }

    pub fn list_bulletins(&self, scope: &Scope) -> Result<Vec<Bulletin>> {
        let mut p = Vec::new();
        let cond = scope_sql::regions(scope, "county_code", &mut p);
        // A township user belongs to a county: it sees its county's 通报 too.
        let mut parts = vec![cond];
        for prefix in &scope.region_prefixes {
            if prefix.len() > 6 {
                parts.push("county_code = ?".into());
                p.push(format!("{}000000", &prefix[..6]).into());
            }
        }
        let sql = format!(
            "SELECT {BULLETIN_COLS} FROM major_bulletins WHERE {} ORDER BY id DESC",
            parts.join(" OR ")
        );
        self.db()
            .read(|tx| tx.query(&sql, &p)?.into_iter().map(bulletin_row).collect())
    }

    pub fn get_bulletin(&self, scope: &Scope, id: i64) -> Result<Bulletin> {
        self.list_bulletins(scope)?
            .into_iter()
            .find(|b| b.id == id)
            .ok_or(StoreError::NotFound)
    }
}
