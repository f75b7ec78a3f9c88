//! Verifying the chain: edited entries, deleted entries and a truncated tail, each by `seq`.

use super::*;

/// One problem found by [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditProblem {
    pub seq: i64,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditReport {
    pub checked: i64,
    pub head_seq: i64,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// Recomputes the whole chain and reports every broken entry.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        self.db().read(|tx| {
            let (head_seq, head_hash) = super::read_head(tx)?;
            let mut problems = Vec::new();
            let mut prev_hash = "0".repeat(64);
            let mut expected_seq = 1;
            let mut checked = 0;
            let mut after = 0i64;
            loop {
                let rows = tx.query(
                    &format!("SELECT {COLS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000"),
                    &params![after],
                )?;
                if rows.is_empty() {
                    break;
                }
                for r in &rows {
                    let e = row(r)?;
                    checked += 1;
                    if e.seq != expected_seq {
                        let missing = if e.seq == expected_seq + 1 {
                            format!("第 {expected_seq} 条记录缺失（已被删除）")
                        } else {
                            format!("第 {expected_seq}–{} 条记录缺失（已被删除）", e.seq - 1)
                        };
                        problems.push(AuditProblem {
                            seq: expected_seq,
                            problem: missing,
                        });
                    }
                    if e.prev_hash != prev_hash {
                        problems.push(AuditProblem {
                            seq: e.seq,
                            problem: "与上一条记录的哈希链接不符".into(),
                        });
                    }
                    if entry_hash(&e) != e.hash {
                        problems.push(AuditProblem {
                            seq: e.seq,
                            problem: "记录内容与其哈希不符（已被修改）".into(),
                        });
                    }
                    prev_hash = e.hash.clone();
                    expected_seq = e.seq + 1;
                    after = e.seq;
                }
            }
            if expected_seq - 1 != head_seq {
                problems.push(AuditProblem {
                    seq: expected_seq,
                    problem: format!(
                        "链尾应为第 {head_seq} 条，实际止于第 {} 条（末尾记录被删除）",
                        expected_seq - 1
                    ),
                });
            } else if head_seq > 0 && prev_hash != head_hash {
                problems.push(AuditProblem {
                    seq: head_seq,
                    problem: "链尾哈希与记录不符".into(),
                });
            }
            Ok(AuditReport {
                checked,
                head_seq,
                problems,
            })
        })
    }
}
