//! Evidence files of a hazard: checked by content and size, hashed, stored with the hazard.

use super::*;

impl App {
    /// Attaches an evidence file to a hazard: allowed to whoever may record progress on it
    /// now; the file is checked by content and size before anything is written.
    pub fn attach_hazard_file(
        &self,
        caller: &Caller,
        id: i64,
        name: &str,
        data: Vec<u8>,
        note: &str,
    ) -> Result<anjian_store::attachments::Attachment> {
        let h = self.store.get_hazard(&caller.scope, id)?;
        let facts = Self::facts(&h)?;
        if hazard::transition(&facts, Action::Note, &self.actor(caller, &h)).is_err() {
            return Err(AppError::Forbidden(
                "您无权为该隐患上传材料（已销号或不在您的职责范围内）".into(),
            ));
        }
        let file_name = anjian_domain::files::clean_name(name);
        let content_type = anjian_domain::files::check_file(&file_name, &data)
            .map_err(|m| AppError::Validation(ValidationErrors::single("file", m)))?;
        let note: String = note.trim().chars().take(200).collect();
        let sha256 = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&data))
        };
        let a = anjian_store::attachments::NewAttachment {
            file_name,
            content_type: content_type.into(),
            sha256,
            data,
            note,
        };
        let scope = caller.hazard_scope();
        Ok(self
            .store
            .attach_to_hazard(&caller.change(&scope, self), id, &a)?)
    }

    pub fn hazard_attachments(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<Vec<anjian_store::attachments::Attachment>> {
        Ok(self.store.hazard_attachments(&caller.scope, id)?)
    }

    pub fn attachment(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(anjian_store::attachments::Attachment, Vec<u8>)> {
        Ok(self.store.attachment_data(&caller.scope, id)?)
    }
}
