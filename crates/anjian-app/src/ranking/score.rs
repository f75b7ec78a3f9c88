//! Scoring the units of a period: quantity, increase and quality, each scaled by the best unit.

use super::*;

impl App {
    /// The ranking of townships (`by = "township"`) or departments (`"department"`) for a
    /// period (a month for 调度, a quarter for 排名, or any period), in the caller's scope.
    pub fn ranking(&self, caller: &Caller, period: &Period, by: &str) -> Result<Ranking> {
        if caller.scope.enterprise_ids.is_some() {
            return Err(caller.refuse("查看执法排名"));
        }
        let rule = self.ranking_rule()?;
        let previous = period
            .previous()
            .ok_or_else(|| AppError::BadRequest("无法确定上一期间".into()))?;
        let units: Vec<(String, String, StatFilter)> = match by {
            "township" => self
                .townships(caller)?
                .into_iter()
                .map(|(code, name)| {
                    let prefix = anjian_domain::RegionCode::parse(&code)
                        .map(|c| c.subtree_prefix().to_string())
                        .unwrap_or_else(|_| code.clone());
                    (
                        code,
                        name,
                        StatFilter {
                            region_prefix: Some(prefix),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
            "department" => self
                .store
                .list_departments(&Scope::system(), self.clock.today())?
                .into_iter()
                .filter(|d| d.has_supervision_duty)
                .map(|d| {
                    (
                        d.id.to_string(),
                        d.name,
                        StatFilter {
                            department_id: Some(d.id),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
            _ => {
                return Err(AppError::Validation(ValidationErrors::single(
                    "by",
                    "排名对象应为 township（乡镇）或 department（部门）",
                )));
            }
        };
        let cat = self.metric_catalogue()?;
        let find = |id: &str| {
            cat.iter()
                .find(|m| m.id == id)
                .ok_or_else(|| AppError::BadRequest(format!("排名规则中的指标“{id}”不存在")))
        };
        let mut cache: HashMap<(String, String, String), f64> = HashMap::new();
        let mut value = |id: &str, unit: &str, f: &StatFilter, p: &Period| -> Result<f64> {
            let key = (id.to_string(), unit.to_string(), p.code.clone());
            if let Some(v) = cache.get(&key) {
                return Ok(*v);
            }
            let m = find(id)?;
            let raw = self.store.metric_value(m, &caller.scope, f, p.from, p.to)?;
            let v = raw.map(|r| m.stated(r)).unwrap_or(0.0);
            cache.insert(key, v);
            Ok(v)
        };
        let mut rows = Vec::new();
        for (code, name, f) in &units {
            let mut parts = Vec::new();
            let (mut q, mut q_prev, mut quality) = (0.0, 0.0, 0.0);
            for t in &rule.quantity {
                let v = value(&t.metric, code, f, period)?;
                let pv = value(&t.metric, code, f, &previous)?;
                q += t.weight * v;
                q_prev += t.weight * pv;
                parts.push(Part {
                    component: "quantity".into(),
                    label: find(&t.metric)?.label.clone(),
                    metric: t.metric.clone(),
                    weight: t.weight,
                    value: v,
                    definition: find(&t.metric)?.definition.clone(),
                    previous: Some(pv),
                    link: format!("/metrics/{}?{}", t.metric, drill_query(period, f)),
                });
            }
            for r in &rule.quality {
                let n = value(&r.numerator, code, f, period)?;
                let d = value(&r.denominator, code, f, period)?;
                if d > 0.0 {
                    // A cohort rate (validated when the rule is saved).
                    quality += r.weight * (n / d).min(1.0);
                }
                for (m, v) in [(&r.numerator, n), (&r.denominator, d)] {
                    parts.push(Part {
                        component: "quality".into(),
                        label: format!("{}：{}", r.label, find(m)?.label),
                        metric: m.clone(),
                        weight: r.weight,
                        value: v,
                        definition: format!("{}（{}）", r.definition, find(m)?.definition),
                        previous: None,
                        link: format!("/metrics/{m}?{}", drill_query(period, f)),
                    });
                }
            }
            rows.push(RankRow {
                rank: 0,
                unit: code.clone(),
                unit_name: name.clone(),
                quantity: q,
                previous_quantity: q_prev,
                increase: q - q_prev,
                quality,
                quantity_score: 0.0,
                increase_score: 0.0,
                quality_score: 0.0,
                total: 0.0,
                parts,
            });
        }
        let best = |f: fn(&RankRow) -> f64| rows.iter().map(f).fold(0.0_f64, f64::max);
        let (bq, bi, bl) = (
            best(|r| r.quantity),
            best(|r| r.increase),
            best(|r| r.quality),
        );
        for r in &mut rows {
            r.quantity_score = round2(scaled(rule.quantity_points, r.quantity, bq));
            r.increase_score = round2(scaled(rule.increase_points, r.increase, bi));
            r.quality_score = round2(scaled(rule.quality_points, r.quality, bl));
            r.total = round2(r.quantity_score + r.increase_score + r.quality_score);
            r.quantity = round2(r.quantity);
            r.previous_quantity = round2(r.previous_quantity);
            r.increase = round2(r.increase);
            r.quality = (r.quality * 10_000.0).round() / 10_000.0;
        }
        rows.sort_by(|a, b| {
            b.total
                .partial_cmp(&a.total)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.unit_name.cmp(&b.unit_name))
        });
        for (i, r) in rows.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        Ok(Ranking {
            period: period.code.clone(),
            period_name: period.name(),
            previous: previous.code,
            by: by.to_string(),
            rule,
            rows,
        })
    }
}
