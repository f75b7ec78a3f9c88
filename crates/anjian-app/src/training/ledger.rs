//! 培训台账 and 合格证台账 as Excel: every record of the query in the caller's scope (the
//! lists page; a ledger walks every page).

use super::SessionQuery;
use super::certificates::CertificateQuery;
use crate::export::{ExportFormat, render};
use crate::{App, Caller, Result};
use anjian_domain::training::hours_text;

impl App {
    /// 培训台账: one row per session, with its attendee count.
    pub fn training_ledger(&self, caller: &Caller, q: &SessionQuery) -> Result<Vec<u8>> {
        let list = self.training_sessions(caller, q)?;
        let headers = [
            "类别",
            "主办单位",
            "培训主题",
            "开始日期",
            "结束日期",
            "学时",
            "授课人",
            "培训地点",
            "参训人次",
            "备注",
        ];
        let widths = [14.0, 20.0, 36.0, 12.0, 12.0, 8.0, 20.0, 20.0, 10.0, 30.0];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .rev()
            .map(|s| {
                vec![
                    s.kind.label().to_string(),
                    s.unit_name,
                    s.topic,
                    s.starts_on.to_string(),
                    s.ends_on.to_string(),
                    hours_text(s.hours_tenths),
                    s.trainers,
                    s.place,
                    s.attendees.to_string(),
                    s.note,
                ]
            })
            .collect();
        render(ExportFormat::Xlsx, "培训台账", &headers, &widths, &rows)
    }

    /// A session's attendees as a roster (the import's columns).
    pub fn training_roster_sheet(&self, caller: &Caller, session_id: i64) -> Result<Vec<u8>> {
        let d = self.training_session(caller, session_id)?;
        let headers: Vec<&str> = super::roster::ROSTER_COLUMNS
            .iter()
            .map(|c| c.label)
            .collect();
        let rows: Vec<Vec<String>> = d
            .attendees
            .into_iter()
            .map(|a| vec![a.name, a.unit, a.phone.unwrap_or_default()])
            .collect();
        render(
            ExportFormat::Xlsx,
            "参训人员",
            &headers,
            &[12.0, 30.0, 16.0],
            &rows,
        )
    }

    /// 合格证台账: one row per certificate, with its standing today.
    pub fn certificate_ledger(&self, caller: &Caller, q: &CertificateQuery) -> Result<Vec<u8>> {
        let list = self.certificate_list(caller, q)?;
        let headers = [
            "企业",
            "持证人",
            "人员类别",
            "证书编号",
            "发证日期",
            "有效期至",
            "发证机关",
            "状态",
            "备注",
        ];
        let widths = [30.0, 10.0, 16.0, 20.0, 12.0, 12.0, 20.0, 10.0, 24.0];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .rev()
            .map(|v| {
                let c = v.certificate;
                vec![
                    c.enterprise_name,
                    c.holder_name,
                    v.role_label,
                    c.cert_no,
                    c.issued_on.to_string(),
                    c.expires_on.to_string(),
                    c.issuer,
                    v.standing_label,
                    c.note,
                ]
            })
            .collect();
        render(
            ExportFormat::Xlsx,
            "考核合格证台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
