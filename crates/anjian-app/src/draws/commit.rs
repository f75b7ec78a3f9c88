//! Committing a draw: the request checked, the pools built from the enterprise library and
//! the roster, refused now if it could fail whatever the seed, and the secret committed.

use super::*;

impl App {
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
            // The grade filter reads the effective grade (override, points, registration),
            // below, not the registered one.
            filters.push(PoolFilter {
                sector: s.sector.clone().filter(|x| !x.trim().is_empty()),
                region_prefix,
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
        // Each enterprise's effective grade, read once when a stratum filters by grade.
        let effective: std::collections::BTreeMap<i64, anjian_domain::risk_grade::Grade> =
            if req.strata.iter().any(|s| !s.risk_grades.is_empty()) {
                self.enterprise_risk_grade_all(
                    caller,
                    &anjian_store::risk_steering::EnterpriseRiskGradeFilter::default(),
                )?
                .into_iter()
                .filter_map(|g| Some((g.enterprise_id, g.effective?)))
                .collect()
            } else {
                Default::default()
            };
        let mut taken = std::collections::BTreeSet::new();
        let mut strata = Vec::new();
        for (s, f) in req.strata.iter().zip(&filters) {
            let grades: Vec<anjian_domain::risk_grade::Grade> = s
                .risk_grades
                .iter()
                .filter_map(|g| anjian_domain::risk_steering::grade_of_colour_code(g))
                .collect();
            let graded = |id: &i64| {
                grades.is_empty() || effective.get(id).is_some_and(|g| grades.contains(g))
            };
            // An enterprise falls in the first stratum it matches.
            let pool: Vec<i64> = self
                .store
                .draw_pool(&caller.scope, f)?
                .into_iter()
                .filter(graded)
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
        let weights = if req.weighted_by_grade {
            Some(self.risk_steering_draw_weights(caller, &strata)?)
        } else {
            None
        };
        let inputs = DrawInputs {
            strata,
            inspectors,
            conflicts,
            team_size,
            weights,
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
}
