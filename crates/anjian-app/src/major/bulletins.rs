//! 通报 of overdue major hazards: one per cycle, issued by hand or by the daily job, as Word files.

use super::*;

impl App {
    /// The 通报 cycle a day falls in, per the `major_bulletin_cycle` setting
    /// (`half_month`, the default; `month`; or `week`), and whether the day starts it.
    pub fn bulletin_cycle(&self, day: chrono::NaiveDate) -> Result<(String, bool)> {
        let setting = self
            .store
            .setting(BULLETIN_CYCLE)?
            .unwrap_or_else(|| "half_month".into());
        Ok(match setting.as_str() {
            "month" => (format!("{}年{}月", day.year(), day.month()), day.day() == 1),
            "week" => {
                let w = day.iso_week();
                (
                    format!("{}年第{}周", w.year(), w.week()),
                    day.weekday() == chrono::Weekday::Mon,
                )
            }
            _ => {
                let half = if day.day() <= 15 {
                    "上半月"
                } else {
                    "下半月"
                };
                (
                    format!("{}年{}月{half}", day.year(), day.month()),
                    day.day() == 1 || day.day() == 16,
                )
            }
        })
    }

    /// Issues this cycle's 通报 of overdue major hazards in the caller's county, once per
    /// cycle; returns the record (existing or new) and its Word file.
    pub fn issue_bulletin(&self, caller: &Caller) -> Result<(Bulletin, Vec<u8>)> {
        if !caller.can(Permission::DecideAsAgency) {
            return Err(AppError::Forbidden(
                "仅安委办和负有监管职责的部门可发布通报".into(),
            ));
        }
        let county = anjian_domain::RegionCode::parse(&caller.user.region_code)
            .ok()
            .and_then(|r| r.county())
            .ok_or_else(|| AppError::Forbidden("通报须由县级用户发布".into()))?;
        let scope = caller.hazard_scope();
        let b = self.issue_bulletin_in(&county, &caller.change(&scope, self))?;
        let doc = self.bulletin_docx(&b)?;
        Ok((b, doc))
    }

    /// Issues the current cycle's 通报 for a county (used by users and by the daily job).
    pub fn issue_bulletin_in(
        &self,
        county: &anjian_domain::RegionCode,
        change: &anjian_store::Change<'_>,
    ) -> Result<Bulletin> {
        let today = self.clock.today();
        let (cycle, _) = self.bulletin_cycle(today)?;
        let county_scope = Scope::region(county, false);
        if let Some(b) = self
            .store
            .list_bulletins(&county_scope)?
            .into_iter()
            .find(|b| b.cycle == cycle && b.county_code == county.as_str())
        {
            return Ok(b);
        }
        let overdue = anjian_store::paging::all_pages(|k| {
            self.store.major_cases_page(
                &county_scope,
                &CaseFilter {
                    overdue_on: Some(today),
                    after: k.after,
                    limit: k.limit,
                    ..Default::default()
                },
            )
        })?;
        let items: Vec<serde_json::Value> = overdue
            .iter()
            .map(|(c, h)| {
                serde_json::json!({
                    "case_no": c.case_no, "hazard_id": c.hazard_id, "description": h.description,
                    "unit": if h.responsible_unit.is_empty() { h.enterprise_name.clone().unwrap_or_default() } else { h.responsible_unit.clone() },
                    "region": h.region_name, "deadline": h.deadline,
                    "assignment_no": c.assignment_no, "coordinating_supervisor": c.coordinating_supervisor,
                })
            })
            .collect();
        let n = self
            .store
            .list_bulletins(&county_scope)?
            .iter()
            .filter(|b| b.issued_on.year() == today.year())
            .count();
        let doc_no = format!("安委办通〔{}〕{}号", today.year(), n + 1);
        match self.store.create_bulletin(
            change,
            county.as_str(),
            &cycle,
            &doc_no,
            today,
            &serde_json::Value::Array(items),
        )? {
            Some(b) => Ok(b),
            None => self
                .store
                .list_bulletins(&county_scope)?
                .into_iter()
                .find(|b| b.cycle == cycle)
                .ok_or(AppError::NotFound),
        }
    }

    /// At the start of each cycle, the daily job issues the 通报 of every county that has
    /// major cases (idempotent per cycle).
    pub fn issue_due_bulletins(&self) -> Result<usize> {
        let (_, starts) = self.bulletin_cycle(self.clock.today())?;
        if !starts {
            return Ok(0);
        }
        let scope = Scope::system();
        let change = self.system_change(&scope, "job");
        let mut counties: Vec<String> = anjian_store::paging::all_pages(|k| {
            self.store.major_cases_page(
                &scope,
                &CaseFilter {
                    open_only: true,
                    after: k.after,
                    limit: k.limit,
                    ..Default::default()
                },
            )
        })?
        .into_iter()
        .map(|(_, h)| h.county_code)
        .collect();
        counties.sort();
        counties.dedup();
        let mut n = 0;
        for c in counties {
            if let Ok(code) = anjian_domain::RegionCode::parse(&c) {
                self.issue_bulletin_in(&code, &change)?;
                n += 1;
            }
        }
        Ok(n)
    }

    pub fn bulletins(&self, caller: &Caller) -> Result<Vec<Bulletin>> {
        Ok(self.store.list_bulletins(&caller.scope)?)
    }

    pub fn bulletin_file(&self, caller: &Caller, id: i64) -> Result<(Bulletin, Vec<u8>)> {
        let b = self.store.get_bulletin(&caller.scope, id)?;
        let doc = self.bulletin_docx(&b)?;
        Ok((b, doc))
    }

    pub(super) fn bulletin_docx(&self, b: &Bulletin) -> Result<Vec<u8>> {
        let items: Vec<serde_json::Value> = serde_json::from_str(&b.items).unwrap_or_default();
        let name = self.instance_name()?;
        let s = |v: &serde_json::Value, k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let rows: Vec<Vec<String>> = items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                vec![
                    (i + 1).to_string(),
                    s(v, "case_no"),
                    s(v, "description"),
                    s(v, "unit"),
                    s(v, "region"),
                    s(v, "deadline"),
                    s(v, "coordinating_supervisor"),
                ]
            })
            .collect();
        let body = if rows.is_empty() {
            vec![format!(
                "截至{}，全{}列入重大事故隐患清单并交办的隐患均在整改期限内，无逾期未整改隐患。",
                b.issued_on,
                if name.is_empty() {
                    "县".to_string()
                } else {
                    name.clone()
                }
            )]
        } else {
            vec![
                format!(
                    "根据重大事故隐患“一单四制”管理规定，现将截至{}逾期未完成整改的重大事故隐患通报如下：",
                    b.issued_on
                ),
                format!(
                    "共{}项。请各治理责任单位立即落实整改责任和措施，协调督办单位加强督促，整改完成后及时申请验收销号。逾期仍未整改的，将依法依规约谈问责。",
                    rows.len()
                ),
            ]
        };
        let headers = [
            "序号",
            "清单编号",
            "隐患内容",
            "治理责任单位",
            "所在区域",
            "整改时限",
            "协调督办单位",
        ];
        let table = (!rows.is_empty()).then_some((&headers[..], &rows[..]));
        crate::docx::document(
            &format!("关于逾期未整改重大事故隐患的通报（{}）", b.cycle),
            &format!("{name}{}", b.doc_no),
            &body,
            table,
            &format!("{name}安全生产委员会办公室"),
            &b.issued_on.to_string(),
        )
    }
}
