//! What a typed place or enterprise stands for, in the caller's scope, for reading rows.

use crate::{App, AppError, Caller, Result};
use anjian_domain::campaign::Resolve;
use std::cell::RefCell;
use std::collections::HashMap;

/// Resolves places from the scope's regions (loaded once: codes, names, and a village's
/// name after its township's) and enterprises through `App::resolve_enterprise` (each typed
/// text asked once). A store failure is kept and returned by [`Resolver::finish`].
pub(crate) struct Resolver<'a> {
    app: &'a App,
    caller: &'a Caller,
    places: HashMap<String, Option<String>>,
    enterprises: RefCell<HashMap<String, Option<i64>>>,
    /// Attachment ids the row already has (a form keeps them).
    attachments: Vec<i64>,
    failure: RefCell<Option<AppError>>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(app: &'a App, caller: &'a Caller, attachments: Vec<i64>) -> Result<Self> {
        let regions = app.store.list_regions(&caller.scope, None, None)?;
        let names: HashMap<&str, &str> = regions
            .iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect();
        let mut places: HashMap<String, Option<String>> = HashMap::new();
        let mut add = |k: String, code: &str| {
            places
                .entry(k)
                .and_modify(|v| {
                    if v.as_deref() != Some(code) {
                        *v = None;
                    }
                })
                .or_insert_with(|| Some(code.to_string()));
        };
        for r in &regions {
            // Townships and villages only: a ledger row lies below the county.
            if !matches!(r.level.as_str(), "township" | "village" | "grid") {
                continue;
            }
            add(r.code.clone(), &r.code);
            add(r.name.clone(), &r.code);
            if let Some(parent) = r.parent_code.as_deref().and_then(|p| names.get(p)) {
                add(format!("{parent}{}", r.name), &r.code);
                add(format!("{parent} {}", r.name), &r.code);
            }
        }
        Ok(Self {
            app,
            caller,
            places,
            enterprises: RefCell::new(HashMap::new()),
            attachments,
            failure: RefCell::new(None),
        })
    }

    /// The first store failure met while resolving, if any.
    pub(crate) fn finish(&self) -> Result<()> {
        match self.failure.borrow_mut().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl Resolve for Resolver<'_> {
    fn region(&self, typed: &str) -> Option<String> {
        self.places.get(typed.trim()).cloned().flatten()
    }

    fn enterprise(&self, typed: &str) -> Option<i64> {
        let key = typed.trim().to_string();
        if let Some(v) = self.enterprises.borrow().get(&key) {
            return *v;
        }
        let found = match self.app.resolve_enterprise(self.caller, &key) {
            Ok(Ok(id)) => id,
            Ok(Err(_)) => None,
            Err(e) => {
                self.failure.borrow_mut().get_or_insert(e);
                None
            }
        };
        self.enterprises.borrow_mut().insert(key, found);
        found
    }

    fn attachment(&self, typed: &str) -> Option<i64> {
        let id: i64 = typed.trim().parse().ok()?;
        self.attachments.contains(&id).then_some(id)
    }
}
