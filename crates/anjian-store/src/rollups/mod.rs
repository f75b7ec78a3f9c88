//! Rollups: month-keyed tallies of the hazards, kept in the writing transaction by
//! triggers, from which the report and the dashboard read the hazard figures instead of
//! scanning the hazard table (decision 0007).
//!
//! One definition ([`TALLIES`]) generates everything: the tables, the triggers of both
//! backends, and the rebuild. Migration 0049 is that generated text, committed
//! (`migrations_0049_and_0050_are_the_generated_text` keeps them equal). A tally row is keyed by a grain
//! (`c`: county and sector; `d`: county, sector, department and campaign; `t`: township,
//! sector, department and campaign), the dimensions
//! of that grain (sentinels `''`/`0` elsewhere: NULL never matches `ON CONFLICT`) and months;
//! its measures are sums over the hazards with that key. Rows are never deleted by the
//! triggers: a row whose measures went back to zero stays.
//!
//! **Consistency.** The triggers run inside the statement that changes `hazards`, so a
//! tally is exactly as current as the hazards in every snapshot: a committed write updated
//! both, a rolled-back one neither. Two paths suspend the triggers and rebuild afterwards in
//! the same transaction that puts them back: the bulk load of an empty store, and
//! `anjian rollups rebuild`. A restore loads hazards with the triggers on (the tallies are
//! left out of backups and digests: they are derived).

use crate::Result;
use crate::db::{Dialect, Tx};

mod answer;
mod check;
pub use answer::RollupAnswer;
pub(crate) use answer::{answer, hazards_total, joint_query, overdue_before_month};
pub use check::TallyCheck;

/// The key every tally starts with: grain and the dimensions a figure is scoped by.
const DIMENSIONS: &[(&str, &str, &str)] = &[
    // (column, type, expression over the hazard row `{r}` and the grain row `gr`)
    ("grain", "text", "gr.g"),
    ("county_code", "text", "{r}.county_code"),
    (
        "township",
        "text",
        "CASE WHEN gr.g = 't' THEN substr({r}.region_code, 1, 9) || '000' ELSE '' END",
    ),
    ("sector", "text", "{r}.sector"),
    (
        "department_id",
        "int",
        "CASE WHEN gr.g = 'c' THEN 0 ELSE COALESCE({r}.department_id, 0) END",
    ),
    (
        "campaign",
        "text",
        "CASE WHEN gr.g = 'c' THEN '' ELSE COALESCE({r}.campaign, '') END",
    ),
];

/// The grains as rows `gr.g`: `c` (county, sector), `d` (county, sector, department,
/// campaign: a county's or province's department and campaign figures), `t` (township,
/// sector, department, campaign).
const ALL_GRAINS: &str = "(SELECT 'c' AS g UNION ALL SELECT 'd' AS g UNION ALL SELECT 't' AS g) gr";

/// The hazard columns a tally reads: an update that changes none of them leaves the tallies
/// alone (most updates: a hazard's narrative, its responsible person, its version).
const READ_COLUMNS: &[&str] = &[
    "county_code",
    "region_code",
    "sector",
    "department_id",
    "campaign",
    "level",
    "source",
    "status",
    "found_on",
    "closed_on",
    "deadline",
    "reported_on",
    "funds_spent",
];

/// One way a hazard row contributes to a tally: when (`qualifies`), under which extra keys,
/// by how much. Every text is an SQL expression over the hazard row `{r}`; `{late}`,
/// `{start}` and `{eom}` expand to the shared expressions below, in the backend's dialect.
struct Emission {
    qualifies: &'static str,
    keys: &'static [&'static str],
    measures: &'static [&'static str],
}

/// A tally table: its extra key columns (months or buckets, text unless named in `int_keys`),
/// its measures, and the emissions that feed it.
// The table definitions are read by the migration generator, which runs as a test.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Tally {
    pub(crate) table: &'static str,
    keys: &'static [&'static str],
    int_keys: &'static [&'static str],
    measures: &'static [&'static str],
    emissions: &'static [Emission],
}

