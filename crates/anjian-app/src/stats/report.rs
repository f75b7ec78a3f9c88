//! A report rendered from the template: every figure a metric evaluated in one batch,
//! marked in the text and linked to its drill-down.

use super::*;

/// One figure stated in a rendered report.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Figure {
    pub n: usize,
    pub metric: String,
    pub label: String,
    pub unit: String,
    pub filter: StatFilter,
    pub raw: Option<i64>,
    pub value: Option<f64>,
    pub display: String,
    /// Path of the drill-down page (`/metrics/{id}?period=…`).
    pub link: String,
}

/// A rendered report: the text with figure markers, the figures, and every metric's value.
#[derive(Debug, Clone, Serialize)]
pub struct Rendered {
    pub title: String,
    pub period: Period,
    pub period_name: String,
    #[serde(skip)]
    pub text: String,
    pub figures: Vec<Figure>,
    pub metrics: Vec<MetricValue>,
}

impl App {
    /// Whom a report speaks for: the county for callers whose scope is the whole county, or
    /// the caller's own region (e.g. "清江市城关镇"), and its "whole" word ("全市", "全县",
    /// "全镇", "全乡", "全街道" ...).
    fn report_area(&self, caller: &Caller, county: &str) -> Result<(String, String)> {
        let root = self.root_region()?.map(|r| r.as_str().to_string());
        let own = caller.user.region_code.as_str().to_string();
        let county_wide = match &root {
            Some(root) => {
                let own_prefix = own.trim_end_matches("000");
                root.starts_with(own_prefix) || own == *root
            }
            None => true,
        };
        let whole_of = |name: &str| -> String {
            for suffix in ["街道", "市", "县", "区", "旗", "镇", "乡", "村"] {
                if name.ends_with(suffix) {
                    return format!("全{suffix}");
                }
            }
            "全市".to_string()
        };
        if county_wide {
            return Ok((county.to_string(), whole_of(county)));
        }
        let name = self
            .store
            .get_region(&anjian_domain::scope::Scope::system(), &own)
            .map(|r| r.name)
            .unwrap_or_default();
        if name.is_empty() {
            return Ok((county.to_string(), whole_of(county)));
        }
        Ok((format!("{county}{name}"), whole_of(&name)))
    }

    /// Renders the county's report template for a period.
    pub fn render_report(&self, caller: &Caller, period: &Period) -> Result<Rendered> {
        let t = self.report_template()?;
        self.render_report_with(caller, period, &t)
    }

