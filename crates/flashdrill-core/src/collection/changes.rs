//! What an operation changed ([`Changes`]): screens redraw from it instead of re-reading
//! everything after every write.

use std::ops::{BitOr, BitOrAssign};

/// The kinds of data an operation changed. Screens keep what they show until an operation
/// reports a change of a kind they show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // a set of flags, one per kind of data
pub struct Changes {
    /// A card's stored progress or flags (suspended, buried, leech).
    pub cards: bool,
    /// The review log.
    pub reviews: bool,
    /// The loaded decks.
    pub decks: bool,
    /// The profile's settings (memory parameters included).
    pub settings: bool,
    /// Another profile was opened, or the open one renamed.
    pub profile: bool,
    /// A teacher's classes: their rosters, decks and settings.
    pub classes: bool,
}

impl Changes {
    /// Nothing changed.
    pub const NONE: Self = Self {
        cards: false,
        reviews: false,
        decks: false,
        settings: false,
        profile: false,
        classes: false,
    };
    pub const CARDS: Self = Self {
        cards: true,
        ..Self::NONE
    };
    pub const REVIEWS: Self = Self {
        reviews: true,
        ..Self::NONE
    };
    pub const DECKS: Self = Self {
        decks: true,
        ..Self::NONE
    };
    pub const SETTINGS: Self = Self {
        settings: true,
        ..Self::NONE
    };
    pub const PROFILE: Self = Self {
        profile: true,
        ..Self::NONE
    };
    pub const CLASSES: Self = Self {
        classes: true,
        ..Self::NONE
    };
    /// An answer: the log and (in srs) the card.
    pub const ANSWER: Self = Self {
        cards: true,
        reviews: true,
        ..Self::NONE
    };
    /// Everything (a profile opened, an import).
    pub const ALL: Self = Self {
        cards: true,
        reviews: true,
        decks: true,
        settings: true,
        profile: true,
        classes: true,
    };

    /// Whether anything changed.
    #[must_use]
    pub const fn any(self) -> bool {
        self.cards || self.reviews || self.decks || self.settings || self.profile || self.classes
    }

    /// Whether any kind in `shown` changed: a screen showing those kinds reads them again.
    #[must_use]
    pub const fn touches(self, shown: Self) -> bool {
        (self.cards && shown.cards)
            || (self.reviews && shown.reviews)
            || (self.decks && shown.decks)
            || (self.settings && shown.settings)
            || (self.profile && shown.profile)
            || (self.classes && shown.classes)
    }
}

impl BitOr for Changes {
    type Output = Self;

    fn bitor(self, o: Self) -> Self {
        Self {
            cards: self.cards || o.cards,
            reviews: self.reviews || o.reviews,
            decks: self.decks || o.decks,
            settings: self.settings || o.settings,
            profile: self.profile || o.profile,
            classes: self.classes || o.classes,
        }
    }
}

impl BitOrAssign for Changes {
    fn bitor_assign(&mut self, o: Self) {
        *self = *self | o;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_and_touches() {
        let c = Changes::CARDS | Changes::SETTINGS;
        assert!(c.any());
        assert!(c.touches(Changes::CARDS));
        assert!(!c.touches(Changes::DECKS | Changes::REVIEWS));
        assert!(!Changes::NONE.any());
        assert_eq!(Changes::ANSWER, Changes::CARDS | Changes::REVIEWS);
        let mut all = Changes::NONE;
        all |= Changes::ALL;
        assert!(all.touches(Changes::PROFILE));
        assert!(all.touches(Changes::CLASSES));
        assert!(!Changes::CARDS.touches(Changes::CLASSES));
    }
}
