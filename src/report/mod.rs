//! Reports out: every upward form is a template over the one ledger (一表通). A template
//! (`template.rs`, the documented JSON file format) names a row source, its columns under a
//! header of any depth, filters, sort, totals, footer and zero-report text. `run.rs` fills it
//! from the store for an on-screen preview or streams it into an xlsx (`xlsx.rs`).

mod builtin;
mod cell;
mod layout;
mod run;
mod template;
mod xlsx;

pub use builtin::{builtin_template, builtin_templates};
pub use cell::{mask_id_number, mask_phone, Cell, FieldKind};
pub use layout::{header_layout, HeaderCell};
pub use run::{export_xlsx, preview, ExportSummary, ReportParams, ReportPreview};
pub use template::{
    Column, SortKey, Template, TemplateFilter, TemplateSummary, FORMAT, FORMAT_VERSION,
};

use crate::error::{Error, Result};
use crate::store::Store;

/// Every template: the ledger's own (imported or edited) first, then the built-ins they do
/// not replace. A saved template with a built-in's id replaces it, so a township can send
/// its version of 来(返)乡人员登记表 and villages use it under the same name.
pub fn templates(store: &Store) -> Result<Vec<(Template, bool)>> {
    let mut all = Vec::new();
    for json in store.saved_templates()? {
        // A template saved by a newer version or broken by hand is skipped, not fatal.
        if let Ok(t) = Template::from_json(&json) {
            all.push((t, false));
        }
    }
    for t in builtin_templates() {
        if !all.iter().any(|(saved, _)| saved.id == t.id) {
            all.push((t, true));
        }
    }
    Ok(all)
}

/// A template by id.
pub fn template(store: &Store, id: &str) -> Result<Template> {
    templates(store)?
        .into_iter()
        .map(|(t, _)| t)
        .find(|t| t.id == id)
        .ok_or_else(|| {
            Error::Refused(format!(
                "没有编号为“{id}”的报表模板；用 report --list 查看全部模板"
            ))
        })
}

/// Checks and saves a template into the ledger (replacing one with the same id).
pub fn save_template(store: &Store, template: &Template) -> Result<()> {
    template.check()?;
    store.save_template_json(&template.id, &template.name, &template.to_json())
}

/// Reads a template file's text and saves it.
pub fn import_template(store: &Store, text: &str) -> Result<Template> {
    let template = Template::from_json(text)?;
    save_template(store, &template)?;
    Ok(template)
}
