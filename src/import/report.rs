//! What an import tells its user: every problem with its row, column, value and what to do,
//! the counts, the first rows as they will be written, and each household touched with its
//! members before and after.

use serde::Serialize;

use super::places::{CreatedPlace, UnknownPlace};
use super::target::{Candidate, Target};
use crate::model::fields::Field;

/// One problem, where it is and what to do: the import report is made of these.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    pub sheet: String,
    /// The sheet's own row number (1 is the first row).
    pub row: usize,
    /// The name on that row, as the sheet writes it (whose row it is).
    pub name: String,
    /// The column's header as it stands in the sheet.
    pub column: String,
    pub value: String,
    pub code: String,
    pub message: String,
    /// A warning keeps the row; an error leaves the row (or its record) out.
    pub warning: bool,
}

/// How one column is read.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnPlan {
    pub key: String,
    pub header: String,
    pub index: usize,
    /// Columns read as one (an ID written one digit per cell under one merged header).
    pub span: usize,
    pub field: Option<String>,
    pub field_label: Option<String>,
    /// Why a column is not imported, when it is not (a field another kind of sheet has, or
    /// a header the ledger does not know).
    pub note: Option<String>,
}

/// A row of the sheet that is not data, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Skipped {
    pub sheet: String,
    /// The sheet's own row number (1 is the first row).
    pub row: usize,
    /// blank, total, footer, note, instruction, template_row, repeated_header, table_title.
    pub reason: String,
    pub label: String,
    /// What the row holds, cut short (so a clerk can see it was not a person).
    pub text: String,
}

/// Something true of the whole sheet (a column missing whose default means something).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notice {
    pub code: String,
    pub message: String,
    /// Rows it concerns.
    pub rows: usize,
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new person or a new record.
    Inserted,
    /// An existing person or record changed.
    Updated,
    /// Already in the ledger as the sheet has it.
    Unchanged,
    /// The person matched the register only uncertainly: on the review list.
    Review,
    /// The person was taken but the row's record was not (a problem says why).
    Partial,
    /// Left out: the person could not be identified (a problem says why).
    Refused,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Inserted => "新增",
            Outcome::Updated => "更新",
            Outcome::Unchanged => "未变",
            Outcome::Review => "待核对",
            Outcome::Partial => "人员已登记，记录未写入",
            Outcome::Refused => "未导入",
        }
    }
}

/// One of the first rows as it will be written.
#[derive(Debug, Clone, Serialize)]
pub struct RowPreview {
    pub sheet: String,
    pub row: usize,
    pub outcome: Outcome,
    pub outcome_label: String,
    pub name: String,
    /// 石桥村/第一网格 东街12号, as the row will be placed.
    pub household: Option<String>,
    /// What record the row writes: 返乡 2026-11-20 自驾车 …
    pub record: Option<String>,
}

/// Another sheet of the workbook that has a header.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OtherSheet {
    pub name: String,
    /// Its header is this sheet's (the same form for another group).
    pub same_header: bool,
    /// The kind of records its columns speak for, when they speak for one.
    pub target_label: Option<String>,
    /// Rows below its header (blank and total rows included).
    pub rows: usize,
}

/// One kind of problem in an import and how many rows have it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProblemKind {
    pub code: String,
    pub warning: bool,
    pub count: usize,
    /// The first such problem's message and column, as an example.
    pub column: String,
    pub message: String,
}

