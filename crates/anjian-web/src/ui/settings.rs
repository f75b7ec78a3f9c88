//! 系统设置 (admin): the county's local rules and the security settings a 等保 assessment asks
//! for, each a choice among the values the application allows
//! ([`anjian_app::organisation::EDITABLE_SETTINGS`]), in officials' words.

use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::organisation::EDITABLE_SETTINGS;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::BTreeMap;

/// What a setting is called, what it governs and how its values read.
struct Label {
    key: &'static str,
    group: &'static str,
    label: &'static str,
    hint: &'static str,
    unit: &'static str,
    /// How the value "0" reads, where it switches the limit off.
    zero: &'static str,
}

const LABELS: [Label; 20] = [
    Label {
        key: "major_bulletin_cycle",
        group: "办理时限与公示",
        label: "重大隐患通报周期",
        hint: "一单四制清单的通报频次",
        unit: "",
        zero: "",
    },
    Label {
        key: "draw_publicity_working_days",
        group: "办理时限与公示",
        label: "双随机抽查结果公示期限",
        hint: "抽查结果自检查结束之日起公示的期限",
        unit: "个工作日",
        zero: "",
    },
    Label {
        key: "decision_publicity_working_days",
        group: "办理时限与公示",
        label: "行政处罚决定公示期限",
        hint: "作出处罚决定后向社会公示的期限",
        unit: "个工作日",
        zero: "",
    },
    Label {
        key: "hazard_review_working_days",
        group: "办理时限与公示",
        label: "隐患整改复查期限",
        hint: "收到整改完成报告后复查的期限",
        unit: "个工作日",
        zero: "",
    },
    Label {
        key: "hazard_report_requires_evidence",
        group: "办理时限与公示",
        label: "报告整改完成须附佐证材料",
        hint: "是：报告隐患整改完成前须上传整改后的照片或文件",
        unit: "",
        zero: "",
    },
    Label {
        key: "publish_simple_decisions",
        group: "办理时限与公示",
        label: "公示简易程序处罚决定",
        hint: "简易程序作出的处罚决定是否也向社会公示",
        unit: "",
        zero: "",
    },
    Label {
        key: "import_max_rows",
        group: "导入上限",
        label: "每个文件的最多行数",
        hint: "超出的文件整体拒收，请分批导入",
        unit: "行",
        zero: "",
    },
    Label {
        key: "import_max_columns",
        group: "导入上限",
        label: "每个文件的最多列数",
        hint: "",
        unit: "列",
        zero: "",
    },
    Label {
        key: "import_max_cell_chars",
        group: "导入上限",
        label: "单元格的最多字数",
        hint: "",
        unit: "个字",
        zero: "",
    },
    Label {
        key: "import_max_unzipped_mb",
        group: "导入上限",
        label: "Excel 文件解压后的最大体积",
        hint: "防止压缩炸弹耗尽服务器内存",
        unit: "MB",
        zero: "",
    },
    Label {
        key: "import_max_errors",
        group: "导入上限",
        label: "逐行列出的错误数",
        hint: "更多的错误行只计数",
        unit: "条",
        zero: "",
    },
    Label {
        key: "password_min_length",
        group: "账号与会话安全",
        label: "密码最短长度",
        hint: "",
        unit: "位",
        zero: "",
    },
    Label {
        key: "password_min_classes",
        group: "账号与会话安全",
        label: "密码至少包含的字符种类",
        hint: "大写字母、小写字母、数字、符号四类中的几类",
        unit: "类",
        zero: "",
    },
    Label {
        key: "password_history",
        group: "账号与会话安全",
        label: "不得重复使用最近的密码",
        hint: "",
        unit: "个",
        zero: "不限制",
    },
    Label {
        key: "password_max_age_days",
        group: "账号与会话安全",
        label: "密码有效期",
        hint: "到期后登录时须修改密码",
        unit: "天",
        zero: "不过期",
    },
    Label {
        key: "session_idle_minutes",
        group: "账号与会话安全",
        label: "网页登录无操作自动退出",
        hint: "",
        unit: "分钟",
        zero: "",
    },
    Label {
        key: "session_max_hours",
        group: "账号与会话安全",
        label: "网页登录最长有效时间",
        hint: "",
        unit: "小时",
        zero: "",
    },
    Label {
        key: "api_token_idle_hours",
        group: "账号与会话安全",
        label: "接口令牌无使用自动失效",
        hint: "",
        unit: "小时",
        zero: "不限制",
    },
    Label {
        key: "api_token_max_hours",
        group: "账号与会话安全",
        label: "接口令牌最长有效时间",
        hint: "",
        unit: "小时",
        zero: "",
    },
    Label {
        key: "audit_retention_days",
        group: "账号与会话安全",
        label: "审计日志至少保留",
        hint: "不少于180天（等保要求）",
        unit: "天",
        zero: "永久保留",
    },
];

