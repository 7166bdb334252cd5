//! Where a sheet's rows belong. A row names its place in 乡镇/村/网格/联户组 columns, or as a
//! whole path in one cell (居仁街道北羊村第1网格), written any of the ways villages write
//! numbered places (第1网格 = 第一网格, never 第11网格). Each name is found among the ledger's
//! places under the one above it; a place the ledger lacks is created when the user
//! confirmed it (all, or one by one), and otherwise the row is refused and the place listed,
//! with its true row count and the nearest place the ledger has.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::error::Result;
use crate::model::input::Values;
use crate::model::place_names::{
    arabic_numbers, level_of, name_and_code, split_path, Found, PlaceBook,
};
use crate::model::PlaceInput;
use crate::store::Store;
use crate::validate::FieldProblem;

/// The levels a row can name, in order, with the field each is read from.
const LEVELS: [(&str, &str); 4] = [
    ("township", "乡镇"),
    ("village", "村"),
    ("grid", "网格"),
    ("group", "联户组"),
];

/// Which places the import may create.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Create {
    #[default]
    None,
    All,
    /// Only these paths (青山镇/石桥村/第3网格) and what lies on the way to them.
    Only(Vec<String>),
}

/// A place a row names that the ledger does not have.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnknownPlace {
    /// The path as the sheet names it: 青山镇/石桥材/第1网格.
    pub path: String,
    pub level: String,
    pub name: String,
    /// Rows that name it.
    pub rows: usize,
    /// The ledger's nearest place of that level (石桥材 → 石桥村), to offer instead.
    pub suggestion: Option<String>,
    pub suggestion_id: Option<i64>,
}

/// A place the import created.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CreatedPlace {
    pub path: String,
    /// The path as the sheet wrote it (青山镇/石桥村/第十一网格), as the preview listed it
    /// among the places to confirm.
    pub requested: String,
    pub level: String,
    pub name: String,
    /// Rows placed in it or under it.
    pub rows: usize,
}

/// The names a row gives, level by level (None where it names none).
type Named = [Option<String>; 4];

/// Where a row's place cells lead: the place (None: no place), or the path the ledger lacks
/// with why, and the field to name in a problem.
#[derive(Clone)]
enum Placed {
    Found(Option<i64>),
    Unknown {
        path: String,
        message: String,
        field: &'static str,
    },
}

pub struct Places<'a> {
    store: &'a Store,
    pub book: PlaceBook,
    /// The place of rows that name none: the file's, or the ledger's only village.
    pub default: Option<i64>,
    create: Create,
    /// Names the user said are places the ledger has (石桥材 is 石桥村).
    aliases: BTreeMap<String, i64>,
    /// What each row's place cells (as written) came to: a county sheet names a few
    /// thousand places over a hundred thousand rows.
    cache: HashMap<Named, Placed>,
    unknown: BTreeMap<String, UnknownPlace>,
    created: BTreeMap<i64, CreatedPlace>,
}

