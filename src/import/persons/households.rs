//! The household of a sheet's row. Households come from doors (门牌名 + 门牌号, or
//! 楼栋 + 单元 + 房间, each written any of the usual ways: 东街８号 = 东街8 = 东 街 8 号) and, on a
//! household roll, from 户主 and 与户主关系: a member listed under their head joins the head's
//! household, and 家庭总人口数 is checked against the members listed. The households touched
//! are noted for the preview (before → after).

use std::collections::HashMap;

use super::Persons;
use crate::error::Result;
use crate::import::places::Places;
use crate::import::report::HouseholdChange;
use crate::import::target::Target;
use crate::model::input::Values;
use crate::model::place_names::{arabic_numbers, canonical};
use crate::model::{CleanHousehold, CleanPerson};
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
pub(super) struct Family {
    key: HouseKey,
    row: usize,
    name: String,
    declared: Option<i64>,
    listed: i64,
}

impl Persons<'_> {
    /// What a row's household is known by: its door; on a roll, its 户主 (a 户主 column, or
    /// the head's own row); for a member listed under their head without either, the head's.
    pub(super) fn key_of(&mut self, values: &Values, person: &CleanPerson) -> Option<HouseKey> {
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

    /// A member of a roll (子, 配偶 …) whose household the rows above do not give: their
    /// 户主's row was refused, or a blank row stands between. They are registered unplaced,
    /// and the clerk is told so, never left to find it out.
    pub(super) fn warn_unplaced_member(
        &self,
        person: &CleanPerson,
        problems: &mut Vec<FieldProblem>,
    ) {
        let Some(relation) = person.relation_to_head.as_deref() else {
            return;
        };
        if self.target != Target::Persons || relation == "户主" {
            return;
        }
        problems.push(FieldProblem::warning(
            "relation_to_head",
            "household_unknown",
            format!(
                "与户主关系是“{relation}”，但上面没有能认出的户主行（户主那一行有错未导入，或中间隔着空行）：{}暂未分户。请改正户主那一行后重新导入，或在表中加上门牌或户主姓名",
                person.name
            ),
        ));
    }

    /// Counts a roll's members per family; a family ends when the next row is another's.
    pub(super) fn note_family(
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
    pub(super) fn household_for(
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
    pub(super) fn check_head(
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
    pub(super) fn note_member(&mut self, household: i64, name: &str) -> Result<()> {
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
