//! The event's form (安委办): kind, name, period, warning, the county's response level and a
//! short account.

use super::*;
use anjian_app::disasters::DisasterEventDraft;
use anjian_domain::disaster::{DisasterResponseLevel, DisasterWarning};

#[derive(Template)]
#[template(path = "disaster_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    version: i64,
    kept: Kept,
    defaults: BTreeMap<&'static str, String>,
    kinds: Vec<(&'static str, &'static str)>,
    warnings: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
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
}

fn defaults(d: &DisasterEventDraft) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("kind", d.kind.clone()),
        ("name", d.name.clone()),
        ("start_on", d.start_on.clone()),
        ("end_on", d.end_on.clone().unwrap_or_default()),
        ("warning_level", d.warning_level.clone().unwrap_or_default()),
        (
            "response_level",
            d.response_level.clone().unwrap_or_default(),
        ),
        ("summary", d.summary.clone()),
    ])
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    if !may_keep(pc.caller.role) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "自然灾害过程由安委办（应急管理局）登记".into(),
        )));
    }
    let caller = pc.caller.clone();
    let (instance, current) = blocking(state, move |app| {
        let current = match id {
            Some(id) => Some(app.disaster_event(&caller, id)?),
            None => None,
        };
        Ok((app.instance_name()?, current))
    })
    .await?;
    let (draft, version) = match &current {
        Some(v) => (DisasterEventDraft::from(&v.event), v.event.version),
        None => (
            DisasterEventDraft {
                kind: "heavy_rain".into(),
                start_on: state.app.clock.today().to_string(),
                ..Default::default()
            },
            0,
        ),
    };
    let p = FormPage {
        chrome: Chrome::new(
            pc,
            instance,
            if id.is_some() {
                "更正自然灾害过程"
            } else {
                "登记自然灾害过程"
            },
            "disasters",
        ),
        action: id
            .map(|i| format!("/disaster-events/{i}/edit"))
            .unwrap_or_else(|| "/disaster-events/new".into()),
        version,
        kept,
        defaults: defaults(&draft),
        kinds: kinds(),
        warnings: DisasterWarning::ALL
            .iter()
            .map(|w| (w.as_str(), w.label()))
            .collect(),
        levels: DisasterResponseLevel::ALL
            .iter()
            .map(|l| (l.as_str(), l.label()))
            .collect(),
        back: id
            .map(|i| format!("/disaster-events/{i}"))
            .unwrap_or_else(|| "/disaster-events".into()),
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

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::super::Numbers::new(&form);
    let version = n.int("version", "版本").unwrap_or(0);
    let opt = |k: &str| Some(form.get(k)).filter(|s| !s.trim().is_empty());
    let d = DisasterEventDraft {
        kind: form.get("kind"),
        name: form.get("name"),
        start_on: form.get("start_on"),
        end_on: opt("end_on"),
        warning_level: opt("warning_level"),
        response_level: opt("response_level"),
        summary: form.get("summary"),
    };
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| match id {
        Some(id) => app.update_disaster_event(&caller, id, version, &d),
        None => app.create_disaster_event(&caller, &d),
    })
    .await;
    let kept = match r {
        Ok(v) => return Ok(see_other(&format!("/disaster-events/{}", v.event.id))),
        Err(e) => Kept::refused("disaster", &form, super::super::refusal(e)?),
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
