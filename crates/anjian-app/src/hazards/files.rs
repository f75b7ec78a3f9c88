//! Evidence files of a hazard: checked by content and size, hashed, stored with the hazard,
//! on their own or with the action they come with (a rectification reported with its photos).

use super::*;
use anjian_store::attachments::NewAttachment;

/// A file as received, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub name: String,
    pub data: Vec<u8>,
}

/// At most this many files come with one action.
pub const MAX_EVIDENCE_FILES: usize = 6;

/// At most this many bytes, all files together, come with one action (each file is also
/// bounded by [`anjian_domain::files::MAX_FILE_BYTES`]).
pub const MAX_EVIDENCE_BYTES: usize = 3 * anjian_domain::files::MAX_FILE_BYTES;

/// A file checked by its content and size and hashed, ready to store; or why not.
pub(crate) fn checked_file(name: &str, data: Vec<u8>, note: &str) -> Result<NewAttachment, String> {
    let file_name = anjian_domain::files::clean_name(name);
    let content_type = anjian_domain::files::check_file(&file_name, &data)?;
    let note: String = note.trim().chars().take(200).collect();
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&data))
    };
    Ok(NewAttachment {
        file_name,
        content_type: content_type.into(),
        sha256,
        data,
        note,
    })
}

/// The files that come with an action, each checked as an upload is (a refusal names the
/// file under `field`), with `note` as their note.
pub(super) fn checked_files(
    e: &mut ValidationErrors,
    field: &str,
    files: Vec<EvidenceFile>,
    note: &str,
) -> Vec<NewAttachment> {
    if files.len() > MAX_EVIDENCE_FILES {
        e.add(field, format!("一次最多提交 {MAX_EVIDENCE_FILES} 个文件"));
        return vec![];
    }
    if files.iter().map(|f| f.data.len()).sum::<usize>() > MAX_EVIDENCE_BYTES {
        e.add(
            field,
            format!("文件合计超过 {} MB 上限", MAX_EVIDENCE_BYTES / 1024 / 1024),
        );
        return vec![];
    }
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        match checked_file(&f.name, f.data, note) {
            Ok(a) => out.push(a),
            Err(m) => e.add(
                field,
                format!("{}：{m}", anjian_domain::files::clean_name(&f.name)),
            ),
        }
    }
    out
}

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
        self.may_attach(caller, &h)?;
        let a = checked_file(name, data, note)
            .map_err(|m| AppError::Validation(ValidationErrors::single("file", m)))?;
        let scope = caller.hazard_scope();
        Ok(self
            .store
            .attach_to_hazard(&caller.change(&scope, self), id, &a)?)
    }

    /// Files may be added by whoever may record progress on the hazard now.
    pub(super) fn may_attach(&self, caller: &Caller, h: &Hazard) -> Result<()> {
        let facts = Self::facts(h)?;
        if hazard::transition(&facts, Action::Note, &self.actor(caller, h)).is_err() {
            return Err(AppError::Forbidden(
                "您无权为该隐患上传材料（已销号或不在您的职责范围内）".into(),
            ));
        }
        Ok(())
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
