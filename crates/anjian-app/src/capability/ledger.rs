//! 乡村应急能力创建台账: the assessments in the caller's scope, with each item's
//! self-assessment and the acceptance, as Excel.

use super::*;

impl App {
    /// The ledger of the assessments under the filter.
    pub fn capability_ledger(&self, caller: &Caller, f: &AssessmentFilter) -> Result<Vec<u8>> {
        let list = self.all_assessments(caller, f)?;
        let names = self.place_names(caller, &list)?;
        let name = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
        let headers = [
            "年度",
            "乡镇（街道）",
            "村（社区）",
            "层级",
            "状态",
            "自评达到项数",
            "自评情况",
            "提交验收日期",
            "验收结果",
            "验收日期",
            "验收人员",
            "验收意见",
            "退回理由",
        ];
        let widths = [
            8.0, 16.0, 16.0, 10.0, 10.0, 10.0, 48.0, 12.0, 10.0, 12.0, 18.0, 30.0, 24.0,
        ];
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|a| {
                let detail: Vec<String> = a
                    .items
                    .iter()
                    .map(|i| {
                        let mark = match i.met {
                            Some(true) => "是",
                            Some(false) => "否",
                            None => "未填",
                        };
                        format!("{}：{mark}", i.name)
                    })
                    .collect();
                vec![
                    a.year.to_string(),
                    name(&a.township_code),
                    if a.level == Level::Village {
                        name(&a.region_code)
                    } else {
                        String::new()
                    },
                    a.level.label().to_string(),
                    a.status.label().to_string(),
                    format!(
                        "{}/{}",
                        a.items.iter().filter(|i| i.met == Some(true)).count(),
                        a.items.len()
                    ),
                    detail.join("；"),
                    a.submitted_on.map(|d| d.to_string()).unwrap_or_default(),
                    a.result
                        .map(AcceptanceResult::label)
                        .unwrap_or("")
                        .to_string(),
                    a.accepted_on.map(|d| d.to_string()).unwrap_or_default(),
                    a.inspectors.clone(),
                    a.remarks.clone(),
                    a.return_reason.clone(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "乡村应急能力创建台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