fn label_of(key: &str) -> Option<&'static Label> {
    LABELS.iter().find(|l| l.key == key)
}

/// How a value reads: "30 分钟", "不过期", "半月" …
fn value_text(l: &Label, v: &str) -> String {
    match (l.key, v) {
        (_, "0") if !l.zero.is_empty() => l.zero.to_string(),
        (_, "true") => "是".into(),
        (_, "false") => "否".into(),
        ("major_bulletin_cycle", "half_month") => "每半月".into(),
        ("major_bulletin_cycle", "month") => "每月".into(),
        ("major_bulletin_cycle", "week") => "每周".into(),
        _ => format!("{v} {}", l.unit).trim().to_string(),
    }
}

struct Choice {
    value: String,
    text: String,
    selected: bool,
}

struct Field {
    key: String,
    label: String,
    hint: String,
    choices: Vec<Choice>,
}

struct Group {
    title: String,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    groups: Vec<Group>,
    error: Option<String>,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/settings", get(page).post(save))
}

async fn render_page(
    state: &AppState,
    pc: &PageCaller,
    typed: Option<&BTreeMap<String, String>>,
    error: Option<String>,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, values) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.editable_settings(&caller)?))
    })
    .await?;
    let mut groups: Vec<Group> = Vec::new();
    for (key, current) in values {
        let Some(l) = label_of(key) else { continue };
        let allowed = EDITABLE_SETTINGS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| *a)
            .unwrap_or(&[]);
        let shown = typed.and_then(|t| t.get(key)).cloned().unwrap_or(current);
        let mut choices: Vec<Choice> = allowed
            .iter()
            .map(|v| Choice {
                value: v.to_string(),
                text: value_text(l, v),
                selected: *v == shown,
            })
            .collect();
        // Numbers in ascending order, "off" (0) last; the default is marked.
        choices.sort_by_key(|c| {
            c.value
                .parse::<i64>()
                .map_or(i64::MAX, |n| if n == 0 { i64::MAX - 1 } else { n })
        });
        if let Some(default) = allowed.first()
            && let Some(c) = choices.iter_mut().find(|c| c.value == *default)
        {
            c.text.push_str("（默认）");
        }
        let field = Field {
            key: key.to_string(),
            label: l.label.to_string(),
            hint: l.hint.to_string(),
            choices,
        };
        match groups.iter_mut().find(|g| g.title == l.group) {
            Some(g) => g.fields.push(field),
            None => groups.push(Group {
                title: l.group.to_string(),
                fields: vec![field],
            }),
        }
    }
    let page = SettingsPage {
        chrome: Chrome::new(pc, instance, "系统设置", "settings").flash(flash),
        groups,
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let flash = q.get("saved").map(|_| "设置已保存，立即生效");
    render_page(&state, &pc, None, None, flash).await
}

async fn save(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let typed: BTreeMap<String, String> = EDITABLE_SETTINGS
        .iter()
        .filter_map(|(k, _)| {
            let v = form.get(k);
            (!v.is_empty()).then(|| (k.to_string(), v))
        })
        .collect();
    let caller = pc.caller.clone();
    let changes: Vec<(String, String)> = typed.clone().into_iter().collect();
    // Every value is checked before any is written: all or nothing (the use case's rule).
    match blocking(&state, move |app| app.set_settings(&caller, &changes)).await {
        Ok(_) => Ok(see_other("/settings?saved=1")),
        Err(AppError::Validation(v)) => {
            let key = v.fields.keys().next().cloned().unwrap_or_default();
            let name = label_of(&key).map_or(key.as_str(), |l| l.label);
            let m = format!("“{name}”的取值不在可选范围内");
            render_page(&state, &pc, Some(&typed), Some(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_editable_setting_has_words() {
        for (k, allowed) in EDITABLE_SETTINGS {
            let l = label_of(k).unwrap_or_else(|| panic!("no label for {k}"));
            for v in allowed {
                let t = value_text(l, v);
                assert!(!t.is_empty() && !t.contains('_'), "{k}={v} reads {t}");
            }
        }
    }
}
