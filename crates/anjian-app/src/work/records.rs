//! Work records one by one: who may record, validation against the catalogue, reads.

use super::*;

impl App {
    /// Who may record work: 安委办, departments, inspectors and townships, in their scope.
    pub(super) fn work_scope(&self, caller: &Caller) -> Result<Scope> {
        if !caller.can(anjian_domain::scope::Permission::Supervise) {
            return Err(caller.refuse("登记工作记录"));
        }
        let mut s = caller.scope.clone();
        s.writable = true;
        Ok(s)
    }

    /// Validates one record against the catalogue and the caller; `Err` lists every problem.
    pub(super) fn validate_work(
        &self,
        caller: &Caller,
        items: &[WorkItemType],
        input: &WorkRecordInput,
    ) -> Result<std::result::Result<WorkRecord, ValidationErrors>> {
        let mut e = ValidationErrors::new();
        let item = items.iter().find(|t| t.code == input.item_code.trim());
        match item {
            None => e.add(
                "item_code",
                format!("工作事项“{}”不存在", input.item_code.trim()),
            ),
            Some(t) if !t.active => e.add("item_code", format!("工作事项“{}”已停用", t.name)),
            _ => {}
        }
        let region = RegionCode::parse(input.region_code.trim());
        match &region {
            Err(m) => e.add("region_code", m.clone()),
            Ok(r) => {
                if self.store.get_region(&Scope::system(), r.as_str()).is_err() {
                    e.add("region_code", "区划不存在");
                } else if !caller.scope.admits_region(r.as_str()) {
                    e.add("region_code", "该区划不在您的管辖范围内");
                }
            }
        }
        let done_on = day(&input.done_on);
        match done_on {
            None => e.add("done_on", "日期格式应为 YYYY-MM-DD"),
            Some(d) if d > self.clock.today() => e.add("done_on", "日期不能晚于今天"),
            _ => {}
        }
        if input.quantity < 0 {
            e.add("quantity", "数量不能为负数");
        } else if input.quantity > 1_000_000_000 {
            e.add("quantity", "数量过大，请核对单位");
        }
        // A department officer records in their own department's name.
        let department_id = match caller.bound_department() {
            Some(d) => {
                if input.department_id.is_some_and(|x| x != d) {
                    e.add("department_id", "只能以本部门名义登记");
                }
                Some(d)
            }
            _ => input.department_id,
        };
        if let Some(d) = department_id
            && self
                .store
                .get_department(&Scope::system(), d, self.clock.today())
                .is_err()
        {
            e.add("department_id", "部门不存在");
        }
        let sector = input
            .sector
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| item.and_then(|t| t.sector.clone()));
        if let Some(s) = &sector {
            if !self.store.list_sectors()?.iter().any(|x| &x.code == s) {
                e.add("sector", "行业领域不存在");
            } else if !caller.scope.admits_sectors(&[s.as_str()]) {
                e.add("sector", "该行业领域不在您的职责范围内");
            }
        } else if caller.scope.sectors.is_some() {
            e.add("sector", "请选择本部门负责的行业领域");
        }
        let campaign = input
            .campaign
            .clone()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        self.check_campaign(&mut e, input.region_code.trim(), campaign.as_deref())?;
        let Some(done_on) = done_on.filter(|_| e.is_empty()) else {
            return Ok(Err(e));
        };
        Ok(Ok(WorkRecord {
            region_code: input.region_code.trim().to_string(),
            department_id,
            sector,
            enterprise_id: input.enterprise_id,
            item_code: input.item_code.trim().to_string(),
            done_on,
            quantity: input.quantity,
            campaign,
            place: input.place.trim().chars().take(200).collect(),
            note: input.note.trim().chars().take(500).collect(),
            ..WorkRecord::default()
        }))
    }

    pub fn create_work_record(
        &self,
        caller: &Caller,
        input: &WorkRecordInput,
    ) -> Result<WorkRecord> {
        let scope = self.work_scope(caller)?;
        let items = self.store.list_work_item_types()?;
        let w = self
            .validate_work(caller, &items, input)?
            .map_err(AppError::Validation)?;
        Ok(self
            .store
            .create_work_record(&caller.change(&scope, self), &w)?)
    }

    pub fn work_record(&self, caller: &Caller, id: i64) -> Result<WorkRecord> {
        Ok(self.store.get_work_record(&caller.scope, id)?)
    }

    pub fn work_records(
        &self,
        caller: &Caller,
        f: &WorkFilter,
    ) -> Result<anjian_store::enterprises::Page<WorkRecord>> {
        Ok(self.store.list_work_records(&caller.scope, f)?)
    }
}