const IS_MAJOR: &str = "CASE WHEN {r}.level = 'major' THEN 1 ELSE 0 END";
const CLOSED: &str = "{r}.status = 'closed' AND {r}.closed_on IS NOT NULL";
/// Counted by the overdue figures: a deadline, and not reported done by it.
const OVERDUE_FROM: &str = "{r}.deadline IS NOT NULL AND {late} = 1 AND ({r}.closed_on IS NULL OR {start} < {r}.closed_on)";

pub(crate) const TALLIES: &[Tally] = &[
    Tally {
        table: "hz_found",
        keys: &["found_month"],
        int_keys: &[],
        measures: &["n", "n_major", "n_reg", "n_major_reg", "n_self"],
        emissions: &[Emission {
            qualifies: "1 = 1",
            keys: &["substr({r}.found_on, 1, 7)"],
            measures: &[
                "1",
                IS_MAJOR,
                "CASE WHEN {r}.source <> 'self_check' THEN 1 ELSE 0 END",
                "CASE WHEN {r}.source <> 'self_check' AND {r}.level = 'major' THEN 1 ELSE 0 END",
                "CASE WHEN {r}.source = 'self_check' THEN 1 ELSE 0 END",
            ],
        }],
    },
    Tally {
        table: "hz_closed",
        keys: &["closed_month"],
        int_keys: &[],
        measures: &["n", "n_major", "n_assigned", "n_inspection", "funds_fen"],
        emissions: &[Emission {
            qualifies: CLOSED,
            keys: &["substr({r}.closed_on, 1, 7)"],
            measures: &[
                "1",
                IS_MAJOR,
                "CASE WHEN {r}.source = 'higher_assignment' THEN 1 ELSE 0 END",
                "CASE WHEN {r}.source = 'inspection' THEN 1 ELSE 0 END",
                "COALESCE({r}.funds_spent, 0) * 100",
            ],
        }],
    },
    Tally {
        table: "hz_cohort",
        keys: &["found_month", "closed_month"],
        int_keys: &[],
        measures: &["n", "n_major_in_time"],
        emissions: &[Emission {
            qualifies: CLOSED,
            keys: &["substr({r}.found_on, 1, 7)", "substr({r}.closed_on, 1, 7)"],
            measures: &[
                "1",
                "CASE WHEN {r}.level = 'major' AND {r}.closed_on <= {r}.deadline THEN 1 ELSE 0 END",
            ],
        }],
    },
    Tally {
        table: "hz_major",
        keys: &[
            "found_month",
            "closed_month",
            "deadline_month",
            "eom",
            "late",
        ],
        int_keys: &["eom", "late"],
        measures: &["n"],
        emissions: &[Emission {
            qualifies: "{r}.level = 'major'",
            keys: &[
                "substr({r}.found_on, 1, 7)",
                "COALESCE(substr({r}.closed_on, 1, 7), '')",
                "COALESCE(substr({r}.deadline, 1, 7), '')",
                "{eom}",
                "{late}",
            ],
            measures: &["1"],
        }],
    },
    // +1 where a hazard starts to count as overdue (the day after its deadline, or its
    // finding if later), −1 where it is closed; each in its year's and its month's bucket.
    // The number overdue at the end of month P is the sum over the years before P's and
    // the months of P's year up to P.
    Tally {
        table: "hz_overdue",
        keys: &["span", "bucket"],
        int_keys: &[],
        measures: &["delta"],
        emissions: &[
            Emission {
                qualifies: OVERDUE_FROM,
                keys: &["'y'", "substr({start}, 1, 4)"],
                measures: &["1"],
            },
            Emission {
                qualifies: OVERDUE_FROM,
                keys: &["'m'", "substr({start}, 1, 7)"],
                measures: &["1"],
            },
            Emission {
                qualifies: "{r}.closed_on IS NOT NULL AND {r}.deadline IS NOT NULL AND {late} = 1 AND {start} < {r}.closed_on",
                keys: &["'y'", "substr({r}.closed_on, 1, 4)"],
                measures: &["-1"],
            },
            Emission {
                qualifies: "{r}.closed_on IS NOT NULL AND {r}.deadline IS NOT NULL AND {late} = 1 AND {start} < {r}.closed_on",
                keys: &["'m'", "substr({r}.closed_on, 1, 7)"],
                measures: &["-1"],
            },
        ],
    },
    // Migration 0050. Open hazards that will be overdue once their deadline passes (not
    // reported done by it), by the deadline's month: the ledger's overdue total on a day is
    // the sum over the months before the day's, plus the day's month counted from the
    // hazards (`hazards::list`). Exactly the ledger's `OVERDUE` predicate but the day.
    Tally {
        table: "hz_open_due",
        keys: &["deadline_month"],
        int_keys: &[],
        measures: &["n"],
        emissions: &[Emission {
            qualifies: "{r}.status <> 'closed' AND {r}.deadline IS NOT NULL AND {late} = 1",
            keys: &["substr({r}.deadline, 1, 7)"],
            measures: &["1"],
        }],
    },
];

