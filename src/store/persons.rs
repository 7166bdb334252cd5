//! Persons: saving (through `validate_person`), reading, tags, archiving.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{reversed, Store};
use crate::error::{Error, Result};
use crate::initials::{name_initials, name_pinyin};
use crate::model::{household_label, validate_person, CleanPerson, Entity, Person, PersonInput};
use crate::validate::FieldProblem;

/// The columns `person_from_row` reads, in order.
pub(super) const PERSON_COLUMNS: &str = "p.id, p.household_id, p.name, p.name_initials, p.gender, p.birth_date, p.id_type,
    p.id_number, p.phone, p.hukou_code, p.hukou_address, p.current_address, p.relation_to_head, p.crowd_category,
    p.occupation, p.work_place, p.special_industry, p.residence_status, p.unvaccinated_reason, p.note,
    (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM person_tags t WHERE t.person_id = p.id ORDER BY tag)),
    p.batch_id, p.created_at, p.updated_at, p.archived_at";

pub(super) fn person_from_row(r: &Row) -> rusqlite::Result<Person> {
    let tags: Option<String> = r.get(20)?;
    Ok(Person {
        id: r.get(0)?,
        household_id: r.get(1)?,
        name: r.get(2)?,
        name_initials: r.get(3)?,
        gender: r.get(4)?,
        birth_date: r.get(5)?,
        id_type: r.get(6)?,
        id_number: r.get(7)?,
        phone: r.get(8)?,
        hukou_code: r.get(9)?,
        hukou_address: r.get(10)?,
        current_address: r.get(11)?,
        relation_to_head: r.get(12)?,
        crowd_category: r.get(13)?,
        occupation: r.get(14)?,
        work_place: r.get(15)?,
        special_industry: r.get(16)?,
        residence_status: r.get(17)?,
        unvaccinated_reason: r.get(18)?,
        note: r.get(19)?,
        tags: tags
            .map(|t| t.split('\u{1f}').map(String::from).collect())
            .unwrap_or_default(),
        batch_id: r.get(21)?,
        created_at: r.get(22)?,
        updated_at: r.get(23)?,
        archived_at: r.get(24)?,
    })
}

/// The verdict on a person as typed, for the form.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonCheck {
    pub problems: Vec<FieldProblem>,
    /// Derived from a valid ID number when the form left them blank, or as given.
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub hukou_code: Option<String>,
    pub hukou_place: Option<String>,
}

/// A saved person and the warnings their fields raised (shown, not blocking).
#[derive(Debug, Clone, Serialize)]
pub struct SavedPerson {
    pub person: Person,
    pub warnings: Vec<FieldProblem>,
}

impl Store {
    /// Checks and saves a person typed by hand (new when `input.id` is None). An edit is
    /// stamped and written to the change log.
    pub fn save_person(&self, input: &PersonInput) -> Result<SavedPerson> {
        self.save_person_logged(input, "修改")
    }

    /// Saves a person, logging an edit under `action` (修改, or 迁户 for a move).
    pub fn save_person_logged(&self, input: &PersonInput, action: &str) -> Result<SavedPerson> {
        let checked = validate_person(input, self.today()).map_err(Error::Invalid)?;
        let batch_id = self.entry_batch()?;
        let id = self.in_transaction(|| {
            let before = match checked.value.id {
                Some(id) => Some(self.person(id)?),
                None => None,
            };
            let id = self.write_person(&checked.value, batch_id)?;
            if let Some(before) = before {
                let after = self.person(id)?;
                self.log_change(
                    Entity::Person,
                    id,
                    action,
                    Some(super::records::diff(&before, &after)),
                )?;
            }
            Ok(id)
        })?;
        Ok(SavedPerson {
            person: self.person(id)?,
            warnings: checked.warnings,
        })
    }

