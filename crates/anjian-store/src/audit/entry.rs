//! Building an entry: its hash (over the previous entry's hash and its own fields) and the
//! values its row is written with.

use super::*;

/// The hash of an entry: SHA-256 over an unambiguous JSON array of its fields and the previous hash.
///
/// The array is serialised straight into the hasher (a tuple serialises as a JSON array, with
/// the same compact form and string escapes as a `serde_json::Value` array), so an entry's
/// `after` (a whole record, a kilobyte or more in an import) is neither copied nor kept twice.
pub fn entry_hash(e: &AuditEntry) -> String {
    let fields = (
        &e.prev_hash,
        e.seq,
        &e.at,
        e.actor_id,
        &e.actor,
        &e.action,
        &e.entity,
        &e.entity_id,
        &e.region_code,
        &e.before,
        &e.after,
        &e.request_id,
        &e.ip,
    );
    let mut hasher = HashWriter(Sha256::new());
    // This cannot fail: the hasher's writes never fail, and strings, integers and absent
    // values always serialise.
    let _ = serde_json::to_writer(&mut hasher, &fields);
    hex::encode(hasher.0.finalize())
}

/// A SHA-256 hasher as an `io::Write`, for serialising into it.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The entry numbered `seq` after `prev_hash`, with its hash; `what` is the action,
/// entity, entity id and region code; `at` is the change's time as stored (`Change::ts`,
/// formatted once by a batch for all its entries).
pub(super) fn new_entry(
    change: &Change<'_>,
    at: String,
    seq: i64,
    prev_hash: String,
    what: [&str; 4],
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    let [action, entity, entity_id, region_code] = what;
    let mut e = AuditEntry {
        seq,
        at,
        actor_id: change.actor_id,
        actor: change.actor.clone(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        region_code: region_code.to_string(),
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
        request_id: change.request_id.clone(),
        ip: change.ip.clone(),
        prev_hash,
        hash: String::new(),
    };
    e.hash = entry_hash(&e);
    e
}

/// An entry's values in `COLS` order.
pub(super) fn row_values(e: AuditEntry) -> [crate::db::Value; 14] {
    params![
        e.seq,
        e.at,
        e.actor_id,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.region_code,
        e.before,
        e.after,
        e.request_id,
        e.ip,
        e.prev_hash,
        e.hash
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash as it was first defined: a `serde_json::Value` array printed, then hashed.
    /// Every entry already written was hashed this way, so the streamed hash must agree.
    fn hash_through_value(e: &AuditEntry) -> String {
        let canonical = serde_json::json!([
            e.prev_hash,
            e.seq,
            e.at,
            e.actor_id,
            e.actor,
            e.action,
            e.entity,
            e.entity_id,
            e.region_code,
            e.before,
            e.after,
            e.request_id,
            e.ip
        ]);
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }

    fn entry(before: Option<&str>, after: Option<&str>, actor_id: Option<i64>) -> AuditEntry {
        AuditEntry {
            seq: 9_007_199_254_740_993,
            at: "2026-12-06T02:30:00.123456Z".into(),
            actor_id,
            actor: "张三 \"乡镇\" \\ 管理员\u{1}\t\n".into(),
            action: "hazard.create".into(),
            entity: "hazard".into(),
            entity_id: "42".into(),
            region_code: "130123100200".into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
            request_id: "r-\u{7f}-\u{2028}-😀".into(),
            ip: "::1".into(),
            prev_hash: "0".repeat(64),
            hash: String::new(),
        }
    }

    #[test]
    fn the_streamed_hash_is_the_hash_every_existing_entry_was_written_with() {
        let record =
            r#"{"description":"第1号疏散通道堵塞 \"东侧\"\\n","funds":12000,"sector":"fire"}"#;
        let cases = [
            entry(None, Some(record), Some(7)),
            entry(Some(record), None, None),
            entry(Some(""), Some(record), Some(-1)),
            entry(None, None, None),
        ];
        for e in &cases {
            assert_eq!(entry_hash(e), hash_through_value(e), "{e:?}");
        }
        // Entries that differ in any field hash differently.
        assert_ne!(entry_hash(&cases[0]), entry_hash(&cases[1]));
        assert_ne!(
            entry_hash(&cases[3]),
            entry_hash(&entry(None, None, Some(0)))
        );
    }
}