/// The names of the tally tables (derived: neither backed up nor digested).
/// The tallies migration 0049 made; those after them came with later migrations
/// ([`migration_sql`]).
const TALLIES_0049: usize = 5;

pub(crate) fn is_tally(table: &str) -> bool {
    TALLIES.iter().any(|t| t.table == table)
}

/// Expands the shared expressions and the row alias in `expr`.
fn expand(dialect: Dialect, expr: &str, r: &str) -> String {
    let (late, start, eom) = match dialect {
        Dialect::Sqlite => (
            "(CASE WHEN {r}.reported_on IS NULL OR {r}.reported_on > {r}.deadline THEN 1 ELSE 0 END)",
            "max({r}.found_on, date({r}.deadline, '+1 day'))",
            "(CASE WHEN {r}.deadline = date({r}.deadline, 'start of month', '+1 month', '-1 day') THEN 1 ELSE 0 END)",
        ),
        Dialect::Postgres => (
            "(CASE WHEN {r}.reported_on IS NULL OR {r}.reported_on > {r}.deadline THEN 1 ELSE 0 END)",
            "GREATEST({r}.found_on, to_char(CAST({r}.deadline AS date) + 1, 'YYYY-MM-DD'))",
            "(CASE WHEN {r}.deadline = to_char(CAST(date_trunc('month', CAST({r}.deadline AS date)) + interval '1 month' - interval '1 day' AS date), 'YYYY-MM-DD') THEN 1 ELSE 0 END)",
        ),
    };
    expr.replace("{late}", late)
        .replace("{start}", start)
        .replace("{eom}", eom)
        .replace("{r}", r)
}

/// Which hazards an [`Tally::upsert`] tallies, and into which grains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// One row (a trigger's `NEW` or `OLD`), every grain.
    Row,
    /// The whole table, the township grain only (the county grains are summed from it).
    Table,
    /// The hazards with ids from the first to the second parameter, every grain, added
    /// onto what the tallies hold (a large import's hazards, see [`defer`]).
    Range,
}

