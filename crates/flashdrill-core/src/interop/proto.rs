//! The few protobuf messages of Anki packages that an import reads, as `prost` messages: the
//! `meta` entry's package version, the `media` list and a note type's kind. Only the fields
//! named here are declared; the others are skipped. Bytes that are not such a message give a
//! [`DecodeError`] saying what is wrong, never a panic.

pub use prost::DecodeError;
use prost::Message;

/// `PackageMetadata { Version version = 1; }`: the `meta` entry of a package.
#[derive(Clone, PartialEq, Message)]
pub struct PackageMetadata {
    /// 0 or 1: the first legacy layout; 2: the second; 3: the latest (zstd, protobuf media).
    #[prost(uint64, tag = "1")]
    pub version: u64,
}

/// `NotetypeConfig { Kind kind = 1; … }`: a note type's settings in a schema-18 collection.
#[derive(Clone, PartialEq, Message)]
pub struct NotetypeConfig {
    /// [`NotetypeConfig::NORMAL`] or [`NotetypeConfig::CLOZE`].
    #[prost(int32, tag = "1")]
    pub kind: i32,
}

impl NotetypeConfig {
    /// The kind of a note type whose cards show one side, then the other.
    pub const NORMAL: i32 = 0;
    /// The kind of a cloze note type.
    pub const CLOZE: i32 = 1;
}

/// `MediaEntries { repeated MediaEntry entries = 1; }`: the `media` entry of the latest layout.
#[derive(Clone, PartialEq, Message)]
pub struct MediaEntries {
    /// One entry per media file, in zip-entry order.
    #[prost(message, repeated, tag = "1")]
    pub entries: Vec<MediaEntryMessage>,
}

/// `MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3;
/// optional uint32 legacy_zip_filename = 255; }`.
#[derive(Clone, PartialEq, Message)]
pub struct MediaEntryMessage {
    /// The file's name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// The file's size in bytes.
    #[prost(uint32, tag = "2")]
    pub size: u32,
    /// The SHA-1 of the file's bytes.
    #[prost(bytes = "vec", tag = "3")]
    pub sha1: Vec<u8>,
    /// The zip entry holding the file, when it is not the entry's position in the list.
    #[prost(uint32, optional, tag = "255")]
    pub legacy_zip_filename: Option<u32>,
}

/// The version a package's `meta` entry gives (0 when it gives none, as protobuf defaults it).
pub fn package_version(bytes: &[u8]) -> Result<u64, DecodeError> {
    Ok(PackageMetadata::decode(bytes)?.version)
}

/// Whether a schema-18 note type's config (the `notetypes.config` column) is a cloze type.
pub fn is_cloze_notetype(config: &[u8]) -> Result<bool, DecodeError> {
    Ok(NotetypeConfig::decode(config)?.kind == NotetypeConfig::CLOZE)
}

/// One entry of the current media list: the file's name and the zip entry holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaEntry {
    /// The file's name.
    pub name: String,
    /// The name of the zip entry holding the file's bytes.
    pub zip_name: String,
}

/// The media list of the latest layout. Entry `i` is in zip entry `i` unless it names another.
pub fn media_entries(bytes: &[u8]) -> Result<Vec<MediaEntry>, DecodeError> {
    let list = MediaEntries::decode(bytes)?;
    Ok(list
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| MediaEntry {
            name: e.name,
            zip_name: e
                .legacy_zip_filename
                .map_or_else(|| i.to_string(), |n| n.to_string()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, legacy: Option<u32>) -> MediaEntryMessage {
        MediaEntryMessage {
            name: name.to_owned(),
            size: 5,
            sha1: Vec::new(),
            legacy_zip_filename: legacy,
        }
    }

    #[test]
    fn decodes_meta_note_types_and_media_entries() {
        assert_eq!(package_version(&[0x08, 0x03]), Ok(3));
        assert_eq!(package_version(&[]), Ok(0));
        // Fields this module does not declare are skipped.
        assert_eq!(package_version(&[0x08, 0x02, 0x12, 0x01, 0x78]), Ok(2));
        assert_eq!(is_cloze_notetype(&[0x08, 0x01]), Ok(true));
        assert_eq!(is_cloze_notetype(&[0x08, 0x00, 0x18, 0x07]), Ok(false));
        assert_eq!(is_cloze_notetype(&[]), Ok(false));

        let bytes = MediaEntries {
            entries: vec![entry("a.jpg", None), entry("b c.png", Some(7))],
        }
        .encode_to_vec();
        // The hand-written encoding of the first entry: name, then size.
        assert_eq!(&bytes[..11], b"\x0a\x09\x0a\x05a.jpg\x10\x05");
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
    fn bad_bytes_are_an_error_never_a_panic() {
        for bad in [
            &[0x0a, 0x05, 0x01][..],
            &[0xff; 11][..],
            &[0x0b][..],
            &[0x0a, 0x02, 0x0a, 0x09][..],
            // A name that is not UTF-8.
            &[0x0a, 0x03, 0x0a, 0x01, 0xff][..],
        ] {
            assert!(media_entries(bad).is_err(), "{bad:?}");
        }
        assert!(package_version(&[0x08]).is_err());
        assert!(
            package_version(&[0x0a, 0x01, 0x00]).is_err(),
            "wrong wire type"
        );
        let message = is_cloze_notetype(&[0x08, 0xff]).unwrap_err().to_string();
        assert!(!message.is_empty());
    }
}