impl<'a> Places<'a> {
    pub fn new(
        store: &'a Store,
        file_place: Option<i64>,
        create: Create,
        aliases: BTreeMap<String, i64>,
    ) -> Result<Places<'a>> {
        let book = PlaceBook::new(store.places()?);
        let villages: Vec<i64> = book
            .all()
            .iter()
            .filter(|p| p.level == "村")
            .map(|p| p.id)
            .collect();
        let only_village = (villages.len() == 1).then(|| villages[0]);
        Ok(Places {
            store,
            book,
            default: file_place.or(only_village),
            create,
            aliases,
            cache: HashMap::new(),
            unknown: BTreeMap::new(),
            created: BTreeMap::new(),
        })
    }

    /// The place of a row: the places its own columns name, else the file's place, else the
    /// ledger's only village (never the first of several villages by default).
    pub fn of_row(
        &mut self,
        values: &Values,
    ) -> Result<std::result::Result<Option<i64>, FieldProblem>> {
        let written: Named = std::array::from_fn(|i| values.text(LEVELS[i].0));
        if written.iter().all(Option::is_none) {
            return Ok(Ok(self.default));
        }
        let placed = match self.cache.get(&written) {
            Some(hit) => hit.clone(),
            None => {
                let named = named(&written);
                let placed = if named.iter().all(Option::is_none) {
                    Placed::Found(self.default)
                } else {
                    match self.resolve(&named)? {
                        Ok(place) => Placed::Found(place),
                        Err((path, message)) => Placed::Unknown {
                            path,
                            message,
                            field: field_of(&named),
                        },
                    }
                };
                self.cache.insert(written, placed.clone());
                placed
            }
        };
        Ok(match placed {
            Placed::Found(place) => {
                if let Some(place) = place {
                    self.count_created(place);
                }
                Ok(place)
            }
            Placed::Unknown {
                path,
                message,
                field,
            } => {
                if let Some(u) = self.unknown.get_mut(&path) {
                    u.rows += 1;
                }
                Err(FieldProblem::error(field, "place_unknown", message))
            }
        })
    }

    /// Finds (or, when confirmed, creates) the 乡镇 → 村 → 网格 → 联户组 a row names. A level
    /// the ledger does not keep (villages with no township above them) is stepped over
    /// when the next level is found.
    fn resolve(
        &mut self,
        named: &Named,
    ) -> Result<std::result::Result<Option<i64>, (String, String)>> {
        let first_named = named.iter().position(Option::is_some).unwrap_or(0);
        // Start from the file's place when the row names only levels below it.
        let mut current = self.default.filter(|d| {
            self.book
                .get(*d)
                .and_then(|p| LEVELS.iter().position(|(_, l)| *l == p.level))
                .is_some_and(|rank| rank < first_named)
        });
        let mut path: Vec<String> = match current.and_then(|c| self.book.get(c)) {
            Some(p) => vec![p.path.clone()],
            None => Vec::new(),
        };
        for (i, name) in named.iter().enumerate() {
            let Some(name) = name else { continue };
            let level = LEVELS[i].1;
            path.push(name.clone());
            // The clerk's word for a misspelt place: by its path as listed, or its name.
            let found = match self
                .aliases
                .get(&path.join("/"))
                .or_else(|| self.aliases.get(name))
            {
                Some(id) => Found::One(*id),
                None => self.book.find(Some(level), name, current),
            };
            match found {
                Found::One(id) => current = Some(id),
                Found::Many(_) => {
                    return Ok(Err((
                        path.join("/"),
                        format!("台账中有几个叫“{name}”的{level}，无法确定是哪一个：请在表中加上所属乡镇（或村）一列，或导入时选择村（社区）"),
                    )))
                }
                Found::None => {
                    // The ledger keeps no such level here, but knows the next one.
                    let next = named[i + 1..].iter().position(Option::is_some).map(|j| i + 1 + j);
                    if let Some(j) = next {
                        let next_name = named[j].as_deref().unwrap_or_default();
                        // Only where the ledger keeps no place of this level above it
                        // (石桥村 at the top, named under 青山镇): never into another
                        // village's grid of the same number.
                        if let Found::One(id) = self.book.find(Some(LEVELS[j].1), next_name, None) {
                            if current.is_none_or(|c| self.book.is_under(id, c))
                                && self.book.ancestor_at(id, level).is_none()
                            {
                                path.pop();
                                continue;
                            }
                        }
                    }
                    let whole = path.join("/");
                    if !self.may_create(&whole) {
                        let suggestion = self.book.suggest(level, name).cloned();
                        let message = format!(
                            "{level}“{name}”不在台账中{}：请先在户籍登记中建立它（或核对名称），或导入时确认新建表中的地点",
                            suggestion
                                .as_ref()
                                .map(|s| format!("（是否为“{}”？）", s.path))
                                .unwrap_or_default()
                        );
                        self.unknown.entry(whole.clone()).or_insert(UnknownPlace {
                            path: whole.clone(),
                            level: level.to_string(),
                            name: name.clone(),
                            rows: 0,
                            suggestion: suggestion.as_ref().map(|s| s.path.clone()),
                            suggestion_id: suggestion.map(|s| s.id),
                        });
                        return Ok(Err((whole, message)));
                    }
                    let (bare, code) = name_and_code(name);
                    // A numbered grid or group is kept with Arabic numbers (第十一网格 →
                    // 第11网格), as most sheets write it; a village's or township's name is
                    // its name (东一村 stays 东一村).
                    let bare = if level == "网格" || level == "联户组" {
                        arabic_numbers(&bare)
                    } else {
                        bare
                    };
                    let place = self.store.add_place(&PlaceInput {
                        parent_id: current,
                        level: level.to_string(),
                        name: bare.clone(),
                        code: code.unwrap_or_default(),
                        ..Default::default()
                    })?;
                    self.created.insert(
                        place.id,
                        CreatedPlace {
                            path: place.path.clone(),
                            requested: whole.clone(),
                            level: level.to_string(),
                            name: bare,
                            rows: 0,
                        },
                    );
                    current = Some(place.id);
                    self.book.add(place);
                }
            }
        }
        Ok(Ok(current))
    }

    fn may_create(&self, path: &str) -> bool {
        match &self.create {
            Create::None => false,
            Create::All => true,
            Create::Only(paths) => paths
                .iter()
                .any(|p| p == path || p.starts_with(&format!("{path}/"))),
        }
    }

    fn count_created(&mut self, place: i64) {
        let mut current = Some(place);
        while let Some(id) = current {
            if let Some(c) = self.created.get_mut(&id) {
                c.rows += 1;
            }
            current = self.book.get(id).and_then(|p| p.parent_id);
        }
    }

    /// The village a place lies in (itself when it is one).
    pub fn village_of(&self, place: i64) -> Option<i64> {
        self.book.ancestor_at(place, "村")
    }

    /// The places rows named that the ledger lacks, by path.
    pub fn unknown(&self) -> Vec<UnknownPlace> {
        self.unknown.values().cloned().collect()
    }

    /// The places the import created, in path order.
    pub fn created(&self) -> Vec<CreatedPlace> {
        let mut all: Vec<CreatedPlace> = self.created.values().cloned().collect();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all
    }
}

/// The place names a row gives, each at its level. A cell holding a whole path gives every
/// level it names (a 网格 column reading 北羊村第1网格 names the village too); a later
/// column's name for a level wins over a path's.
fn named(written: &Named) -> Named {
    let mut named: Named = Default::default();
    for (i, text) in written.iter().enumerate() {
        let Some(text) = text else {
            continue;
        };
        let parts = split_path(text);
        if parts.len() == 1 {
            named[i] = Some(parts[0].1.clone());
            continue;
        }
        for (level, name) in parts {
            let at = level
                .or_else(|| level_of(&name))
                .and_then(|l| LEVELS.iter().position(|(_, x)| *x == l))
                .unwrap_or(i);
            if named[at].is_none() || at == i {
                named[at] = Some(name);
            }
        }
    }
    named
}

fn field_of(named: &Named) -> &'static str {
    LEVELS
        .iter()
        .zip(named)
        .filter(|(_, n)| n.is_some())
        .map(|((k, _), _)| *k)
        .next_back()
        .unwrap_or("village")
}