    /// Writes a checked person under a batch; refuses a document number already registered
    /// to someone else and a second head of one household. Returns the person's id.
    pub fn write_person(&self, person: &CleanPerson, batch_id: i64) -> Result<i64> {
        let problems = self.conflicts(person)?;
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let birth = person.birth_date.map(|d| d.to_string());
        let initials = name_initials(&person.name);
        let pinyin = name_pinyin(&person.name);
        let id_rev = person.id_number.as_deref().map(reversed);
        let values = params![
            person.household_id,
            person.name,
            initials,
            person.gender,
            birth,
            person.id_type,
            person.id_number,
            id_rev,
            person.phone,
            person.hukou_code,
            person.hukou_address,
            person.current_address,
            person.relation_to_head,
            person.crowd_category,
            person.occupation,
            person.work_place,
            person.special_industry,
            person.residence_status,
            person.unvaccinated_reason,
            person.note,
            pinyin,
        ];
        let operator = match person.id {
            Some(_) => self.operator()?,
            None => None,
        };
        let id = match person.id {
            None => {
                let mut stmt = self.conn.prepare_cached(
                    "INSERT INTO persons (household_id, name, name_initials, gender, birth_date, id_type, id_number,
                        id_number_rev, phone, hukou_code, hukou_address, current_address, relation_to_head,
                        crowd_category, occupation, work_place, special_industry, residence_status,
                        unvaccinated_reason, note, name_pinyin, batch_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                )?;
                let mut all: Vec<&dyn rusqlite::ToSql> = values.to_vec();
                all.push(&batch_id);
                stmt.execute(all.as_slice())?;
                self.conn.last_insert_rowid()
            }
            Some(id) => {
                let changed = self.conn.prepare_cached(
                    "UPDATE persons SET household_id = ?1, name = ?2, name_initials = ?3, gender = ?4, birth_date = ?5,
                        id_type = ?6, id_number = ?7, id_number_rev = ?8, phone = ?9, hukou_code = ?10,
                        hukou_address = ?11, current_address = ?12, relation_to_head = ?13, crowd_category = ?14,
                        occupation = ?15, work_place = ?16, special_industry = ?17, residence_status = ?18,
                        unvaccinated_reason = ?19, note = ?20, name_pinyin = ?21,
                        updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), updated_by = ?23
                     WHERE id = ?22",
                )?
                .execute({
                    let mut all: Vec<&dyn rusqlite::ToSql> = values.to_vec();
                    all.push(&id);
                    all.push(&operator);
                    all
                }
                .as_slice())?;
                if changed == 0 {
                    return Err(Error::NotFound { what: "人员", id });
                }
                // Only the tags taken off go (the trail then shows what changed, not every
                // tag deleted and added again).
                let kept = serde_json::to_string(&person.tags).unwrap_or_default();
                self.conn.execute(
                    "DELETE FROM person_tags WHERE person_id = ?1 AND tag NOT IN (SELECT value FROM json_each(?2))",
                    params![id, kept],
                )?;
                id
            }
        };
        let mut tag_stmt = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO person_tags (person_id, tag) VALUES (?1, ?2)")?;
        for tag in &person.tags {
            tag_stmt.execute(params![id, tag])?;
        }
        Ok(id)
    }

    /// Checks a person as typed, without saving: field problems (errors and warnings),
    /// conflicts with the register, and what a valid ID number tells (sex, birth date,
    /// 户籍地). The form calls it as the user leaves each field.
    pub fn check_person(&self, input: &PersonInput) -> Result<PersonCheck> {
        match validate_person(input, self.today()) {
            Err(problems) => Ok(PersonCheck {
                problems,
                ..Default::default()
            }),
            Ok(checked) => {
                let mut problems = checked.warnings;
                problems.extend(self.conflicts(&checked.value)?);
                let person = checked.value;
                Ok(PersonCheck {
                    problems,
                    gender: person.gender,
                    birth_date: person.birth_date.map(|d| d.to_string()),
                    hukou_place: person
                        .hukou_code
                        .as_deref()
                        .and_then(crate::divisions::describe),
                    hukou_code: person.hukou_code,
                })
            }
        }
    }

    /// What a checked person would clash with: a document number registered to someone else,
    /// a second head in one household, a household that is gone.
    fn conflicts(&self, person: &CleanPerson) -> Result<Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if let Some(number) = &person.id_number {
            let holder: Option<(i64, String, Option<i64>)> = self
                .conn
                .prepare_cached("SELECT id, name, household_id FROM persons WHERE id_type = ?1 AND id_number = ?2 AND id IS NOT ?3")?
                .query_row(params![person.id_type, number, person.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((holder_id, name, household_id)) = holder {
                let place = match household_id {
                    Some(h) => format!("（{}）", self.household_label(h)?),
                    None => String::new(),
                };
                problems.push(
                    FieldProblem::error(
                        "id_number",
                        "id_duplicate",
                        format!("该证件号已登记给 {name}{place}，请打开该人员核对，不要重复登记"),
                    )
                    .naming(holder_id),
                );
            }
        }
        if let Some(household_id) = person.household_id {
            let archived: Option<Option<String>> = self
                .conn
                .prepare_cached("SELECT archived_at FROM households WHERE id = ?1")?
                .query_row([household_id], |r| r.get(0))
                .optional()?;
            if !matches!(archived, Some(None)) {
                problems.push(FieldProblem::error(
                    "household_id",
                    "household_missing",
                    "所选的户不存在或已归档，请重新选择",
                ));
            }
            if person.relation_to_head.as_deref() == Some("户主") {
                let head: Option<String> = self
                    .conn
                    .prepare_cached("SELECT name FROM persons WHERE household_id = ?1 AND relation_to_head = '户主' AND id IS NOT ?2")?
                .query_row(params![household_id, person.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(head) = head {
                    problems.push(FieldProblem::error(
                        "relation_to_head",
                        "second_head",
                        format!("该户已有户主 {head}；如需更换，请先把原户主的关系改为其他"),
                    ));
                }
            }
        }
        Ok(problems)
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.id = ?1"
            ))?
            .query_row([id], person_from_row)
            .optional()?
            .ok_or(Error::NotFound { what: "人员", id })
    }

    /// The members of a household, head first, then by age.
    pub fn household_members(&self, household_id: i64) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.household_id = ?1 AND p.archived_at IS NULL
             ORDER BY p.relation_to_head IS NOT '户主', p.birth_date IS NULL, p.birth_date, p.id"
        ))?;
        let rows = stmt.query_map([household_id], person_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Persons not in any household yet (typically added by an import without door plates),
    /// newest first, so a cadre can place them.
    pub fn persons_without_household(&self, limit: usize) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.household_id IS NULL AND p.archived_at IS NULL ORDER BY p.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], person_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many persons are in no household (not archived): the whole count, where the list
    /// above shows the newest few.
    pub fn count_persons_without_household(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM persons WHERE household_id IS NULL AND archived_at IS NULL",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// Archives a person: they leave lists and searches but nothing is deleted, and
    /// `restore_person` brings them back. A wrong click never destroys a record.
    pub fn archive_person(&self, id: i64) -> Result<()> {
        self.archive(Entity::Person, id)
    }

    pub fn restore_person(&self, id: i64) -> Result<()> {
        self.restore(Entity::Person, id)
    }

    fn household_label(&self, household_id: i64) -> Result<String> {
        let (name, number, address): (Option<String>, Option<String>, Option<String>) =
            self.conn.query_row(
                "SELECT door_name, door_number, address FROM households WHERE id = ?1",
                [household_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        Ok(household_label(
            name.as_deref(),
            number.as_deref(),
            address.as_deref(),
        ))
    }
}
