//! The person a sheet's row is about, and their household. A row's person is matched against
//! the register (and so against the rows above it, already written): by ID number, then 姓名 +
//! 手机, then 姓名 + 出生日期 + 门牌; a row that gives only a name is the member of that name in
//! its household, or the person of that name an earlier import of the same roll registered.
//! An uncertain match goes to the review list; one ID under two names in one sheet is refused.
//!
//! Households come from doors (门牌名 + 门牌号, or 楼栋 + 单元 + 房间, each written any of the
//! usual ways: 东街８号 = 东街8 = 东 街 8 号) and, on a household roll, from 户主 and 与户主关系: a
//! member listed under their head joins the head's household, and 家庭总人口数 is checked
//! against the members listed.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::places::Places;
use super::report::HouseholdChange;
use super::target::Target;
use crate::error::Result;
use crate::model::input::{Mode, Values};
use crate::model::place_names::{arabic_numbers, canonical};
use crate::model::{person_from_values, CleanHousehold, CleanPerson, Entity, Person};
use crate::store::{PersonMatch, Store};
use crate::validate::{normalize_text, FieldProblem};

/// How many households the report shows before → after.
const PREVIEW_HOUSEHOLDS: usize = 100;

/// The door of a household as a sheet gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Door {
    pub name: Option<String>,
    pub number: Option<String>,
}

impl Door {
    /// The door a row gives: 门牌名 and 门牌号, or 楼栋 and 单元 as the name and 房间 as the
    /// number (三栋 / 二单元 / 301 is 3栋2单元 301). A sheet with one address column holds the
    /// whole door in it (东街3号, 河沿路11号2单元): that is split into 门牌名 and 门牌号 as the
    /// register keeps them.
    pub fn of(values: &Values) -> Door {
        let joined = |keys: &[&str], max: usize| -> Option<String> {
            let parts: Vec<String> = keys.iter().filter_map(|k| values.text(k)).collect();
            (!parts.is_empty()).then(|| parts.concat().chars().take(max).collect())
        };
        let town = |key: &str| values.text(key).map(|t| arabic_numbers(&t));
        let building: Vec<String> = [town("building"), town("unit")]
            .into_iter()
            .flatten()
            .collect();
        let name = match values.text("door_name") {
            Some(n) => Some(n),
            None if !building.is_empty() => Some(building.concat().chars().take(60).collect()),
            None => None,
        };
        // The register keeps a door number of at most 30 characters.
        let number = joined(&["door_number", "room"], 30);
        Door::split(name, number)
    }

    pub fn split(name: Option<String>, number: Option<String>) -> Door {
        let whole = match (&name, &number) {
            (Some(one), None) | (None, Some(one)) => one.clone(),
            _ => return Door { name, number },
        };
        let split = whole
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .filter(|(i, _)| *i > 0 && whole[*i..].contains('号'))
            .map(|(i, _)| i);
        match split {
            Some(i) => Door {
                name: Some(whole[..i].trim().to_string()),
                number: Some(whole[i..].trim().to_string()),
            },
            None => Door { name, number },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.number.is_none()
    }

    pub fn label(&self) -> String {
        format!(
            "{}{}",
            self.name.as_deref().unwrap_or(""),
            self.number.as_deref().unwrap_or("")
        )
    }

    /// The door as compared: every spelling of one door gives the same key (full-width
    /// digits, spaces, Chinese numerals, a 号 written or not, in one column or two).
    pub fn key(&self) -> String {
        door_key(self.name.as_deref(), self.number.as_deref())
    }
}

/// The key of a door (see `Door::key`), for a door the register holds: its name and number
/// read as one text, so 东街 | 8号 and 东 街 8 are one door.
pub fn door_key(name: Option<&str>, number: Option<&str>) -> String {
    let text = canonical(&format!("{}{}", name.unwrap_or(""), number.unwrap_or("")));
    text.strip_suffix('号').map(str::to_string).unwrap_or(text)
}

/// What a row's household is known by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HouseKey {
    Door(Door),
    /// A roll without doors: the household of the 户主 of that name.
    Head(String),
}

