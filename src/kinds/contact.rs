//! 密接 / 次密接: one link of a contact chain, from the person met (the case's person, or a
//! 密接 for a 次密接) to the contact, under a case. A link is known by its case and both
//! ends: given again it changes nothing. Nobody is their own contact; a 次密接 hangs on a 密接
//! (typed: required; from a sheet that does not say whom they met, kept under the case with a
//! warning); the last contact is not after the day it was found.

use super::{built, need_person, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::{Mode, Values};
use crate::model::{Built, Contact, Entity};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Contacts;

impl Kind for Contacts {
    type Record = Contact;
    const ENTITY: Entity = Entity::Contact;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Contact, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let today = store.today();
        let mut values = input.values.clone();
        if input.source_contact_id.is_some() && !values.contains_key("level") {
            values.insert("level".into(), "次密接".into());
        }
        let v = read_strict(fields::CONTACT, &values, today)?;
        let (case_id, case_person, source) = match input.id {
            Some(id) => {
                let c = store.contact(id)?;
                let case = store.case(c.case_id)?;
                (c.case_id, case.person_id, c.source_person_id)
            }
            None => store.contact_root(input.case_id, input.source_contact_id)?,
        };
        let result = Contact::from_values(
            &v,
            person,
            case_id,
            case_person,
            source,
            today,
            Mode::Strict,
        );
        built(v, result)
    }

    /// A sheet names the case by its person's name (关联病例) and, for a 次密接, the 密接 they
    /// met by name (关联密接), who must already be a contact of that case.
    fn from_row(
        store: &Store,
        row: &RowContext,
        person: Option<i64>,
        v: &Values,
    ) -> Result<Built<Contact>> {
        let person = person.unwrap_or_default();
        let Some(case_name) = v.text("case_name") else {
            return Ok(Err(vec![FieldProblem::error(
                "case_name",
                "required",
                "请填写关联病例",
            )]));
        };
        let cases = store.cases_by_person_name(&case_name)?;
        let Some(&(case_id, case_person)) = cases.first() else {
            return Ok(Err(vec![FieldProblem::error(
                "case_name",
                "case_unknown",
                format!("关联病例“{case_name}”不在台账中：请先登记该病例，再导入其接触者"),
            )]));
        };
        let mut warnings = Vec::new();
        if cases.len() > 1 {
            warnings.push(FieldProblem::warning(
                "case_name",
                "case_ambiguous",
                format!(
                    "台账中有 {} 个名叫“{case_name}”的病例，已关联最新报告的一个，请核对",
                    cases.len()
                ),
            ));
        }
        let source = match v.text("source_name") {
            None => case_person,
            Some(name) => match store.case_contacts_named(case_id, &name)?.first() {
                Some(id) => *id,
                None => {
                    return Ok(Err(vec![FieldProblem::error(
                        "source_name",
                        "contact_unknown",
                        format!("“{name}”不是病例{case_name}的已登记接触者：请先登记这名密接"),
                    )]))
                }
            },
        };
        Ok(
            match Contact::from_values(
                v,
                person,
                case_id,
                case_person,
                source,
                row.today,
                Mode::Lenient,
            ) {
                Ok((c, more)) => Ok((c, [warnings, more].concat())),
                Err(problems) => Err(problems),
            },
        )
    }

    fn judge(store: &Store, mut c: Contact, editing: Option<i64>) -> Result<Judgement<Contact>> {
        if let Some(id) = editing {
            let before = store.contact(id)?;
            c.id = id;
            c.case_id = before.case_id;
            c.source_person_id = before.source_person_id;
            c.contact_person_id = before.contact_person_id;
            c.stamp = before.stamp.clone();
            return Ok(if c == before {
                Judgement::Same(before)
            } else {
                Judgement::Update(c)
            });
        }
        Ok(
            match store.existing_contact(c.case_id, c.source_person_id, c.contact_person_id)? {
                Some(id) => Judgement::Same(Self::load(store, id)?),
                None => Judgement::New(c),
            },
        )
    }

    fn id(c: &Contact) -> i64 {
        c.id
    }

    fn load(store: &Store, id: i64) -> Result<Contact> {
        store.contact(id)
    }

    fn insert(store: &Store, c: &Contact, batch: i64) -> Result<i64> {
        store.add_contact(c, batch)
    }

    fn update(store: &Store, c: &Contact) -> Result<()> {
        store.update_contact(c)
    }

    fn describe(c: &Contact) -> String {
        format!(
            "{}，最后接触 {}",
            c.level,
            c.last_contact_date.as_deref().unwrap_or("—")
        )
    }
}