impl Tally {
    fn columns(&self) -> Vec<&'static str> {
        DIMENSIONS
            .iter()
            .map(|d| d.0)
            .chain(self.keys.iter().copied())
            .chain(self.measures.iter().copied())
            .collect()
    }

    fn key_columns(&self) -> Vec<&'static str> {
        DIMENSIONS
            .iter()
            .map(|d| d.0)
            .chain(self.keys.iter().copied())
            .collect()
    }

    #[cfg_attr(not(test), allow(dead_code))]
    fn create_table(&self, dialect: Dialect) -> String {
        let int = match dialect {
            Dialect::Sqlite => "INTEGER",
            Dialect::Postgres => "BIGINT",
        };
        let mut cols: Vec<String> = DIMENSIONS
            .iter()
            .map(|(c, ty, _)| {
                format!(
                    "    {c} {} NOT NULL",
                    if *ty == "int" { int } else { "TEXT" }
                )
            })
            .collect();
        for k in self.keys {
            let ty = if self.int_keys.contains(k) {
                int
            } else {
                "TEXT"
            };
            cols.push(format!("    {k} {ty} NOT NULL"));
        }
        for m in self.measures {
            cols.push(format!("    {m} {int} NOT NULL DEFAULT 0"));
        }
        // Month keys right after the county: a county's period is one range of the key
        // (on SQLite the table is that key's b-tree: WITHOUT ROWID). The second index leads
        // with the tally's keys (the month) and holds every column, so a province's period
        // is one range of it read without a lookup into the table.
        let pk = self.primary_key();
        cols.push(format!("    PRIMARY KEY ({})", pk.join(", ")));
        let without_rowid = match dialect {
            Dialect::Sqlite => " WITHOUT ROWID",
            Dialect::Postgres => "",
        };
        let mut period = vec!["grain"];
        period.extend(self.keys.iter().copied());
        period.push("county_code");
        let rest: Vec<&str> = self
            .columns()
            .into_iter()
            .filter(|c| !period.contains(c))
            .collect();
        period.extend(rest);
        format!(
            "CREATE TABLE {t} (\n{}\n){without_rowid};\nCREATE INDEX {t}_period ON {t} ({});\n",
            cols.join(",\n"),
            period.join(", "),
            t = self.table
        )
    }

    /// The primary key: grain, county, the tally's own keys, then the other dimensions.
    fn primary_key(&self) -> Vec<&'static str> {
        let mut pk = vec!["grain", "county_code"];
        pk.extend(self.keys.iter().copied());
        pk.extend(["township", "sector", "department_id", "campaign"]);
        pk
    }

    /// `INSERT … SELECT` of one emission's contributions from the rows of `from` (a hazard
    /// row `r`, or the trigger's `NEW`/`OLD` with `sign` −1 for OLD), added onto the
    /// existing rows; `how` says which rows and grains ([`Fill`]). Grouped (the fill and a
    /// range), contributions of the same key are summed first: ON CONFLICT cannot touch a
    /// row twice in one statement.
    fn upsert(
        &self,
        dialect: Dialect,
        e: &Emission,
        r: &str,
        from: &str,
        sign: i64,
        how: Fill,
    ) -> String {
        // The triggers and a range write every grain; the fill writes the township grain,
        // from which the county grain is summed ([`Tally::fill_county_grains`]).
        let group = how != Fill::Row;
        let grains = if how == Fill::Table {
            "(SELECT 't' AS g) gr"
        } else {
            ALL_GRAINS
        };
        let (mut select, measures) = emission_columns(dialect, e, r);
        let nkeys = select.len();
        for m in measures {
            let m = if sign < 0 { format!("-({m})") } else { m };
            select.push(if group { format!("SUM({m})") } else { m });
        }
        let table = self.table;
        let update: Vec<String> = self
            .measures
            .iter()
            .map(|m| format!("{m} = {table}.{m} + excluded.{m}"))
            .collect();
        // Grouped in the primary key's order, so the rows go into the table in its order.
        let group_by = if group {
            let cols = self.columns();
            let order: Vec<String> = self
                .primary_key()
                .iter()
                .filter_map(|k| cols.iter().position(|c| c == k))
                .map(|i| (i + 1).to_string())
                .collect();
            debug_assert_eq!(order.len(), nkeys);
            format!(" GROUP BY {}", order.join(", "))
        } else {
            String::new()
        };
        format!(
            "INSERT INTO {table} ({cols}) SELECT {select} FROM {from}{grains} WHERE {cond}{group_by} ON CONFLICT ({key}) DO UPDATE SET {update}",
            cols = self.columns().join(", "),
            select = select.join(", "),
            from = if from.is_empty() {
                String::new()
            } else {
                format!("{from}, ")
            },
            cond = if how == Fill::Range {
                format!(
                    "{} AND {r}.id BETWEEN ? AND ?",
                    expand(dialect, e.qualifies, r)
                )
            } else {
                expand(dialect, e.qualifies, r)
            },
            key = self.key_columns().join(", "),
            update = update.join(", "),
        )
    }
}

impl Tally {
    /// The county grains summed from the township grain (which the fill wrote first): `c`
    /// by county and sector, `d` by county, sector, department and campaign.
    fn fill_county_grains(&self) -> [String; 2] {
        [
            self.sum_township_grain("c", "0, ''", &[]),
            self.sum_township_grain(
                "d",
                "department_id, campaign",
                &["department_id", "campaign"],
            ),
        ]
    }