/// A household the import adds members to, or creates.
#[derive(Debug, Clone, Serialize)]
pub struct HouseholdChange {
    pub label: String,
    pub place: String,
    pub new_household: bool,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// The outcome of an import (or of its preview).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportReport {
    pub file: String,
    pub sheet: String,
    pub sheets: Vec<String>,
    /// The sheets this import read: `sheet` alone, or every sheet with a header when they
    /// were read together (`--sheet all`, the wizard's 全部工作表).
    pub sheets_read: Vec<String>,
    /// The workbook's other sheets with a header, not read by this import (`--sheet all`
    /// reads them together).
    pub other_sheets: Vec<OtherSheet>,
    pub target: String,
    pub target_label: String,
    /// The header's rows in the sheet (1-based, inclusive) and the first data row.
    pub header_rows: (usize, usize),
    pub first_data_row: usize,
    pub columns: Vec<ColumnPlan>,
    /// Fields this target can take, for the wizard's mapping drop-downs.
    pub fields: Vec<Field>,
    pub data_rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows that are not data (blank, totals, footers, instructions …), each in `skipped`.
    pub skipped_rows: usize,
    pub skipped: Vec<Skipped>,
    pub review: usize,
    /// Rows whose person was taken but whose record was not.
    pub partial_rows: usize,
    /// Rows left out because the person could not be identified.
    pub rejected_rows: usize,
    pub problems: Vec<Problem>,
    /// How many problems there are: the screen gets the first of them (`on_screen`), the
    /// problems workbook all.
    pub problems_total: usize,
    /// The problems by kind (code and whether a warning), the most frequent first, each with
    /// its count and its first message: a county's 100,000 rows of one mistake are one line.
    pub problem_kinds: Vec<ProblemKind>,
    /// What is true of the whole sheet: fields that took a default for every row.
    pub notices: Vec<Notice>,
    /// Places named in the sheet that the ledger does not have, by path with their rows;
    /// created only when the user confirms (`create_places`).
    pub unknown_places: Vec<UnknownPlace>,
    /// Places the import created (or, in a preview, would create), by path with their rows.
    pub places_created: Vec<CreatedPlace>,
    /// The targets the columns spoke for, and how strongly.
    pub candidates: Vec<Candidate>,
    /// The first rows as they will be written.
    pub preview: Vec<RowPreview>,
    /// Households touched, members before → after (the first 100).
    pub households: Vec<HouseholdChange>,
    pub dry_run: bool,
    /// Whether the import writes anything at all (a person, a record, a household, a place,
    /// an entry of the review list): the wizard's confirm needs it.
    pub writes: bool,
    pub batch_id: Option<i64>,
    /// Where the problems workbook was written, if asked for.
    pub problems_file: Option<String>,
    /// The sheet's header texts and its rows with errors (sheet row number, cell texts), for
    /// the problems workbook.
    #[serde(skip)]
    pub header_texts: Vec<String>,
    #[serde(skip)]
    pub rejected: Vec<Rejected>,
}

/// A row with errors as the sheet has it, for the problems workbook. Its cells are kept as
/// one text (a county's preview can refuse all of its 100,000 rows: sixteen strings a row
/// would cost the window some 70 MB more).
#[derive(Debug, Clone)]
pub struct Rejected {
    pub sheet: String,
    pub row: usize,
    cells: String,
}

impl Rejected {
    /// Cells are joined by U+001F, a character no cell keeps (control characters are
    /// refused everywhere and cut from cells as they are read).
    const SEPARATOR: char = '\u{1f}';

    pub fn new(sheet: &str, row: usize, cells: impl IntoIterator<Item = String>) -> Rejected {
        let mut joined = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                joined.push(Self::SEPARATOR);
            }
            joined.extend(cell.chars().filter(|c| *c != Self::SEPARATOR));
        }
        joined.shrink_to_fit();
        Rejected {
            sheet: sheet.to_string(),
            row,
            cells: joined,
        }
    }

    /// The row's cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        self.cells.split(Self::SEPARATOR)
    }
}

impl ImportReport {
    /// The report as the window shows it: the first `limit` problems and skipped rows (with
    /// their totals and kinds), so a sheet with a problem on every one of 100,000 rows is not
    /// sent to the screen whole. The kept report (for the problems workbook) has them all.
    pub fn on_screen(&mut self, limit: usize) -> ImportReport {
        // The long lists are set aside while the rest is copied, then put back.
        let problems = std::mem::take(&mut self.problems);
        let skipped = std::mem::take(&mut self.skipped);
        let rejected = std::mem::take(&mut self.rejected);
        let mut shown = self.clone();
        shown.problems = problems.iter().take(limit).cloned().collect();
        shown.skipped = skipped.iter().take(limit).cloned().collect();
        self.problems = problems;
        self.skipped = skipped;
        self.rejected = rejected;
        shown
    }

    /// Counts the problems by kind (`problems_total`, `problem_kinds`).
    pub(super) fn count_problems(&mut self) {
        self.problems_total = self.problems.len();
        let mut kinds: Vec<ProblemKind> = Vec::new();
        let mut at: std::collections::HashMap<(String, bool), usize> = Default::default();
        for p in &self.problems {
            match at.get(&(p.code.clone(), p.warning)) {
                Some(&i) => kinds[i].count += 1,
                None => {
                    at.insert((p.code.clone(), p.warning), kinds.len());
                    kinds.push(ProblemKind {
                        code: p.code.clone(),
                        warning: p.warning,
                        count: 1,
                        column: p.column.clone(),
                        message: p.message.clone(),
                    });
                }
            }
        }
        // Errors before warnings, the most frequent first; ties in order of appearance.
        kinds.sort_by_key(|k| (k.warning, std::cmp::Reverse(k.count)));
        self.problem_kinds = kinds;
    }