impl HouseKey {
    fn label(&self) -> String {
        match self {
            HouseKey::Door(d) => d.label(),
            HouseKey::Head(name) => format!("户主{name}家"),
        }
    }
}

/// One household of a roll as the sheet lists it, to check 家庭总人口数.
struct Family {
    key: HouseKey,
    row: usize,
    name: String,
    declared: Option<i64>,
    listed: i64,
}

/// A decision from the review list that overrides matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Force {
    /// The row's person is this one of the register.
    Into(i64),
    /// The row's person is someone new.
    New,
}

/// What a row's person came to.
pub enum Resolved {
    /// The person (inserted, updated, or as the register has them), with their name and
    /// household as they now are.
    Kept {
        id: i64,
        name: String,
        household: Option<i64>,
        outcome: super::report::Outcome,
    },
    /// Matched only uncertainly: on the review list.
    Review {
        candidate: i64,
        reason: String,
    },
    Refused(FieldProblem),
}

pub struct Persons<'a> {
    store: &'a Store,
    target: Target,
    today: NaiveDate,
    file: String,
    sheet: String,
    pub force: Option<Force>,
    /// Persons this import registered: a later row about them adds to them without counting
    /// as an update, and the same ID under another name is refused, not reviewed.
    created: HashSet<i64>,
    /// The household key of the row above, for members listed under their head.
    last_key: Option<HouseKey>,
    /// (scope, door key) → households, loaded once per village.
    doors: HashMap<i64, HashMap<String, Vec<i64>>>,
    heads: HashMap<(i64, String), i64>,
    family: Option<Family>,
    /// Households this import made.
    new_households: HashSet<i64>,
    changes: Vec<(i64, HouseholdChange)>,
    /// Warnings found after their row (a family's size, checked when the family ends).
    pub late: Vec<(usize, String, FieldProblem)>,
}