    /// `INSERT … SELECT` of grain `grain` summed from the township grain, by county, the
    /// tally's keys, sector and `by` (`dims`: the department and campaign values written).
    fn sum_township_grain(&self, grain: &str, dims: &str, by: &[&str]) -> String {
        let sums: Vec<String> = self.measures.iter().map(|m| format!("SUM({m})")).collect();
        let mut group = vec!["county_code"];
        group.extend(self.keys.iter().copied());
        group.push("sector");
        group.extend(by);
        format!(
            "INSERT INTO {t} ({cols}) SELECT '{grain}', county_code, '', sector, {dims}, {keys}, {sums} FROM {t} WHERE grain = 't' GROUP BY {group}",
            t = self.table,
            cols = self.columns().join(", "),
            keys = self.keys.join(", "),
            sums = sums.join(", "),
            group = group.join(", "),
        )
    }
}

/// The statements that fill the empty tallies from the hazard table: the township grain
/// from the hazards, one statement per emission, then the county grains from it.
pub(crate) fn fill_sql(dialect: Dialect) -> Vec<String> {
    fill_sql_of(dialect, TALLIES)
}

fn fill_sql_of(dialect: Dialect, tallies: &'static [Tally]) -> Vec<String> {
    let township = tallies.iter().flat_map(|t| {
        t.emissions
            .iter()
            .map(move |e| t.upsert(dialect, e, "r", "hazards r", 1, Fill::Table))
    });
    let county = tallies.iter().flat_map(Tally::fill_county_grains);
    township.chain(county).collect()
}

/// The statements that create the triggers keeping the tallies.
pub(crate) fn triggers_sql(dialect: Dialect) -> Vec<String> {
    triggers_sql_of(dialect, TALLIES)
}