    pub(super) fn new(target: Target) -> ImportReport {
        ImportReport {
            target: target.key().into(),
            target_label: target.label().into(),
            fields: target.fields().into_iter().copied().collect(),
            ..Default::default()
        }
    }

    /// What the report says of the sheet it read: its file, sheet, header and the rows
    /// above the data (instruction rows listed like any skipped row).
    pub(super) fn describe_sheet(
        &mut self,
        file: &str,
        sheet: &str,
        sheets: Vec<String>,
        layout: &super::header::Layout,
        dry_run: bool,
    ) {
        let width = layout
            .columns
            .iter()
            .map(|c| c.index + c.span)
            .max()
            .unwrap_or(0);
        self.header_texts = (0..width)
            .map(|i| {
                layout
                    .columns
                    .iter()
                    .find(|c| c.index == i)
                    .map(|c| c.header.clone())
                    .unwrap_or_default()
            })
            .collect();
        self.file = file.to_string();
        self.sheet = sheet.to_string();
        self.sheets_read = vec![sheet.to_string()];
        self.sheets = sheets;
        self.header_rows = (layout.header_first + 1, layout.header_last + 1);
        self.first_data_row = layout.data_first + 1;
        self.skipped_rows = layout.skipped_above;
        let instruction = super::classify::Skip::Instruction;
        self.skipped = (layout.header_last + 1..layout.data_first)
            .map(|r| Skipped {
                sheet: sheet.to_string(),
                row: r + 1,
                reason: instruction.code().into(),
                label: instruction.label().into(),
                text: String::new(),
            })
            .collect();
        self.dry_run = dry_run;
    }

    pub(super) fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Inserted => self.inserted += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Review => self.review += 1,
            Outcome::Partial => self.partial_rows += 1,
            Outcome::Refused => self.rejected_rows += 1,
        }
    }

    /// The reports of sheets read together (the 一组, 二组 … of one workbook, in one
    /// transaction) as one: counts added, lists joined (each entry names its sheet), places
    /// counted once with all their rows.
    pub fn together(reports: Vec<ImportReport>) -> Option<ImportReport> {
        let mut reports = reports.into_iter();
        let mut all = reports.next()?;
        for r in reports {
            all.sheets_read.extend(r.sheets_read);
            all.data_rows += r.data_rows;
            all.inserted += r.inserted;
            all.updated += r.updated;
            all.unchanged += r.unchanged;
            all.skipped_rows += r.skipped_rows;
            all.review += r.review;
            all.partial_rows += r.partial_rows;
            all.rejected_rows += r.rejected_rows;
            all.skipped.extend(r.skipped);
            all.problems.extend(r.problems);
            all.rejected.extend(r.rejected);
            let room = 50usize.saturating_sub(all.preview.len());
            all.preview.extend(r.preview.into_iter().take(room));
            let room = 100usize.saturating_sub(all.households.len());
            all.households.extend(r.households.into_iter().take(room));
            for n in r.notices {
                if !all.notices.iter().any(|m| m.message == n.message) {
                    all.notices.push(n);
                }
            }
            for u in r.unknown_places {
                match all.unknown_places.iter_mut().find(|v| v.path == u.path) {
                    Some(v) => v.rows += u.rows,
                    None => all.unknown_places.push(u),
                }
            }
            for c in r.places_created {
                match all.places_created.iter_mut().find(|d| d.path == c.path) {
                    Some(d) => d.rows += c.rows,
                    None => all.places_created.push(c),
                }
            }
            all.writes |= r.writes;
            all.batch_id = all.batch_id.or(r.batch_id);
        }
        all.sheet = all.sheets_read.join("、");
        let read = all.sheets_read.clone();
        all.other_sheets.retain(|o| !read.contains(&o.name));
        all.count_problems();
        Some(all)
    }

    /// True when nothing in the sheet was refused.
    pub fn clean(&self) -> bool {
        self.rejected_rows == 0 && self.partial_rows == 0
    }
}
