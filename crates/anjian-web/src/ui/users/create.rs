//! Creating a user from the list page's form (refused input shows the list again).

use super::list::list_page;
use super::*;

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_admin(&pc)?;
    pc.check_csrf(&form)?;
    let f = fields_of(&form);
    let u = match new_user(
        &f,
        Some(
            form.0
                .iter()
                .find(|(k, _)| k == "password")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        ),
        true,
    ) {
        Ok(u) => u,
        Err(errors) => return list_page(&state, &pc, f, errors.into(), None, false).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_user(&caller, &u)).await {
        Ok(id) => Ok(see_other(&format!("/users/{id}?saved=1"))),
        Err(AppError::Validation(v)) => {
            list_page(&state, &pc, f, v.fields.into(), None, false).await
        }
        Err(e) => Err(e.into()),
    }
}
