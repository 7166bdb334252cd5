//! The values of one record, read field by field through the field's rules in `Mode::Strict`
//! (a form, a command) or `Mode::Lenient` (a sheet's row, which keeps the original text of a
//! bad value), and `read_typed`, which reads a whole record typed as text.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::{error, read, CellProblem, Context, RawCell, Value};
use crate::model::fields::{Field, Kind};
use crate::validate::{self, normalize_note, FieldProblem};

/// How strictly `Values::read` treats a bad value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A form or a command: every bad value is an error to correct.
    Strict,
    /// A sheet: keep the row; only identity and required fields refuse.
    Lenient,
}

/// The values of one record (or one sheet row) by field key, with the problems found and
/// the original text of values that were replaced.
#[derive(Debug, Clone, Default)]
pub struct Values {
    values: BTreeMap<&'static str, Value>,
    pub problems: Vec<FieldProblem>,
    /// (field, original text) of values stored as 其他, a default, or left out.
    pub originals: Vec<(&'static str, String)>,
    /// (field, why) of values a sheet gave that were left out: a record that is nothing
    /// without them says so with the reason (`HealthCheck::from_values`).
    pub dropped: Vec<(&'static str, CellProblem)>,
}

impl Values {
    pub fn new() -> Values {
        Values::default()
    }

    /// Reads one field's raw value and keeps the result.
    pub fn read(&mut self, field: &'static Field, cell: &RawCell, cx: &Context, mode: Mode) {
        let typed;
        let cell = match (mode, field.kind, cell) {
            (Mode::Strict, Kind::Temperature, RawCell::Text(t)) => {
                typed = RawCell::Text(validate::expand_typed_temperature(t));
                &typed
            }
            _ => cell,
        };
        let result = read(cell, field.kind, cx).and_then(|(value, note)| {
            let value = match (value, field.max_len()) {
                (Some(Value::Text(t)), Some(max)) if t.chars().count() > max => {
                    return Err(error(
                        "text_too_long",
                        format!(
                            "{}有 {} 个字，超过 {max} 字",
                            field.label,
                            t.chars().count()
                        ),
                    ))
                }
                (Some(Value::Text(t)), _) if t.is_empty() => None,
                (value, _) => value,
            };
            Ok((value, note))
        });
        match result {
            Ok((value, note)) => {
                if let Some(note) = note {
                    self.problems.push(FieldProblem::warning(
                        field.key,
                        &note.code,
                        labelled(field, &note.message),
                    ));
                }
                if let Some(v) = value {
                    self.values.insert(field.key, v);
                }
            }
            // An ID Excel turned into a number (4.30182E+17) cannot be read back, but the
            // person is real: a sheet's row keeps them, without the number, to re-collect.
            // A formula's error in an optional field: the field is left empty, said, and the
            // row kept (a failed lookup of a phone must not cost the person).
            Err(p)
                if mode == Mode::Lenient
                    && p.code == "formula_error"
                    && !field.required
                    && field.key != "name" =>
            {
                self.problems.push(FieldProblem::warning(
                    field.key,
                    "formula_error",
                    labelled(field, &p.message),
                ));
                self.originals.push((field.key, cell.text_short(100)));
            }
            Err(p) if mode == Mode::Lenient && p.code == "id_truncated" => {
                self.problems.push(FieldProblem::warning(
                    field.key,
                    "id_truncated",
                    format!(
                        "{}“{}”被 Excel 截断（存成了数字，末几位已丢失）：已登记此人，证件号留空并标为“证件号需核对”，请重新采集后补上",
                        field.label,
                        cell.text_short(30)
                    ),
                ));
                self.originals.push((field.key, cell.text_short(100)));
            }
            Err(p) if mode == Mode::Strict || field.is_identity() || field.required => {
                self.problems.push(FieldProblem::error(
                    field.key,
                    &p.code,
                    labelled(field, &p.message),
                ));
            }
            Err(p) => self.keep_original(field, cell, p),
        }
    }

    /// Lenient mode: a bad optional value is replaced (其他, the default) or left out, and its
    /// original text kept.
    fn keep_original(&mut self, field: &'static Field, cell: &RawCell, p: CellProblem) {
        self.dropped.push((field.key, p.clone()));
        let original = cell.text_short(crate::model::fields::NOTE_MAX - 1);
        let replaced = match (field.kind, p.code.as_str()) {
            (Kind::Choice(list), "not_in_list") if list.contains(&"其他") => Some("其他"),
            (Kind::Choice(_), "not_in_list") => field.default,
            (Kind::Text(max), "text_too_long") => {
                let kept: String = normalize_note(&cell.text()).chars().take(max).collect();
                self.values.insert(field.key, Value::Text(kept));
                self.problems.push(FieldProblem::warning(
                    field.key,
                    "text_truncated",
                    format!(
                        "{}超过 {max} 字，只保存了前 {max} 字，全文见问题清单",
                        field.label
                    ),
                ));
                return;
            }
            _ => None,
        };
        let message = match replaced {
            Some(v) => {
                self.values.insert(field.key, Value::Text(v.to_string()));
                format!("{}：{}，已记为“{v}”，原文已保留", field.label, p.message)
            }
            None => format!("{}：{}，此项未保存，原文已保留", field.label, p.message),
        };
        self.problems.push(FieldProblem::warning(
            field.key,
            "value_kept_as_original",
            message,
        ));
        self.originals.push((field.key, original));
    }

    /// Adds an error for each required field of `fields` that has no value (and no error
    /// already).
    pub fn require(&mut self, fields: &'static [Field]) {
        for field in fields.iter().filter(|f| f.required) {
            if !self.values.contains_key(field.key)
                && !self.problems.iter().any(|p| p.field == field.key)
            {
                self.problems.push(FieldProblem::error(
                    field.key,
                    "required",
                    format!("请填写{}", field.label),
                ));
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.severity == validate::Severity::Error)
    }

    pub fn insert(&mut self, key: &'static str, value: Value) {
        self.values.insert(key, value);
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub fn text(&self, key: &str) -> Option<String> {
        self.values.get(key).map(Value::as_text)
    }

    pub fn date(&self, key: &str) -> Option<NaiveDate> {
        match self.values.get(key) {
            Some(Value::Date(d)) => Some(*d),
            Some(Value::DateTime(t)) => Some(t.date()),
            _ => None,
        }
    }

    pub fn date_time(&self, key: &str) -> Option<NaiveDateTime> {
        match self.values.get(key) {
            Some(Value::DateTime(t)) => Some(*t),
            Some(Value::Date(d)) => Some(d.and_time(chrono::NaiveTime::MIN)),
            _ => None,
        }
    }

    pub fn number(&self, key: &str) -> Option<f64> {
        match self.values.get(key) {
            Some(Value::Number(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn yes(&self, key: &str) -> Option<bool> {
        match self.values.get(key) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// Every value as text, by key (the review list keeps a row this way).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.values
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.as_text())))
                .collect(),
        )
    }
}

fn labelled(field: &Field, message: &str) -> String {
    if message.starts_with(field.label) {
        message.to_string()
    } else {
        format!("{}：{message}", field.label)
    }
}

/// Reads a whole record typed as text (a form, a command line) through its field table:
/// unknown keys are refused, and every field is judged in strict mode.
pub fn read_typed(
    fields: &'static [Field],
    typed: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Values {
    let cx = Context::new(today);
    let mut values = Values::new();
    for (key, text) in typed {
        match fields.iter().find(|f| f.key == key && f.entry) {
            Some(field) => values.read(field, &RawCell::Text(text.clone()), &cx, Mode::Strict),
            None => values.problems.push(FieldProblem::error(
                key,
                "field_unknown",
                format!("没有“{key}”这一项；可填：{}", entry_keys(fields)),
            )),
        }
    }
    values.require(fields);
    values
}

fn entry_keys(fields: &[Field]) -> String {
    fields
        .iter()
        .filter(|f| f.entry)
        .map(|f| f.key)
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields;

    fn cx() -> Context<'static> {
        Context::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())
    }

    #[test]
    fn lenient_reading_keeps_the_row_and_the_original_text() {
        let transport = fields::field(fields::ARRIVAL, "transport").unwrap();
        let mut values = Values::new();
        values.read(
            transport,
            &RawCell::Text("摩托车".into()),
            &cx(),
            Mode::Lenient,
        );
        assert_eq!(values.text("transport").as_deref(), Some("其他"));
        assert_eq!(values.originals, vec![("transport", "摩托车".to_string())]);
        assert!(!values.has_errors());

        let mut strict = Values::new();
        strict.read(
            transport,
            &RawCell::Text("摩托车".into()),
            &cx(),
            Mode::Strict,
        );
        assert!(strict.has_errors());
        assert_eq!(strict.text("transport"), None);

        // A list without 其他 and without a default: left out, original kept.
        let risk = fields::field(fields::ARRIVAL, "risk_level").unwrap();
        let mut values = Values::new();
        values.read(risk, &RawCell::Text("不详".into()), &cx(), Mode::Lenient);
        assert_eq!(values.text("risk_level"), None);
        assert_eq!(values.originals.len(), 1);

        // A required field is refused even when lenient.
        let date = fields::field(fields::ARRIVAL, "arrival_date").unwrap();
        let mut values = Values::new();
        values.read(
            date,
            &RawCell::Text("1026-11-10".into()),
            &cx(),
            Mode::Lenient,
        );
        assert!(values.has_errors());
    }

    #[test]
    fn long_text_is_refused_when_typed_and_cut_with_a_warning_from_a_sheet() {
        let note = fields::field(fields::PERSON, "note").unwrap();
        let long = RawCell::Text("很".repeat(350_000));
        let mut strict = Values::new();
        strict.read(note, &long, &cx(), Mode::Strict);
        assert_eq!(strict.problems[0].code, "text_too_long");
        let mut lenient = Values::new();
        lenient.read(note, &long, &cx(), Mode::Lenient);
        assert_eq!(
            lenient.text("note").unwrap().chars().count(),
            fields::NOTE_MAX
        );
        assert_eq!(lenient.problems[0].code, "text_truncated");
    }

    #[test]
    fn control_and_zero_width_characters_leave_names() {
        let name = fields::field(fields::PERSON, "name").unwrap();
        let mut values = Values::new();
        values.read(
            name,
            &RawCell::Text("张\u{200B}三\u{0007}".into()),
            &cx(),
            Mode::Strict,
        );
        assert_eq!(values.text("name").as_deref(), Some("张三"));
        let mut blank = Values::new();
        blank.read(
            name,
            &RawCell::Text("\u{200B}\u{FEFF}".into()),
            &cx(),
            Mode::Lenient,
        );
        blank.require(fields::PERSON);
        assert_eq!(blank.problems[0].code, "required");
    }
}
