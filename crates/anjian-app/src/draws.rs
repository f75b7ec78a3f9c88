//! 双随机 draws: pools from the enterprise library and the inspector roster, a committed
//! secret, the draw with public entropy, tasks, publicity within its time limit, and
//! verification by re-running the published inputs (see `anjian_domain::draw`).

use crate::{App, AppError, Caller, Result};
use anjian_domain::draw::{
    self, DrawAction, DrawFacts, DrawFlow, DrawInputs, DrawState, DrawTask, Stratum,
};
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::transition;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::draws::{Draw, DrawOutcome, DrawTaskRow, NewDraw, PoolFilter};
use serde::{Deserialize, Serialize};

/// Setting: working days from the draw within which results must be published (20 by 国发〔2019〕5号).
pub const PUBLICITY_WORKING_DAYS: &str = "draw_publicity_working_days";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StratumSpec {
    pub name: String,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub risk_grades: Vec<String>,
    #[serde(default)]
    pub key_only: bool,
    /// How many to draw; or `ratio_percent` of the pool, rounded up.
    #[serde(default)]
    pub quota: Option<usize>,
    #[serde(default)]
    pub ratio_percent: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    pub title: String,
    #[serde(default)]
    pub department_id: Option<i64>,
    pub strata: Vec<StratumSpec>,
    #[serde(default)]
    pub team_size: Option<usize>,
    /// Leave out enterprises inspected within this many days (default 0: none left out).
    #[serde(default)]
    pub exclude_inspected_days: Option<u32>,
    /// Certified inspectors to draw from; default every active inspector of the department.
    #[serde(default)]
    pub inspector_ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrawView {
    #[serde(flatten)]
    pub draw: Draw,
    pub tasks: Vec<DrawTaskRow>,
    pub publish_overdue: bool,
    pub algorithm: &'static str,
    pub status_label: &'static str,
    /// The steps the caller may take now (`draw`, `publish`), as the use cases accept them.
    pub allowed_actions: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub draw_id: i64,
    pub commitment_ok: bool,
    pub result_ok: bool,
    pub tasks_ok: bool,
    pub recomputed: Vec<DrawTask>,
    pub problems: Vec<String>,
}

impl Verification {
    pub fn matches(&self) -> bool {
        self.commitment_ok && self.result_ok && self.tasks_ok
    }
}

fn draw_error(e: draw::DrawError) -> AppError {
    let field = match e {
        draw::DrawError::TeamTooSmall => "team_size",
        draw::DrawError::NotEnoughInspectors(..) => "inspector_ids",
        _ => "strata",
    };
    ValidationErrors::single(field, e.to_string()).into()
}

fn facts(caller: &Caller, d: &Draw) -> DrawFacts {
    DrawFacts {
        state: d.status,
        actor_acts_for_organiser: caller.acts_for(d.department_id),
    }
}

impl App {
    fn ensure_draw_role(caller: &Caller) -> Result<()> {
        if caller.can(anjian_domain::scope::Permission::DecideAsAgency) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "仅管理员和负有监管职责的部门可以组织双随机抽查".into(),
            ))
        }
    }

    pub fn create_draw(&self, caller: &Caller, req: &DrawRequest) -> Result<DrawView> {
        Self::ensure_draw_role(caller)?;
        let mut e = ValidationErrors::new();
        let title = req.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            e.add("title", "请填写抽查名称（100字以内）");
        }
        if req.strata.is_empty() || req.strata.len() > 20 {
            e.add("strata", "请设置1至20个抽查类别");
        }
        let team_size = req.team_size.unwrap_or(2);
        if !(2..=5).contains(&team_size) {
            e.add("team_size", "每个检查对象须派2至5名执法人员");
        }
        let department_id = req.department_id.or(caller.user.department_id);
        if caller
            .bound_department()
            .is_some_and(|own| Some(own) != department_id)
        {
            return Err(AppError::Forbidden("只能以本部门名义组织抽查".into()));
        }
        let today = self.clock.today();
        let since = match req.exclude_inspected_days {
            Some(d) if d > 3660 => {
                e.add("exclude_inspected_days", "天数不能超过3660");
                None
            }
            Some(d) if d > 0 => Some(
                (today - chrono::Duration::days(i64::from(d)))
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            _ => None,
        };
        let mut filters = Vec::new();
        for (k, s) in req.strata.iter().enumerate() {
            let f = format!("strata[{k}]");
            if s.name.trim().is_empty() {
                e.add(&format!("{f}.name"), "请填写类别名称");
            }
            let region_prefix = match s
                .region_code
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
            {
                None => None,
                Some(r) => match RegionCode::parse(r) {
                    Ok(c) if caller.scope.admits_region(c.as_str()) => {
                        Some(c.subtree_prefix().to_string())
                    }
                    _ => {
                        e.add(
                            &format!("{f}.region_code"),
                            "区划代码不正确或不在管辖范围内",
                        );
                        None
                    }
                },
            };
            for g in &s.risk_grades {
                if !["red", "orange", "yellow", "blue"].contains(&g.as_str()) {
                    e.add(&format!("{f}.risk_grades"), format!("风险等级“{g}”不正确"));
                }
            }
            match (s.quota, s.ratio_percent) {
                (Some(_), Some(_)) | (None, None) => {
                    e.add(&format!("{f}.quota"), "请填写抽取数量或抽取比例（二选一）")
                }
                (None, Some(r)) if !(r > 0.0 && r <= 100.0) => {
                    e.add(&format!("{f}.ratio_percent"), "抽取比例须大于0且不超过100")
                }
                (Some(0), None) => e.add(&format!("{f}.quota"), "抽取数量须大于0"),
                _ => {}
            }
            filters.push(PoolFilter {
                sector: s.sector.clone().filter(|x| !x.trim().is_empty()),
                region_prefix,
                risk_grades: s.risk_grades.clone(),
                key_only: s.key_only,
                inspected_since: since.clone(),
            });
        }
        // The inspector roster: certified (role inspector), active, of the department.
        let users = self.store.list_users(&Scope::system())?;
        let roster: Vec<i64> = users
            .iter()
            .filter(|u| u.active && u.role == "inspector")
            .filter(|u| department_id.is_none() || u.department_id == department_id)
            .map(|u| u.id)
            .collect();
        let inspectors = match &req.inspector_ids {
            Some(ids) => {
                for id in ids {
                    if !roster.contains(id) {
                        e.add(
                            "inspector_ids",
                            format!("用户 {id} 不是本部门在岗的执法人员"),
                        );
                    }
                }
                ids.clone()
            }
            None => roster,
        };
        e.into_result()?;
        let mut taken = std::collections::BTreeSet::new();
        let mut strata = Vec::new();
        for (s, f) in req.strata.iter().zip(&filters) {
            // An enterprise falls in the first stratum it matches.
            let pool: Vec<i64> = self
                .store
                .draw_pool(&caller.scope, f)?
                .into_iter()
                .filter(|id| taken.insert(*id))
                .collect();
            let quota = match (s.quota, s.ratio_percent) {
                (Some(q), _) => q,
                (None, Some(r)) => ((pool.len() as f64) * r / 100.0).ceil() as usize,
                _ => 0,
            };
            strata.push(Stratum {
                name: s.name.trim().to_string(),
                pool,
                quota,
            });
        }
        let conflicts = self.store.inspector_conflicts(&inspectors)?;
        let inputs = DrawInputs {
            strata,
            inspectors,
            conflicts,
            team_size,
        }
        .canonical();
        // Refuse now what could fail at the draw, whatever the seed.
        draw::run(
            &DrawInputs {
                strata: inputs
                    .strata
                    .iter()
                    .map(|s| Stratum {
                        quota: 0,
                        ..s.clone()
                    })
                    .collect(),
                ..inputs.clone()
            },
            [0; 32],
        )
        .map_err(draw_error)?;
        for s in &inputs.strata {
            if s.quota > s.pool.len() {
                return Err(draw_error(draw::DrawError::QuotaTooLarge(
                    s.name.clone(),
                    s.pool.len(),
                )));
            }
            for obj in &s.pool {
                let free = inputs
                    .inspectors
                    .iter()
                    .filter(|i| !inputs.conflicts.contains(&(**i, *obj)))
                    .count();
                if free < team_size {
                    return Err(draw_error(draw::DrawError::NotEnoughInspectors(
                        *obj, team_size,
                    )));
                }
            }
        }
        let mut b = [0u8; 32];
        self.entropy.fill(&mut b).map_err(AppError::Internal)?;
        let secret = hex::encode(b);
        let region = self
            .root_region()?
            .map(|r| r.as_str().to_string())
            .unwrap_or_else(|| caller.user.region_code.clone());
        let nd = NewDraw {
            region_code: if caller.scope.admits_region(&region) {
                region
            } else {
                caller.user.region_code.clone()
            },
            department_id,
            title: title.to_string(),
            criteria: serde_json::to_string(req).map_err(|e| AppError::Internal(e.to_string()))?,
            inputs: serde_json::to_string(&inputs)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            commitment: draw::commitment(&secret),
            secret,
        };
        let d = self
            .store
            .create_draw(&caller.change(&caller.scope, self), &nd)?;
        self.draw_view(caller, d.id)
    }

    pub fn draw_view(&self, caller: &Caller, id: i64) -> Result<DrawView> {
        let (draw, tasks) = self.store.get_draw(&caller.scope, id)?;
        let today = self.clock.today();
        let publish_overdue =
            draw.status == DrawState::Drawn && draw.publish_due.is_some_and(|d| d < today);
        let allowed_actions = anjian_domain::workflow::offered::<DrawFlow>(
            &facts(caller, &draw),
            &caller.actor_in_region(&draw.region_code),
        )
        .into_iter()
        .map(DrawAction::as_str)
        .collect();
        Ok(DrawView {
            status_label: draw.status.label(),
            draw,
            tasks,
            publish_overdue,
            algorithm: draw::ALGORITHM,
            allowed_actions,
        })
    }

    /// Every draw in scope.
    pub fn draws(&self, caller: &Caller) -> Result<Vec<Draw>> {
        crate::every(|k| self.store.list_draws(&caller.scope, k), Ok)
    }

    /// One page of the draws in scope, newest first.
    pub fn draws_page(&self, caller: &Caller, k: &crate::Keyset) -> Result<crate::Page<Draw>> {
        Ok(self.store.list_draws(&caller.scope, k)?)
    }

    /// Reveals the secret and draws with the given public entropy.
    pub fn run_draw(&self, caller: &Caller, id: i64, entropy: &str) -> Result<DrawView> {
        Self::ensure_draw_role(caller)?;
        let entropy = entropy.trim();
        if entropy.chars().count() > 200 {
            return Err(ValidationErrors::single("entropy", "公开随机数不能超过200字").into());
        }
        let (d, _) = self.store.get_draw(&caller.scope, id)?;
        transition::<DrawFlow>(
            &facts(caller, &d),
            DrawAction::Draw,
            &caller.actor_in_region(&d.region_code),
        )?;
        let secret = self.store.draw_secret(&caller.scope, id)?;
        let inputs: DrawInputs =
            serde_json::from_str(&d.inputs).map_err(|e| AppError::Internal(e.to_string()))?;
        let tasks = draw::run(&inputs, draw::seed(&secret, entropy)).map_err(draw_error)?;
        let today = self.clock.today();
        let days = self
            .store
            .setting(PUBLICITY_WORKING_DAYS)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        let due = self.add_working_days(today, days)?;
        let rows: Vec<(String, i64, String)> = tasks
            .iter()
            .map(|t| {
                (
                    t.stratum.clone(),
                    t.enterprise_id,
                    serde_json::to_string(&t.inspectors).unwrap_or_default(),
                )
            })
            .collect();
        let result =
            serde_json::to_string(&tasks).map_err(|e| AppError::Internal(e.to_string()))?;
        let outcome = DrawOutcome {
            entropy: entropy.to_string(),
            result,
            drawn_on: today,
            publish_due: due,
            tasks: rows,
        };
        self.store
            .complete_draw(&caller.change(&caller.scope, self), id, &outcome)?;
        self.draw_view(caller, id)
    }

    pub fn publish_draw(
        &self,
        caller: &Caller,
        id: i64,
        on: &str,
        place: &str,
    ) -> Result<DrawView> {
        Self::ensure_draw_role(caller)?;
        let (d, _) = self.store.get_draw(&caller.scope, id)?;
        let mut e = ValidationErrors::new();
        let day = match parse_date(on.trim()) {
            Ok(x) if x > self.clock.today() => {
                e.add("published_on", "公示日期不能晚于今天");
                None
            }
            Ok(x) if d.drawn_on.is_some_and(|dr| x < dr) => {
                e.add("published_on", "公示日期不能早于抽取日期");
                None
            }
            Ok(x) => Some(x),
            Err(m) => {
                e.add("published_on", m);
                None
            }
        };
        let place = place.trim();
        if place.is_empty() || place.chars().count() > 200 {
            e.add(
                "published_where",
                "请填写公示载体（如国家企业信用信息公示系统、政府网站）",
            );
        }
        e.into_result()?;
        transition::<DrawFlow>(
            &facts(caller, &d),
            DrawAction::Publish,
            &caller.actor_in_region(&d.region_code),
        )?;
        let Some(day) = day else {
            return Err(ValidationErrors::single("published_on", "请填写公示日期").into());
        };
        self.store
            .publish_draw(&caller.change(&caller.scope, self), id, day, place)?;
        self.draw_view(caller, id)
    }

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

    pub fn add_inspector_conflict(
        &self,
        caller: &Caller,
        user_id: i64,
        enterprise_id: i64,
        reason: &str,
    ) -> Result<()> {
        Self::ensure_draw_role(caller)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(ValidationErrors::single("reason", "请填写回避事由（200字以内）").into());
        }
        let u = self
            .store
            .get_user(&Scope::system(), user_id)
            .map_err(|_| ValidationErrors::single("user_id", "执法人员不存在"))?;
        if u.role != "inspector" {
            return Err(ValidationErrors::single("user_id", "该用户不是执法人员").into());
        }
        Ok(self.store.add_inspector_conflict(
            &caller.change(&caller.scope, self),
            user_id,
            enterprise_id,
            reason,
        )?)
    }

    /// The publicity list (公示) of a drawn draw as a Word file.
    pub fn draw_publicity_docx(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let v = self.draw_view(caller, id)?;
        if v.draw.status == DrawState::Committed {
            return Err(AppError::Conflict("该批次尚未抽取".into()));
        }
        let users = self.store.list_users(&Scope::system())?;
        let name_of = |id: &i64| {
            users
                .iter()
                .find(|u| u.id == *id)
                .map(|u| u.display_name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let dept = match v.draw.department_id {
            Some(d) => self
                .store
                .get_department(&Scope::system(), d)
                .map(|d| d.name)
                .unwrap_or_default(),
            None => format!("{}安全生产委员会办公室", self.instance_name()?),
        };
        let rows: Vec<Vec<String>> = v
            .tasks
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let ids: Vec<i64> = serde_json::from_str(&t.inspectors).unwrap_or_default();
                vec![
                    (k + 1).to_string(),
                    t.enterprise_name.clone(),
                    t.stratum.clone(),
                    ids.iter().map(name_of).collect::<Vec<_>>().join("、"),
                ]
            })
            .collect();
        let body = vec![
            format!(
                "根据“双随机、一公开”监管工作要求，{dept}于{}组织开展“{}”随机抽查，现将抽取结果公示如下。",
                v.draw
                    .drawn_on
                    .map(crate::docx::chinese_date)
                    .unwrap_or_default(),
                v.draw.title
            ),
            format!(
                "抽取算法：{}；承诺值（SHA-256）：{}；种子：{}；公开随机数：{}。任何人可按公布的输入重新抽取核验。",
                draw::ALGORITHM,
                v.draw.commitment,
                v.draw.secret.clone().unwrap_or_default(),
                v.draw.entropy.clone().unwrap_or_default()
            ),
        ];
        let headers = ["序号", "检查对象", "类别", "执法检查人员"];
        crate::docx::document(
            "随机抽查结果公示",
            "",
            &body,
            (!rows.is_empty()).then_some((&headers[..], &rows[..])),
            &dept,
            &v.draw
                .drawn_on
                .map(crate::docx::chinese_date)
                .unwrap_or_default(),
        )
    }
}