    /// Renders a template: `m(id, sector=…, campaign=…, region=…, department=…, agency=…,
    /// scale=…)` states a figure (linked), `v(…)` gives its number for arithmetic or
    /// conditions, `pct(a, b)` a percentage.
    pub fn render_report_with(
        &self,
        caller: &Caller,
        period: &Period,
        template: &str,
    ) -> Result<Rendered> {
        let started = std::time::Instant::now();
        let cat: Arc<Vec<Metric>> = Arc::new(self.metric_catalogue()?);
        let catalogued = started.elapsed();
        let figures: Arc<Mutex<Vec<Figure>>> = Arc::new(Mutex::new(Vec::new()));
        // Figures left for the batch: (figure number, scale).
        let pending: Arc<Mutex<Vec<(usize, f64)>>> = Arc::new(Mutex::new(Vec::new()));
        // Figures are evaluated after rendering, together with every metric over the whole
        // scope (the JSON lists them): one query per source and date rule for the report.
        // `v()` evaluates at once and caches.
        let cache: Arc<Mutex<HashMap<String, Option<i64>>>> = Arc::new(Mutex::new(HashMap::new()));
        let store: Arc<Store> = self.store.clone();
        let scope: Scope = caller.scope.clone();
        let p = period.clone();
        let eval = {
            let (cat, cache, store, scope, p) =
                (cat.clone(), cache.clone(), store, scope, p.clone());
            // `lazy`: a figure not yet in the cache is left for the batch after rendering
            // (its value comes back as `None` and `false`).
            Arc::new(
                move |id: &str,
                      kw: &Kwargs,
                      lazy: bool|
                      -> std::result::Result<
                    (MetricValue, StatFilter, f64, bool),
                    minijinja::Error,
                > {
                    let err = |m: String| {
                        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, m)
                    };
                    let m = cat
                        .iter()
                        .find(|m| m.id == id)
                        .ok_or_else(|| err(format!("指标“{id}”不存在")))?;
                    let text = |k: &str| -> std::result::Result<Option<String>, minijinja::Error> {
                        Ok(kw.get::<Option<String>>(k)?.filter(|s| !s.is_empty()))
                    };
                    let f = StatFilter {
                        region_prefix: text("region")?,
                        department_id: kw.get::<Option<i64>>("department")?,
                        sector: text("sector")?,
                        campaign: text("campaign")?,
                        agency: text("agency")?,
                        enterprise_id: kw.get::<Option<i64>>("enterprise")?,
                    };
                    let scale = kw
                        .get::<Option<f64>>("scale")?
                        .filter(|s| *s > 0.0)
                        .unwrap_or(1.0);
                    kw.assert_all_used()?;
                    let key = format!("{id}|{f:?}");
                    let cached = cache.lock().ok().and_then(|c| c.get(&key).copied());
                    let raw = match cached {
                        Some(r) => r,
                        None if lazy => return Ok((value_of(m, None, scale), f, scale, false)),
                        None => {
                            let r = store
                                .metric_value(m, &scope, &f, p.from, p.to)
                                .map_err(|e| err(format!("指标“{id}”计算失败：{e}")))?;
                            if let Ok(mut c) = cache.lock() {
                                c.insert(key, r);
                            }
                            r
                        }
                    };
                    let mut v = value_of(m, raw, scale);
                    if scale != 1.0 {
                        v.unit = String::new();
                    }
                    Ok((v, f, scale, true))
                },
            )
        };
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        {
            let (eval, figures, p, pending) =
                (eval.clone(), figures.clone(), p.clone(), pending.clone());
            env.add_function(
                "m",
                move |id: String, kw: Kwargs| -> std::result::Result<String, minijinja::Error> {
                    let (v, f, scale, resolved) = eval(&id, &kw, true)?;
                    let lock =
                        || minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "lock");
                    let mut figs = figures.lock().map_err(|_| lock())?;
                    let n = figs.len();
                    if !resolved {
                        pending.lock().map_err(|_| lock())?.push((n, scale));
                    }
                    figs.push(Figure {
                        n,
                        link: format!("/metrics/{}?{}", id, drill_query(&p, &f)),
                        metric: id,
                        label: v.label,
                        unit: v.unit,
                        filter: f,
                        raw: v.raw,
                        value: v.value,
                        display: v.display,
                    });
                    Ok(format!("{MARK_OPEN}{n}{MARK_CLOSE}"))
                },
            );
        }
        {
            let eval = eval.clone();
            env.add_function(
                "v",
                move |id: String, kw: Kwargs| -> std::result::Result<f64, minijinja::Error> {
                    Ok(eval(&id, &kw, false)?.0.value.unwrap_or(0.0))
                },
            );
        }
        {
            // Whether the caller's county keeps a campaign's ledger (the template then states
            // the ledger's figures, and otherwise the older work records').
            let ledgers: Vec<String> = self
                .store
                .campaign_definitions(&caller.scope)?
                .into_iter()
                .map(|d| d.code)
                .collect();
            env.add_function("ledger", move |code: String| -> bool {
                ledgers.contains(&code)
            });
        }
        env.add_function("pct", |a: f64, b: f64| -> String {
            if b == 0.0 {
                "—".into()
            } else {
                format!("{}%", fmt_value((a * 1000.0 / b).round() / 10.0))
            }
        });
        let campaigns = self.store.list_campaigns(&caller.scope)?;
        // The period's main campaign: the longest one overlapping it.
        let main = campaigns
            .iter()
            .filter(|c| c.starts_on <= period.to && c.ends_on >= period.from)
            .max_by_key(|c| (c.ends_on - c.starts_on).num_days());
        let county = self.instance_name()?;
        // The county's 应急管理 department (its enforcement figures are stated apart, as the
        // source report states those of the 应急 system): the one of the root region whose
        // name says so, or the first one in scope.
        let root = self.root_region()?.map(|r| r.as_str().to_string());
        let emergency = self
            .store
            .list_departments(&caller.scope, self.clock.today())?
            .into_iter()
            .filter(|d| d.name.contains("应急管理"))
            .min_by_key(|d| (Some(&d.region_code) != root.as_ref(), d.sort_order, d.id))
            .map(|d| d.id);
        let (area, whole) = self.report_area(caller, &county)?;
        // The kinds of the period's natural disasters, as the report names them (冰雪、强降雨).
        let disaster_kinds = self.disaster_kinds_phrase(caller, period.from, period.to)?;
        let ctx = minijinja::context! {
            county => county,
            area => area,
            whole => whole,
            year => chrono::Datelike::year(&period.from),
            next_year => chrono::Datelike::year(&period.from) + 1,
            period_name => period.name(),
            period_from => period.from.to_string(),
            period_to => period.to.to_string(),
            campaign => main.map(|c| c.code.clone()),
            campaign_name => main.map(|c| c.name.clone()),
            emergency_department => emergency,
            disaster_kinds => disaster_kinds,
        };
        let text = env
            .render_str(template, ctx)
            .map_err(|e| AppError::BadRequest(format!("报告模板有误：{e}")))?;
        let rendered = started.elapsed();
        let mut figures = figures.lock().map(|f| f.clone()).unwrap_or_default();
        // Every metric over the whole scope, then the figures: one multi-evaluation.
        let pending = pending.lock().map(|p| p.clone()).unwrap_or_default();
        let (from, to) = (period.from, period.to);
        let whole = StatFilter::default();
        let mut reqs: Vec<(&Metric, &StatFilter)> = cat.iter().map(|m| (m, &whole)).collect();
        // (figure number, scale, metric, its position in the catalogue, its filter)
        let mut members: Vec<(usize, f64, &Metric, usize, StatFilter)> = Vec::new();
        for (n, scale) in pending {
            let Some(fig) = figures.get(n) else { continue };
            let Some(at) = cat.iter().position(|m| m.id == fig.metric) else {
                continue;
            };
            members.push((n, scale, &cat[at], at, fig.filter.clone()));
        }
        // Figures over the whole scope reuse the metric's own column.
        let mut column: Vec<usize> = Vec::with_capacity(members.len());
        for (_, _, m, at, f) in &members {
            if *f == whole {
                column.push(*at);
            } else {
                column.push(reqs.len());
                reqs.push((*m, f));
            }
        }
        let raws = self
            .store
            .metric_values_multi(&reqs, &caller.scope, from, to)?;
        tracing::debug!(
            catalogue_ms = catalogued.as_secs_f64() * 1000.0,
            template_ms = (rendered - catalogued).as_secs_f64() * 1000.0,
            values_ms = (started.elapsed() - rendered).as_secs_f64() * 1000.0,
            "report rendered"
        );
        let metrics: Vec<MetricValue> = cat
            .iter()
            .zip(&raws)
            .map(|(m, raw)| value_of(m, *raw, 1.0))
            .collect();
        for ((n, scale, m, _, _), col) in members.iter().zip(column) {
            let mut v = value_of(m, raws.get(col).copied().flatten(), *scale);
            if *scale != 1.0 {
                v.unit = String::new();
            }
            if let Some(fig) = figures.get_mut(*n) {
                fig.raw = v.raw;
                fig.value = v.value;
                fig.display = v.display;
                fig.unit = v.unit;
            }
        }
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| strip_marks(t, &figures))
            .unwrap_or_else(|| format!("{county}{}安全生产工作总结", period.name()));
        Ok(Rendered {
            title,
            period: period.clone(),
            period_name: period.name(),
            text,
            figures,
            metrics,
        })
    }
}
