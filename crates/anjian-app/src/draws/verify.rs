//! Verification: a drawn draw re-run from its published inputs, secret and entropy.

use super::*;

impl App {
    /// Re-runs a drawn draw from its stored inputs, secret and entropy and compares.
    pub fn verify_draw(&self, scope: &Scope, id: i64) -> Result<Verification> {
        let (d, tasks) = self.store.get_draw(scope, id)?;
        let (Some(secret), Some(entropy), Some(result)) = (&d.secret, &d.entropy, &d.result) else {
            return Err(AppError::Conflict("该批次尚未抽取，无可核验的结果".into()));
        };
        let mut problems = Vec::new();
        let commitment_ok = draw::commitment(secret) == d.commitment;
        if !commitment_ok {
            problems.push("公布的承诺值与揭示的种子不符".to_string());
        }
        let inputs: std::result::Result<DrawInputs, _> = serde_json::from_str(&d.inputs);
        let recomputed = match &inputs {
            Ok(i) if i.clone().canonical() == *i => draw::run(i, draw::seed(secret, entropy))
                .unwrap_or_else(|err| {
                    problems.push(format!("按公布的输入无法抽取：{err}"));
                    Vec::new()
                }),
            Ok(_) => {
                problems.push("公布的输入不是规范形式（未排序或有重复）".to_string());
                Vec::new()
            }
            Err(err) => {
                problems.push(format!("公布的输入无法解析：{err}"));
                Vec::new()
            }
        };
        let stored: Vec<DrawTask> = serde_json::from_str(result).unwrap_or_default();
        let result_ok = !recomputed.is_empty() && stored == recomputed;
        if !result_ok {
            problems.push("重新抽取的结果与记录的结果不一致".to_string());
        }
        let rows: Vec<DrawTask> = tasks
            .iter()
            .map(|t| DrawTask {
                stratum: t.stratum.clone(),
                enterprise_id: t.enterprise_id,
                inspectors: serde_json::from_str(&t.inspectors).unwrap_or_default(),
            })
            .collect();
        let tasks_ok = rows == recomputed;
        if !tasks_ok {
            problems.push("检查任务与抽取结果不一致".to_string());
        }
        Ok(Verification {
            draw_id: id,
            commitment_ok,
            result_ok,
            tasks_ok,
            recomputed,
            problems,
        })
    }
}
