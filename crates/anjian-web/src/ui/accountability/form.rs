//! The record's form (安委办): what was done, on which theme, to whom (a township, a
//! department, an enterprise, or persons), the persons (姓名、职务、单位, one row each), the
//! measure, the deciding body and day, the reason and the linked records.

use super::*;
use anjian_app::accountability::{AccountabilityDraft, refs_from_text};
use anjian_domain::accountability::Person;

/// Rows of persons the form offers (more than the record has, for adding).
const PERSON_ROWS: usize = 6;

#[derive(Template)]
#[template(path = "accountability_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    version: i64,
    kept: Kept,
    defaults: BTreeMap<&'static str, String>,
    persons: Vec<Person>,
    rows: Vec<usize>,
    kinds: Vec<(&'static str, &'static str)>,
    themes: Vec<(&'static str, &'static str)>,
    target_kinds: Vec<(&'static str, &'static str)>,
    townships: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    back: String,
}

impl FormPage {
    /// A field's value: as typed, else the record's.
    fn v(&self, k: &str) -> String {
        self.kept
            .val(k, self.defaults.get(k).map(String::as_str).unwrap_or(""))
    }

    /// Whether option `code` of select `k` is chosen.
    fn sel(&self, k: &str, code: &str) -> bool {
        self.kept.sel(
            k,
            code,
            self.defaults.get(k).map(String::as_str).unwrap_or(""),
        )
    }

    /// The `i`-th person's field (`name`, `post`, `unit`).
    fn person(&self, i: &usize, f: &str) -> String {
        if self.kept.submitted() {
            return self.kept.nth(&format!("person_{f}"), *i);
        }
        self.persons
            .get(*i)
            .map(|p| match f {
                "name" => p.name.clone(),
                "post" => p.post.clone(),
                _ => p.unit.clone(),
            })
            .unwrap_or_default()
    }
}

fn defaults(d: &AccountabilityDraft, refs: String) -> BTreeMap<&'static str, String> {
    let target_for = |kind: &str| {
        if d.target_kind == kind {
            d.target.clone()
        } else {
            String::new()
        }
    };
    BTreeMap::from([
        ("kind", d.kind.clone()),
        ("theme", d.theme.clone()),
        ("target_kind", d.target_kind.clone()),
        ("township", target_for("township")),
        ("department", target_for("department")),
        ("enterprise", target_for("enterprise")),
        ("person_region", d.region_code.clone().unwrap_or_default()),
        ("measure", d.measure.clone()),
        ("decided_by", d.decided_by.clone()),
        ("decided_on", d.decided_on.clone()),
        ("reason", d.reason.clone()),
        ("refs", refs),
        ("doc_no", d.doc_no.clone()),
    ])
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::DecideAsCountyOffice) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "仅安委办管理员可登记约谈问责记录".into(),
        )));
    }
    let caller = pc.caller.clone();
    let (instance, current, townships, departments) = blocking(state, move |app| {
        let current = match id {
            Some(id) => Some(app.accountability(&caller, id)?),
            None => None,
        };
        Ok((
            app.instance_name()?,
            current,
            app.townships(&caller)?,
            app.department_options(&caller)?,
        ))
    })
    .await?;
    let (draft, refs, version) = match &current {
        Some(v) => (
            AccountabilityDraft::from(&v.record),
            anjian_app::accountability::refs_to_text(&v.record.refs),
            v.record.version,
        ),
        None => (
            AccountabilityDraft {
                kind: "interview".into(),
                theme: "forest_fire".into(),
                target_kind: "township".into(),
                decided_on: state.app.clock.today().to_string(),
                ..Default::default()
            },
            String::new(),
            0,
        ),
    };
    let rows = (0..draft.persons.len().max(PERSON_ROWS - 2) + 2).collect();
    let p = FormPage {
        chrome: Chrome::new(
            pc,
            instance,
            if id.is_some() {
                "更正约谈问责记录"
            } else {
                "登记约谈问责"
            },
            "accountability",
        ),
        action: id
            .map(|i| format!("/accountability/{i}/edit"))
            .unwrap_or_else(|| "/accountability/new".into()),
        version,
        kept,
        defaults: defaults(&draft, refs),
        persons: draft.persons,
        rows,
        kinds: options(Kind::ALL, Kind::as_str, Kind::label),
        themes: options(Theme::ALL, Theme::as_str, Theme::label),
        target_kinds: target_kinds(),
        townships,
        departments,
        back: id
            .map(|i| format!("/accountability/{i}"))
            .unwrap_or_else(|| "/accountability".into()),
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn new(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    form_page(&state, &pc, None, Kept::none()).await
}

pub(super) async fn edit(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    form_page(&state, &pc, Some(id), Kept::none()).await
}

/// The draft a form holds: the target from the select of its kind, the persons from the
/// rows that have anything typed, the linked records one per line.
fn draft_of(form: &FormPairs) -> AccountabilityDraft {
    let target_kind = form.get("target_kind");
    let target = match target_kind.as_str() {
        "township" => form.get("township"),
        "department" => form.get("department"),
        "enterprise" => form.get("enterprise"),
        _ => String::new(),
    };
    let all = |k: &str| -> Vec<String> {
        form.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let (names, posts, units) = (all("person_name"), all("person_post"), all("person_unit"));
    let persons = (0..names.len().max(posts.len()).max(units.len()))
        .map(|i| Person {
            name: names.get(i).cloned().unwrap_or_default(),
            post: posts.get(i).cloned().unwrap_or_default(),
            unit: units.get(i).cloned().unwrap_or_default(),
        })
        .filter(|p| !(p.name.is_empty() && p.post.is_empty() && p.unit.is_empty()))
        .collect();
    AccountabilityDraft {
        kind: form.get("kind"),
        theme: form.get("theme"),
        region_code: (target_kind == "person").then(|| form.get("person_region")),
        target_kind,
        target,
        persons,
        measure: form.get("measure"),
        decided_by: form.get("decided_by"),
        decided_on: form.get("decided_on"),
        reason: form.get("reason"),
        refs: refs_from_text(&form.get("refs")),
        doc_no: form.get("doc_no"),
    }
}

/// Field messages as the form shows them: a person's row or a linked record's line under
/// its list.
fn form_errors(errors: super::super::FieldErrors) -> super::super::FieldErrors {
    let mut out = super::super::FieldErrors::default();
    for (k, msgs) in errors.0 {
        let key = if k.starts_with("persons") {
            "persons".to_string()
        } else if k.starts_with("refs") {
            "refs".to_string()
        } else {
            k
        };
        for m in msgs {
            out.add(&key, m);
        }
    }
    out
}

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::super::Numbers::new(&form);
    let version = n.int("version", "版本").unwrap_or(0);
    let d = draft_of(&form);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| match id {
        Some(id) => app.update_accountability(&caller, id, version, &d),
        None => app.create_accountability(&caller, &d),
    })
    .await;
    let kept = match r {
        Ok(v) => return Ok(see_other(&format!("/accountability/{}", v.record.id))),
        Err(e) => Kept::refused(
            "accountability",
            &form,
            form_errors(super::super::refusal(e)?),
        ),
    };
    form_page(&state, &pc, id, kept).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(state, pc, form, None).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(state, pc, form, Some(id)).await
}