impl<'a> Persons<'a> {
    pub fn new(store: &'a Store, target: Target, file: &str, sheet: &str) -> Persons<'a> {
        Persons {
            store,
            target,
            today: store.today(),
            file: file.to_string(),
            sheet: sheet.to_string(),
            force: None,
            created: HashSet::new(),
            last_key: None,
            doors: HashMap::new(),
            heads: HashMap::new(),
            family: None,
            new_households: HashSet::new(),
            changes: Vec::new(),
            late: Vec::new(),
        }
    }

    /// A blank or total row between rows: a member never takes the household of a row
    /// above it, and the family above has ended.
    pub fn break_run(&mut self) {
        self.last_key = None;
        self.end_family();
    }

    /// Households touched, before → after.
    pub fn household_changes(&self) -> Vec<HouseholdChange> {
        self.changes.iter().map(|(_, c)| c.clone()).collect()
    }

    /// Finds, adds or updates the person of a row, and places them in their household.
    #[allow(clippy::too_many_arguments)] // reason: a row is its values, place and where it stands
    pub fn resolve(
        &mut self,
        places: &mut Places,
        row: usize,
        person_values: Values,
        values: &Values,
        place: Option<i64>,
        batch: &dyn Fn() -> Result<i64>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let checked =
            match person_from_values(person_values, None, None, &[], self.today, Mode::Lenient) {
                Ok(checked) => checked,
                Err(refused) => {
                    self.last_key = None;
                    let first = refused
                        .iter()
                        .find(|p| p.severity == crate::validate::Severity::Error)
                        .cloned();
                    problems.extend(refused.into_iter().filter(|p| Some(p) != first.as_ref()));
                    return Ok(Resolved::Refused(first.unwrap_or_else(|| {
                        FieldProblem::error("name", "required", "请填写姓名")
                    })));
                }
            };
        problems.extend(checked.warnings.iter().cloned());
        let incoming = checked.value;
        let key = self.key_of(values, &incoming);
        self.note_family(row, &key, values, &incoming);
        let door_label = match &key {
            Some(HouseKey::Door(d)) => d.label(),
            _ => String::new(),
        };
        let matched = match self.force {
            Some(Force::Into(id)) => PersonMatch::Exact(id),
            Some(Force::New) => PersonMatch::None,
            None => match self.namesake_under_watch(&incoming, values)? {
                Some(Ok(id)) => PersonMatch::Exact(id),
                Some(Err(problem)) => return Ok(Resolved::Refused(problem)),
                None => self.match_register(&incoming, &door_label)?,
            },
        };
        let id = match matched {
            PersonMatch::Exact(id) => id,
            PersonMatch::Uncertain { person_id, reason } => {
                if self.created.contains(&person_id) && incoming.id_number.is_some() {
                    let theirs = self.store.person(person_id)?.name;
                    return Ok(Resolved::Refused(FieldProblem::error(
                        "id_number",
                        "id_two_names",
                        format!(
                            "这个证件号在表中上面的行属于“{theirs}”，这一行是“{}”：同一证件号不能是两个人，请核对姓名或证件号",
                            incoming.name
                        ),
                    )));
                }
                return Ok(Resolved::Review {
                    candidate: person_id,
                    reason,
                });
            }
            // A reading belongs to someone under watch: a name the register does not know is
            // a typo or a stranger, never a new person.
            PersonMatch::None if self.target == Target::HealthChecks => {
                return Ok(Resolved::Refused(FieldProblem::error(
                    "name",
                    "person_unknown",
                    format!(
                        "台账中没有“{}”：体温只记在正在隔离或健康监测的人名下，请核对姓名或加上身份证号",
                        incoming.name
                    ),
                )))
            }
            PersonMatch::None => {
                let household = match &key {
                    Some(key) => self.household_for(places, key, place, batch, problems)?,
                    None => None,
                };
                // Someone of the same name already in that household is that person (the
                // sheet just left out the ID the register has, or neither has one).
                if let Some(h) = household {
                    if let Some((id, theirs)) = self.store.member_named(h, &incoming.name)? {
                        if incoming.id_number.is_none() || theirs.is_none() {
                            return self.update(id, incoming, checked.originals, key, places, place, row, batch, problems);
                        }
                    }
                }
                if let Some(id) = self.same_roll(&incoming, row)? {
                    return self.update(id, incoming, checked.originals, key, places, place, row, batch, problems);
                }
                let mut person = incoming;
                person.household_id = household;
                if let Some(h) = household {
                    self.check_head(h, &mut person, problems)?;
                }
                let id = self.store.write_person(&person, batch()?)?;
                self.store.keep_originals(Entity::Person, id, &checked.originals)?;
                self.store
                    .add_record_source(batch()?, Entity::Person, id, &self.sheet, row)?;
                self.created.insert(id);
                if let Some(h) = household {
                    self.note_member(h, &person.name)?;
                }
                return Ok(Resolved::Kept {
                    id,
                    name: person.name,
                    household,
                    outcome: super::report::Outcome::Inserted,
                });
            }
        };
        self.update(
            id,
            incoming,
            checked.originals,
            key,
            places,
            place,
            row,
            batch,
            problems,
        )
    }

    /// The register's person by ID, name + phone, name + birth (+ door).
    fn match_register(&self, incoming: &CleanPerson, door: &str) -> Result<PersonMatch> {
        self.store.match_person(incoming, Some(door))
    }

    /// A row with only a name (no ID, phone or birth date) is the person of that name an
    /// earlier import of the same file and sheet registered — the one from the same row when
    /// the roll has two of that name.
    fn same_roll(&self, incoming: &CleanPerson, row: usize) -> Result<Option<i64>> {
        if incoming.id_number.is_some() || incoming.phone.is_some() || incoming.birth_date.is_some()
        {
            return Ok(None);
        }
        let found = self
            .store
            .persons_from_roll(&self.file, &self.sheet, &incoming.name)?;
        Ok(match found.as_slice() {
            [] => None,
            [(id, _)] => Some(*id),
            many => many
                .iter()
                .find(|(_, r)| *r == row as i64)
                .map(|(id, _)| *id)
                .filter(|id| !self.created.contains(id)),
        }
        .filter(|id| !self.created.contains(id)))
    }

    /// A temperature row that names a person by name alone (a round's sheet often does)
    /// belongs to the one person of that name under watch on its day; with two, the row
    /// needs an ID or phone.
    fn namesake_under_watch(
        &self,
        incoming: &CleanPerson,
        values: &Values,
    ) -> Result<Option<std::result::Result<i64, FieldProblem>>> {
        let by_name_alone = incoming.id_number.is_none()
            && incoming.phone.is_none()
            && incoming.birth_date.is_none();
        if self.target != Target::HealthChecks || !by_name_alone {
            return Ok(None);
        }
        let Some(day) = values.date("check_date").map(|d| d.to_string()) else {
            return Ok(None);
        };
        let ids = self.store.period_holders_named(&incoming.name, &day)?;
        Ok(match ids.as_slice() {
            [] => None,
            [id] => Some(Ok(*id)),
            _ => Some(Err(FieldProblem::error(
                "name",
                "namesake",
                format!(
                    "{day} 在管人员中有不止一位“{}”：请在表中加上身份证号或手机号",
                    incoming.name
                ),
            ))),
        })
    }

    /// An existing person with the sheet's values laid over theirs. A person already in a
    /// household stays there (a warning says when the sheet names another door); a person
    /// without one is placed at the sheet's door.
    #[allow(clippy::too_many_arguments)] // reason: the row's person, where they live, and the row
    fn update(
        &mut self,
        id: i64,
        incoming: CleanPerson,
        originals: Vec<(&'static str, String)>,
        key: Option<HouseKey>,
        places: &mut Places,
        place: Option<i64>,
        row: usize,
        batch: &dyn Fn() -> Result<i64>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let stored = self.store.person(id)?;
        let current = clean_of(&stored);
        let mut merged = merge(&current, &incoming);
        match (&key, stored.household_id) {
            (Some(key), Some(h)) => {
                if let HouseKey::Door(door) = key {
                    let s = self.store.household_summary(h)?;
                    if door_key(s.door_name.as_deref(), s.door_number.as_deref()) != door.key() {
                        problems.push(FieldProblem::warning(
                            "door_number",
                            "household_differs",
                            format!(
                                "台账中{}住在{}，表中为{}：未迁户。如确已搬家，请在户籍登记中迁户",
                                merged.name,
                                s.label(),
                                door.label()
                            ),
                        ));
                    }
                }
            }
            (Some(key), None) => {
                merged.household_id = self.household_for(places, key, place, batch, problems)?;
            }
            (None, _) => {}
        }
        let moved = merged.household_id != stored.household_id;
        if moved
            || (merged.relation_to_head.as_deref() == Some("户主")
                && current.relation_to_head.as_deref() != Some("户主"))
        {
            if let Some(h) = merged.household_id {
                self.check_head(h, &mut merged, problems)?;
            }
        }
        if merged == current {
            return Ok(Resolved::Kept {
                id,
                name: merged.name,
                household: merged.household_id,
                outcome: super::report::Outcome::Unchanged,
            });
        }
        if moved {
            self.store.log_change(
                Entity::Person,
                id,
                "迁户",
                Some(serde_json::json!({ "household_id": [stored.household_id, merged.household_id] })),
            )?;
            if let Some(h) = merged.household_id {
                self.note_member(h, &merged.name)?;
            }
        }
        self.store.write_person(&merged, batch()?)?;
        self.store.keep_originals(Entity::Person, id, &originals)?;
        self.store
            .add_record_source(batch()?, Entity::Person, id, &self.sheet, row)?;
        Ok(Resolved::Kept {
            id,
            name: merged.name,
            household: merged.household_id,
            outcome: if self.created.contains(&id) {
                super::report::Outcome::Unchanged
            } else {
                super::report::Outcome::Updated
            },
        })
    }

    /// What a row's household is known by: its door; on a roll, its 户主 (a 户主 column, or
    /// the head's own row); for a member listed under their head without either, the head's.
    fn key_of(&mut self, values: &Values, person: &CleanPerson) -> Option<HouseKey> {
        let door = Door::of(values);
        if !door.is_empty() {
            let key = HouseKey::Door(door);
            self.last_key = Some(key.clone());
            return Some(key);
        }
        if self.target != Target::Persons {
            self.last_key = None;
            return None;
        }
        let relation = person.relation_to_head.as_deref();
        let key = match values.text("head_name").map(|n| normalize_text(&n)) {
            Some(head) => Some(HouseKey::Head(head)),
            None if relation == Some("户主") => Some(HouseKey::Head(person.name.clone())),
            None if relation.is_some() => self.last_key.clone(),
            None => None,
        };
        self.last_key = key.clone();
        key
    }

    /// Counts a roll's members per family; a family ends when the next row is another's.
    fn note_family(
        &mut self,
        row: usize,
        key: &Option<HouseKey>,
        values: &Values,
        person: &CleanPerson,
    ) {
        let Some(key) = key else {
            self.end_family();
            return;
        };
        let declared = values.number("family_size").map(|n| n as i64);
        match &mut self.family {
            Some(f) if f.key == *key => {
                f.listed += 1;
                f.declared = f.declared.or(declared);
            }
            _ => {
                self.end_family();
                self.family = Some(Family {
                    key: key.clone(),
                    row,
                    name: person.name.clone(),
                    declared,
                    listed: 1,
                });
            }
        }
    }

    /// The family that ended: its 家庭总人口数 against the members the roll lists.
    pub fn end_family(&mut self) {
        let Some(f) = self.family.take() else { return };
        if let Some(declared) = f.declared.filter(|d| *d != f.listed) {
            self.late.push((
                f.row,
                f.name.clone(),
                FieldProblem::warning(
                    "family_size",
                    "family_size_differs",
                    format!(
                        "{}：表中写家庭总人口 {declared} 人，下面列出的成员是 {} 人，请核对是否漏登或多登",
                        f.key.label(),
                        f.listed
                    ),
                ),
            ));
        }
    }

    /// The household a row belongs to in its village: by door (any spelling of it), or on a
    /// roll by its 户主; a new one when the village has none. Without a place (several
    /// villages in the ledger and none named) the person stays unplaced, with a warning.
    fn household_for(
        &mut self,
        places: &mut Places,
        key: &HouseKey,
        place: Option<i64>,
        batch: &dyn Fn() -> Result<i64>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<i64>> {
        let Some(place) = place else {
            problems.push(FieldProblem::warning(
                "door_number",
                "village_unknown",
                format!(
                    "台账中有多个村（社区），这一行没有写所属村：{}暂未分户。请在表中加“所属村”一列，或导入时选择村（社区）",
                    key.label()
                ),
            ));
            return Ok(None);
        };
        let scope = places.village_of(place).unwrap_or(place);
        match key {
            HouseKey::Door(door) => {
                if !self.doors.contains_key(&scope) {
                    let mut index: HashMap<String, Vec<i64>> = HashMap::new();
                    for (id, name, number) in self.store.households_in(scope)? {
                        index
                            .entry(door_key(name.as_deref(), number.as_deref()))
                            .or_default()
                            .push(id);
                    }
                    self.doors.insert(scope, index);
                }
                let found = self.doors[&scope]
                    .get(&door.key())
                    .cloned()
                    .unwrap_or_default();
                match found.as_slice() {
                    [h] => Ok(Some(*h)),
                    [first, ..] => {
                        problems.push(FieldProblem::warning(
                            "door_number",
                            "door_ambiguous",
                            format!(
                                "{}在本村有 {} 户，已归入第一户（编号 {first}），请核对",
                                door.label(),
                                found.len()
                            ),
                        ));
                        Ok(Some(*first))
                    }
                    [] => {
                        if door.name.is_none() || door.number.is_none() {
                            problems.push(FieldProblem::warning(
                                "door_number",
                                "door_incomplete",
                                format!(
                                    "门牌“{}”不完整（缺门牌名或门牌号），已作为一户新建，请核对",
                                    door.label()
                                ),
                            ));
                        }
                        let h = self.new_household(
                            place,
                            door.name.clone(),
                            door.number.clone(),
                            batch,
                        )?;
                        if let Some(index) = self.doors.get_mut(&scope) {
                            index.entry(door.key()).or_default().push(h);
                        }
                        Ok(Some(h))
                    }
                }
            }
            HouseKey::Head(head) => {
                if let Some(h) = self.heads.get(&(scope, head.clone())) {
                    return Ok(Some(*h));
                }
                let h = match self.store.households_headed_by(scope, head)?.as_slice() {
                    [h] => *h,
                    [first, ..] => {
                        problems.push(FieldProblem::warning(
                            "head_name",
                            "door_ambiguous",
                            format!("本村有几户的户主叫{head}，已归入第一户（编号 {first}）：请在表中加上门牌，或核对"),
                        ));
                        *first
                    }
                    [] => self.new_household(place, None, None, batch)?,
                };
                self.heads.insert((scope, head.clone()), h);
                Ok(Some(h))
            }
        }
    }

    fn new_household(
        &mut self,
        place: i64,
        door_name: Option<String>,
        door_number: Option<String>,
        batch: &dyn Fn() -> Result<i64>,
    ) -> Result<i64> {
        let id = self.store.write_household(
            &CleanHousehold {
                id: None,
                place_id: place,
                door_name,
                door_number,
                address: None,
                housing_use: "自住".into(),
                tenant_name: None,
                tenant_phone: None,
                note: None,
            },
            batch()?,
        )?;
        self.new_households.insert(id);
        Ok(id)
    }

    /// A second head for a household is not taken: the person joins without that relation.
    fn check_head(
        &mut self,
        household: i64,
        person: &mut CleanPerson,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<()> {
        if person.relation_to_head.as_deref() != Some("户主") {
            return Ok(());
        }
        let existing = self
            .store
            .household_head(household)?
            .filter(|(id, _)| Some(*id) != person.id);
        if let Some((_, head)) = existing.filter(|(_, head)| *head != person.name) {
            problems.push(FieldProblem::warning(
                "relation_to_head",
                "second_head",
                format!("该户已有户主{head}，{}未记为户主（与户主关系留空）；如需更换户主，请在户籍登记中修改", person.name),
            ));
            person.relation_to_head = None;
        }
        Ok(())
    }

    /// Notes a member joining a household, for the before → after list.
    fn note_member(&mut self, household: i64, name: &str) -> Result<()> {
        if let Some((_, change)) = self.changes.iter_mut().find(|(h, _)| *h == household) {
            if !change.after.iter().any(|n| n == name) {
                change.after.push(name.to_string());
            }
            return Ok(());
        }
        if self.changes.len() >= PREVIEW_HOUSEHOLDS {
            return Ok(());
        }
        let s = self.store.household_summary(household)?;
        let mut before = self.store.household_member_names(household)?;
        before.retain(|n| n != name);
        let new_household = self.new_households.contains(&household);
        let mut after = before.clone();
        after.push(name.to_string());
        self.changes.push((
            household,
            HouseholdChange {
                label: s.label(),
                place: s.place_path.clone(),
                new_household,
                before,
                after,
            },
        ));
        Ok(())
    }
}

/// A stored person as the clean form a row is merged into.
fn clean_of(p: &Person) -> CleanPerson {
    let mut clean = CleanPerson::from(p);
    clean.tags.sort();
    clean
}

/// A sheet's values laid over a person: what the sheet gives replaces, what it leaves blank
/// keeps. The name, the document and the household stay the register's; a 居住状态 the sheet
/// only defaulted (常住) never overwrites one the register knows; tags add up.
fn merge(current: &CleanPerson, incoming: &CleanPerson) -> CleanPerson {
    let mut p = crate::model::overlay::overlaid(current, incoming);
    if p.id_number.is_none() && incoming.id_number.is_some() {
        p.id_number = incoming.id_number.clone();
        p.id_type = incoming.id_type.clone();
    }
    if incoming.residence_status != "常住" {
        p.residence_status = incoming.residence_status.clone();
    }
    for tag in &incoming.tags {
        if !p.tags.contains(tag) {
            p.tags.push(tag.clone());
        }
    }
    p.tags.sort();
    p
}
