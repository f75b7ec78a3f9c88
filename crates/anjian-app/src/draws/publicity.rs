//! The publicity list (公示) of a drawn draw as a Word file.

use super::*;

impl App {
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
                .get_department(&Scope::system(), d, self.clock.today())
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