fn triggers_sql_of(dialect: Dialect, tallies: &'static [Tally]) -> Vec<String> {
    let apply = |r: &str, sign: i64| -> Vec<String> {
        tallies
            .iter()
            .flat_map(|t| {
                t.emissions
                    .iter()
                    .map(move |e| t.upsert(dialect, e, r, "", sign, Fill::Row))
            })
            .collect()
    };
    let changed = |old: &str, new: &str, distinct: &str| {
        READ_COLUMNS
            .iter()
            .map(|c| format!("{old}.{c} {distinct} {new}.{c}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let body = |stmts: Vec<String>, indent: &str| {
        stmts
            .iter()
            .map(|s| format!("{indent}{s};\n"))
            .collect::<String>()
    };
    match dialect {
        Dialect::Sqlite => vec![
            format!(
                "CREATE TRIGGER hazards_tally_insert AFTER INSERT ON hazards BEGIN\n{}END",
                body(apply("NEW", 1), "    ")
            ),
            format!(
                "CREATE TRIGGER hazards_tally_delete AFTER DELETE ON hazards BEGIN\n{}END",
                body(apply("OLD", -1), "    ")
            ),
            format!(
                "CREATE TRIGGER hazards_tally_update AFTER UPDATE ON hazards WHEN {} BEGIN\n{}{}END",
                changed("OLD", "NEW", "IS NOT"),
                body(apply("OLD", -1), "    "),
                body(apply("NEW", 1), "    ")
            ),
        ],
        Dialect::Postgres => vec![
            format!(
                "CREATE FUNCTION hazards_tally() RETURNS trigger LANGUAGE plpgsql AS $tally$\nBEGIN\n    IF TG_OP IN ('UPDATE', 'DELETE') THEN\n{}    END IF;\n    IF TG_OP IN ('INSERT', 'UPDATE') THEN\n{}    END IF;\n    RETURN NULL;\nEND\n$tally$",
                body(apply("OLD", -1), "        "),
                body(apply("NEW", 1), "        ")
            ),
            "CREATE TRIGGER hazards_tally_insert_delete AFTER INSERT OR DELETE ON hazards FOR EACH ROW EXECUTE FUNCTION hazards_tally()".to_string(),
            format!(
                "CREATE TRIGGER hazards_tally_update AFTER UPDATE ON hazards FOR EACH ROW WHEN ({}) EXECUTE FUNCTION hazards_tally()",
                changed("OLD", "NEW", "IS DISTINCT FROM")
            ),
        ],
    }
}

/// The statements that remove the triggers (the function stays on PostgreSQL).
fn drop_triggers_sql(dialect: Dialect) -> Vec<String> {
    match dialect {
        Dialect::Sqlite => ["insert", "delete", "update"]
            .iter()
            .map(|k| format!("DROP TRIGGER IF EXISTS hazards_tally_{k}"))
            .collect(),
        Dialect::Postgres => TRIGGERS_PG
            .iter()
            .map(|t| format!("DROP TRIGGER IF EXISTS {t} ON hazards"))
            .collect(),
    }
}

/// A rollups migration's text for `dialect`:
/// - 0049: the first tallies' tables, filled from the hazards already stored, then the
///   triggers;
/// - 0050: the open-due tally's table, filled, then the triggers again, now keeping every
///   tally.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn migration_sql(dialect: Dialect, version: u32) -> String {
    let other = match dialect {
        Dialect::Sqlite => "postgres",
        Dialect::Postgres => "sqlite",
    };
    let (tallies, file, what) = if version == 49 {
        (
            &TALLIES[..TALLIES_0049],
            "0049_hazard_rollups.sql",
            "hazard rollups (decision 0007): month-keyed tallies kept by triggers, from which\n\
             --   the report and the dashboard read the hazard figures",
        )
    } else {
        (
            &TALLIES[TALLIES_0049..],
            "0050_open_due_tally.sql",
            "the open hazards by deadline month, from which the ledger's overdue total is\n\
             --   read; the triggers are made again to keep it with the others",
        )
    };
    let mut s = format!(
        "-- {version:04}: {what}. GENERATED by\n\
         --   crates/anjian-store/src/rollups/mod.rs (`migration_sql`); do not edit by hand.\n\
         -- Keep in step with {other}/{file} (generated from the same definition).\n\n"
    );
    for t in tallies {
        s.push_str(&t.create_table(dialect));
        s.push('\n');
    }
    for stmt in fill_sql_of(dialect, tallies) {
        s.push_str(&stmt);
        s.push_str(";\n");
    }
    s.push('\n');
    if version != 49 {
        for stmt in drop_triggers_sql(dialect) {
            s.push_str(&stmt);
            s.push_str(";\n");
        }
        if dialect == Dialect::Postgres {
            s.push_str("DROP FUNCTION IF EXISTS hazards_tally();\n");
        }
        s.push('\n');
    }
    let all = if version == 49 { tallies } else { TALLIES };
    for stmt in triggers_sql_of(dialect, all) {
        s.push_str(&stmt);
        s.push_str(";\n\n");
    }
    s
}

/// Empties the tallies and fills them again from the hazards, in `tx`.
pub(crate) fn refill(tx: &mut dyn Tx) -> Result<()> {
    let dialect = tx.dialect();
    for t in TALLIES {
        tx.execute(&format!("DELETE FROM {}", t.table), &[])?;
    }
    for stmt in fill_sql(dialect) {
        tx.execute(&stmt, &[])?;
    }
    Ok(())
}

/// Removes the triggers in `tx` (a bulk load fills the tallies once at its end instead).
pub(crate) fn suspend(tx: &mut dyn Tx) -> Result<()> {
    for stmt in drop_triggers_sql(tx.dialect()) {
        tx.execute(&stmt, &[])?;
    }
    Ok(())
}

/// Puts the triggers back and refills the tallies, in `tx` (after [`suspend`]).
pub(crate) fn resume(tx: &mut dyn Tx) -> Result<()> {
    let dialect = tx.dialect();
    for stmt in drop_triggers_sql(dialect) {
        tx.execute(&stmt, &[])?;
    }
    if dialect == Dialect::Postgres {
        tx.execute("DROP FUNCTION IF EXISTS hazards_tally()", &[])?;
    }
    for stmt in triggers_sql(dialect) {
        tx.batch(&stmt)?;
    }
    refill(tx)
}

/// PostgreSQL's tally triggers (as [`triggers_sql`] creates them).
const TRIGGERS_PG: [&str; 2] = ["hazards_tally_insert_delete", "hazards_tally_update"];

/// Puts the triggers aside for the rest of `tx`, for a large import whose hazards are then
/// tallied once, by [`add_range`], before `tx` commits. Per hazard, the triggers write some
/// thirty tally rows, the same few rows again and again in an import of one county; on
/// PostgreSQL each such write leaves a row version that the next write of the row walks
/// past while the transaction is open, so an import's time grew with the square of its rows
/// (100,000 rows ran for over ten minutes). Tallied once at the end, each row is written
/// once. PostgreSQL's triggers are disabled, not dropped: `DISABLE TRIGGER` takes a SHARE
/// ROW EXCLUSIVE lock on `hazards` until the import ends, so readers go on and other writers
/// of hazards wait for it (which also keeps the import's consecutive ids its own). Between
/// the two calls `tx` may only add hazards, never change or delete others.
///
/// SQLite keeps its triggers: it rewrites a row in place, so row by row is linear there,
/// and tallying a million-row import at its end sorted it in memory (peak 508 MB against
/// 175 MB row by row).
pub(crate) fn defer(tx: &mut dyn Tx) -> Result<()> {
    match tx.dialect() {
        Dialect::Sqlite => Ok(()),
        Dialect::Postgres => {
            for t in TRIGGERS_PG {
                tx.execute(&format!("ALTER TABLE hazards DISABLE TRIGGER {t}"), &[])?;
            }
            Ok(())
        }
    }
}

/// Tallies the hazards with ids `first..=last` (added while the triggers were put aside by
/// [`defer`]) and puts the triggers back, in `tx` (PostgreSQL; nothing on SQLite).
pub(crate) fn add_range(tx: &mut dyn Tx, first: i64, last: i64) -> Result<()> {
    let dialect = tx.dialect();
    if dialect == Dialect::Sqlite {
        // The triggers were kept ([`defer`]).
        return Ok(());
    }
    if first <= last {
        for t in TALLIES {
            for e in t.emissions {
                let sql = t.upsert(dialect, e, "r", "hazards r", 1, Fill::Range);
                tx.execute(&sql, &crate::params![first, last])?;
            }
        }
    }
    for t in TRIGGERS_PG {
        tx.execute(&format!("ALTER TABLE hazards ENABLE TRIGGER {t}"), &[])?;
    }
    Ok(())
}

/// What one emission contributes from hazard row `r`: its key expressions (the dimensions,
/// then the tally's own keys, in the key columns' order) and its measure expressions (in
/// the measures' order). The triggers, the fill and the check all select these.
fn emission_columns(dialect: Dialect, e: &Emission, r: &str) -> (Vec<String>, Vec<String>) {
    let mut keys: Vec<String> = DIMENSIONS.iter().map(|d| expand(dialect, d.2, r)).collect();
    keys.extend(e.keys.iter().map(|k| expand(dialect, k, r)));
    let measures = e.measures.iter().map(|m| expand(dialect, m, r)).collect();
    (keys, measures)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 0049 is committed as text (applied migrations are checksummed); it must be
    /// exactly what the definition generates, or the triggers and the rebuild would differ.
    /// To regenerate after changing the definition (only in a new migration):
    /// `ANJIAN_WRITE_MIGRATION=1 cargo test -p anjian-store --lib rollups`.
    #[test]
    fn migrations_0049_and_0050_are_the_generated_text() {
        for (dialect, dir) in [(Dialect::Sqlite, "sqlite"), (Dialect::Postgres, "postgres")]
            .into_iter()
            .flat_map(|d| {
                [
                    (d, 49, "0049_hazard_rollups.sql"),
                    (d, 50, "0050_open_due_tally.sql"),
                ]
            })
            .map(|((dialect, dir), version, file)| {
                (
                    (dialect, version),
                    format!("{}/migrations/{dir}/{file}", env!("CARGO_MANIFEST_DIR")),
                )
            })
        {
            let (dialect, version) = dialect;
            let path = dir;
            let generated = migration_sql(dialect, version);
            if std::env::var_os("ANJIAN_WRITE_MIGRATION").is_some() {
                std::fs::write(&path, &generated).unwrap();
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == generated,
                "{path} differs from the generated text"
            );
        }
    }
}
