//! A record given again laid over the one the ledger has: every value the new one gives
//! replaces the ledger's, what it leaves empty (`None`) keeps the ledger's, and the fields a
//! record never takes from a sheet (its id, owner, stamps) stay as they are. A later sheet that
//! knows the 车次 fills it in; a second import of the same sheet changes nothing.
//!
//! Each record lists its fields once, next to its definition, through [`overlay_fields!`]:
//! the list destructures the record without `..`, so a field added to the struct and not to
//! the list does not compile.

/// A record that can take another's values.
pub trait Overlay {
    /// Lays `over` on `self`; true when anything changed.
    fn overlay(&mut self, over: &Self) -> bool;
}

/// One field laid over another.
pub trait Lay {
    /// Takes `over`'s value if it gives one and it differs; true when it did.
    fn lay(&mut self, over: &Self) -> bool;
}

impl<T: Clone + PartialEq> Lay for Option<T> {
    fn lay(&mut self, over: &Self) -> bool {
        match over {
            Some(value) if self.as_ref() != Some(value) => {
                *self = Some(value.clone());
                true
            }
            _ => false,
        }
    }
}

macro_rules! lay_always {
    ($($ty:ty),*) => {$(
        impl Lay for $ty {
            fn lay(&mut self, over: &Self) -> bool {
                if self == over {
                    return false;
                }
                self.clone_from(over);
                true
            }
        }
    )*};
}
lay_always!(String, i64, f64, bool);

/// Implements [`Overlay`] for a record: `keep` names the fields a record given again never
/// changes, `fields` every other field.
macro_rules! overlay_fields {
    ($ty:ident { keep: [$($keep:ident),* $(,)?], fields: [$($field:ident),* $(,)?] }) => {
        impl $crate::model::overlay::Overlay for $ty {
            fn overlay(&mut self, over: &Self) -> bool {
                use $crate::model::overlay::Lay;
                let $ty { $($keep: _,)* $($field,)* } = over;
                let mut changed = false;
                $(changed |= self.$field.lay($field);)*
                changed
            }
        }
    };
}
pub(crate) use overlay_fields;

/// `over` laid on a copy of `base`.
pub fn overlaid<T: Overlay + Clone>(base: &T, over: &T) -> T {
    let mut merged = base.clone();
    merged.overlay(over);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::records::Arrival;

    #[test]
    fn given_values_replace_and_missing_ones_keep() {
        let base = Arrival {
            id: 7,
            person_id: 3,
            kind: "返乡".into(),
            arrival_date: "2026-11-20".into(),
            transport_no: Some("G123".into()),
            route: Some("长沙".into()),
            ..Default::default()
        };
        let over = Arrival {
            id: 0,
            person_id: 9,
            kind: "返乡".into(),
            arrival_date: "2026-11-20".into(),
            transport_no: Some("G456".into()),
            route: None,
            reason: Some("探亲".into()),
            ..Default::default()
        };
        let mut merged = base.clone();
        assert!(merged.overlay(&over));
        assert_eq!((merged.id, merged.person_id), (7, 3), "id and owner kept");
        assert_eq!(merged.transport_no.as_deref(), Some("G456"));
        assert_eq!(
            merged.route.as_deref(),
            Some("长沙"),
            "an empty value keeps"
        );
        assert_eq!(merged.reason.as_deref(), Some("探亲"));
        let again = merged.clone();
        assert!(
            !merged.overlay(&again),
            "the same record again changes nothing"
        );
        assert_eq!(merged, again);
    }
}
