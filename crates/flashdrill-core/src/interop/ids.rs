//! Stable ids for imported decks and cards.

/// 64-bit FNV-1a: a fixed hash (unlike std's, the same in every build and run).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The flashdrill card id of card `ord` (Anki's template ordinal, or cloze number − 1) of the
/// note with `guid`: `a<16 hex digits>-<ord + 1>`. The same note always gives the same ids, so
/// importing a package again updates its cards in place.
#[must_use]
pub fn anki_card_id(guid: &str, ord: u32) -> String {
    format!("a{:016x}-{}", fnv1a(guid.as_bytes()), ord + 1)
}

/// A card id for a text row without a guid, from its first field: `t<16 hex digits>-<n>`.
#[must_use]
pub fn text_card_id(key: &str, n: u32) -> String {
    format!("t{:016x}-{n}", fnv1a(key.as_bytes()))
}

/// A deck id (slug) for a deck name: lowercase ASCII letters and digits, other runs as `-`;
/// `Japanese::Verbs` → `japanese-verbs`. A name with no such characters gets
/// `deck-<8 hex digits>` from its hash.
#[must_use]
pub fn deck_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ö' | 'Ó' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ü' | 'Ú' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(60);
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        format!("deck-{:08x}", fnv1a(name.as_bytes()) >> 32)
    } else {
        slug
    }
}

/// An Anki deck name (`A::B`, or `A\x1fB` in schema 18) as a title: `A — B`.
#[must_use]
pub fn deck_title(name: &str) -> String {
    let parts: Vec<&str> = name
        .split(['\u{1f}'])
        .flat_map(|p| p.split("::"))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        "Imported deck".to_owned()
    } else {
        parts.join(" — ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::is_slug;

    #[test]
    fn ids_are_stable_slugs() {
        let id = anki_card_id("f]Xq<9Lb%z", 0);
        assert_eq!(id, anki_card_id("f]Xq<9Lb%z", 0));
        assert_ne!(
            id,
            anki_card_id("F]Xq<9Lb%z", 0),
            "guids are case-sensitive"
        );
        assert!(id.ends_with("-1") && is_slug(&id), "{id}");
        assert!(is_slug(&text_card_id("Hello", 2)));
        assert_eq!(deck_slug("Japanese::Verbs (N5)"), "japanese-verbs-n5");
        assert_eq!(deck_slug("Français"), "francais");
        assert!(deck_slug("日本語").starts_with("deck-"));
        assert!(is_slug(&deck_slug("日本語")));
        assert_eq!(deck_title("Capitals::Europe"), "Capitals — Europe");
        assert_eq!(deck_title("Capitals\u{1f}Europe"), "Capitals — Europe");
    }
}
