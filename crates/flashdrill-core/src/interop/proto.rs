//! The few protobuf messages of Anki packages, decoded by hand: `meta`'s version, the media
//! list and a note type's kind. Only varint and length-delimited fields are read; the others
//! are skipped. Never panics on bad bytes: it returns `None`.

/// One field of a message: its number and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// Reads a varint at `*pos`, moving `*pos` past it.
fn varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Every field of a message, in order; `None` when the bytes are not a message.
#[must_use]
pub fn fields(bytes: &[u8]) -> Option<Vec<(u64, Value<'_>)>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let key = varint(bytes, &mut pos)?;
        let (number, wire) = (key >> 3, key & 7);
        let value = match wire {
            0 => Value::Varint(varint(bytes, &mut pos)?),
            1 => {
                pos = pos.checked_add(8).filter(|&p| p <= bytes.len())?;
                Value::Fixed
            }
            2 => {
                let len = usize::try_from(varint(bytes, &mut pos)?).ok()?;
                let end = pos.checked_add(len).filter(|&e| e <= bytes.len())?;
                let v = Value::Bytes(&bytes[pos..end]);
                pos = end;
                v
            }
            5 => {
                pos = pos.checked_add(4).filter(|&p| p <= bytes.len())?;
                Value::Fixed
            }
            _ => return None,
        };
        out.push((number, value));
    }
    Some(out)
}

/// The first varint field `number` of a message (0 when absent, as protobuf defaults it).
#[must_use]
pub fn varint_field(bytes: &[u8], number: u64) -> Option<u64> {
    Some(
        fields(bytes)?
            .into_iter()
            .find_map(|(n, v)| match v {
                Value::Varint(x) if n == number => Some(x),
                _ => None,
            })
            .unwrap_or(0),
    )
}

/// One entry of the current media list: the file's name and the zip entry holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaEntry {
    pub name: String,
    pub zip_name: String,
}

/// Decodes `MediaEntries { repeated MediaEntry entries = 1; }` with
/// `MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3;
/// optional uint32 legacy_zip_filename = 255; }`. Entry `i` is in zip entry `i` unless it
/// names another.
#[must_use]
pub fn media_entries(bytes: &[u8]) -> Option<Vec<MediaEntry>> {
    let mut out = Vec::new();
    for (number, value) in fields(bytes)? {
        let (1, Value::Bytes(entry)) = (number, value) else {
            continue;
        };
        let mut name = None;
        let mut zip_name = out.len().to_string();
        for (n, v) in fields(entry)? {
            match (n, v) {
                (1, Value::Bytes(b)) => name = Some(String::from_utf8(b.to_vec()).ok()?),
                (255, Value::Varint(x)) => zip_name = x.to_string(),
                _ => {}
            }
        }
        out.push(MediaEntry {
            name: name.unwrap_or_default(),
            zip_name,
        });
    }
    Some(out)
}

/// Encodes a varint (for tests and the exporter).
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, legacy: Option<u64>) -> Vec<u8> {
        let mut e = vec![0x0a];
        put_varint(&mut e, name.len() as u64);
        e.extend_from_slice(name.as_bytes());
        e.extend_from_slice(&[0x10, 0x05]);
        if let Some(l) = legacy {
            put_varint(&mut e, 255 << 3);
            put_varint(&mut e, l);
        }
        let mut m = vec![0x0a];
        put_varint(&mut m, e.len() as u64);
        m.extend(e);
        m
    }

    #[test]
    fn decodes_meta_and_media_entries() {
        assert_eq!(varint_field(&[0x08, 0x03], 1), Some(3));
        assert_eq!(varint_field(&[], 1), Some(0));
        let mut bytes = entry("a.jpg", None);
        bytes.extend(entry("b c.png", Some(7)));
        assert_eq!(
            media_entries(&bytes).unwrap(),
            [
                MediaEntry {
                    name: "a.jpg".into(),
                    zip_name: "0".into()
                },
                MediaEntry {
                    name: "b c.png".into(),
                    zip_name: "7".into()
                }
            ]
        );
    }

    #[test]
    fn bad_bytes_are_none_never_a_panic() {
        assert_eq!(fields(&[0x0a, 0x05, 0x01]), None);
        assert_eq!(fields(&[0xff; 11]), None);
        assert_eq!(fields(&[0x0b]), None);
        assert_eq!(media_entries(&[0x0a, 0x02, 0x0a, 0x09]), None);
    }
}
