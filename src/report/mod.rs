//! Reports out: every upward form is a template over the one ledger (一表通). A template
//! (`template.rs`, the documented JSON file format) names a row source, its columns under a
//! header of any depth, filters, sort, totals, footer and zero-report text. `run.rs` fills it
//! from the store for an on-screen preview or streams it into an xlsx (`xlsx.rs`).

mod builtin;
mod check;
mod layout;
mod prepared;
mod recount;
mod run;
mod template;
mod xlsx;

pub use crate::model::cell::{mask_id_number, mask_phone, Cell, FieldKind};
pub use crate::store::{SortKey, TemplateFilter};
pub use builtin::{builtin_template, builtin_templates};
pub use check::{
    check_form, check_forms, check_forms_with, form_rows, zero_report_gate, zero_report_gate_with,
    Agreement, FormReader, FormsCheck, Side,
};
pub use layout::{header_layout, HeaderCell};
pub use prepared::{epoch, Meta, ReportParams};
pub use run::{
    digest, export_xlsx, export_xlsx_watched, preview, today, ExportSummary, ReportPreview, Watch,
    PREVIEW_ROWS,
};
pub use template::{Column, Template, TemplateSummary, FORMAT, FORMAT_VERSION};
pub use xlsx::MIN_SCALE;

use crate::error::{Code, Error, Result};
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
            Error::refused(
                Code::TemplateUnknown,
                format!("没有编号为“{id}”的报表模板；用 report --list 查看全部模板"),
            )
        })
}

/// Checks and saves a template into the ledger (replacing one with the same id).
pub fn save_template(store: &Store, template: &Template) -> Result<()> {
    template.check()?;
    store.save_template_json(&template.id, &template.name, &template.to_json())
}

/// Removes a template saved in the ledger: a custom one goes away, an edited built-in goes
/// back to its shipped layout. Built-ins themselves cannot be removed.
pub fn remove_template(store: &Store, id: &str) -> Result<()> {
    if store.delete_template(id)? {
        Ok(())
    } else if builtin_template(id).is_some() {
        Err(Error::refused(
            Code::Conflict,
            format!("“{id}”是内置模板，不能删除；可以编辑后另存"),
        ))
    } else {
        Err(Error::refused(
            Code::TemplateUnknown,
            format!("没有编号为“{id}”的报表模板"),
        ))
    }
}

/// Reads a template file's text and saves it.
pub fn import_template(store: &Store, text: &str) -> Result<Template> {
    let template = Template::from_json(text)?;
    save_template(store, &template)?;
    Ok(template)
}

/// Where the desktop app puts exports: `GRIDLEDGER_EXPORT_DIR`, or 网格一本账报表 in the
/// user's documents folder.
pub fn default_export_dir() -> Result<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("GRIDLEDGER_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return Ok(dir.into());
    }
    let base = dirs::document_dir()
        .or_else(dirs::home_dir)
        .ok_or_else(|| {
            Error::refused(
                Code::DataDir,
                "找不到“文档”文件夹：请设置 GRIDLEDGER_EXPORT_DIR",
            )
        })?;
    Ok(base.join("网格一本账报表"))
}

/// Exports into `dir` as 《name》_YYYYMMDD.xlsx (《name》_青山镇石桥村第一网格_YYYYMMDD.xlsx
/// for one place's sheet), never replacing an earlier file: a second export the same day
/// becomes …_YYYYMMDD (2).xlsx.
/// `watch` sees the rows written and may stop the export (the window's bar and 取消).
pub fn export_to_dir(
    store: &Store,
    template: &Template,
    params: &ReportParams,
    dir: &std::path::Path,
    watch: &mut Watch,
) -> Result<ExportSummary> {
    let day = params.to.unwrap_or_else(|| store.today()).format("%Y%m%d");
    let place = match params.village.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => {
            let place = store.place(store.report_place_id(v)?)?;
            format!("_{}", place.path.replace('/', ""))
        }
        _ => String::new(),
    };
    let stem = crate::files::safe_name(&format!("{}{place}", template.name));
    let path = dir.join(format!("{stem}_{day}.xlsx"));
    export_xlsx_watched(
        store,
        template,
        params,
        &path,
        crate::files::IfExists::Number,
        watch,
    )
}
