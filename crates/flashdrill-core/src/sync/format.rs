//! The files in the sync folder: a fixed header (magic, format version, length, CRC-32), then
//! a zstd frame (with its own content checksum) of JSON.
//!
//! ```text
//! 0   16  magic "FLASHDRILL-SYNC\n"
//! 16   4  format version, little-endian u32 (1)
//! 20   8  length of the zstd frame that follows, little-endian u64
//! 28   4  CRC-32 of that frame, little-endian u32
//! 32   …  the zstd frame: JSON of a [`SegmentBody`] or an [`ItemsBody`]
//! ```
//!
//! A file shorter or longer than its header says, or whose frame does not match its CRC, is
//! one the sync tool has not finished copying ([`ReadError::Incomplete`]): it is skipped and
//! read again at the next sync, never half-read.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The magic bytes every sync file starts with.
pub const MAGIC: &[u8; 16] = b"FLASHDRILL-SYNC\n";
/// The format version this flashdrill writes and reads.
pub const VERSION: u32 = 1;
/// The format name in `device.json` and in every body.
pub const FORMAT: &str = "flashdrill-sync/1";
const HEADER: usize = 32;

/// A hybrid logical clock stamp: wall time (ms), a counter for changes within one ms (or
/// made while this computer's clock is behind one it has seen), and the device that made it.
/// Stamps compare in that order, so any two are ordered and every computer orders them alike.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub wall: i64,
    pub counter: u32,
    pub device: String,
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.wall, self.counter, self.device)
    }
}

impl Stamp {
    /// Reads a stamp written by its `Display` form.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, ':');
        Some(Self {
            wall: parts.next()?.parse().ok()?,
            counter: parts.next()?.parse().ok()?,
            device: parts.next()?.to_owned(),
        })
    }
}

/// One last-writer-wins item: a key (`setting:<key>`, `card:<deck>\u{1f}<card>`,
/// `deck:<id>`), its value (`None`: deleted), the stamp of the change, and the stamp of the
/// version the change was made on (to tell an edit of the other side's version from an edit
/// made at the same time as it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub key: String,
    pub value: Option<String>,
    pub stamp: Stamp,
    #[serde(default)]
    pub base: Option<Stamp>,
}

/// One review in a segment: id, index into [`SegmentBody::cards`], its packed rating, mode
/// and correctness (bits 0–6 of the store's `kind`), response time, the answer given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireReview(pub i64, pub u32, pub i64, pub u64, pub Option<String>);

/// A review segment: reviews made on one device since its previous segment, and the reviews
/// it took back (undo) after they had been written to an earlier segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentBody {
    pub format: String,
    pub device: String,
    /// (deck id, card id) of the reviews' cards.
    pub cards: Vec<(String, String)>,
    pub reviews: Vec<WireReview>,
    #[serde(default)]
    pub retractions: Vec<i64>,
}

/// A device's items file: every item it knows, with the stamps it knows them by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsBody {
    pub format: String,
    pub device: String,
    pub items: Vec<Item>,
}

/// `device.json`: who writes a device directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFile {
    pub format: String,
    pub device: String,
    pub name: String,
}

/// Why a sync file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Shorter or longer than its header says, or its bytes do not match the CRC: the sync tool
    /// is still copying it (or it was damaged in transit). Tried again at the next sync.
    Incomplete(String),
    /// Written by a newer flashdrill.
    TooNew(u32),
    /// Not a sync file, or its contents do not read.
    Corrupt(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Incomplete(why) => write!(
                f,
                "not complete yet ({why}): the sync tool may still be copying it; it is read at the next sync"
            ),
            Self::TooNew(v) => write!(
                f,
                "written by a newer flashdrill (sync format {v}, this one reads {VERSION}); update flashdrill on this computer"
            ),
            Self::Corrupt(why) => write!(
                f,
                "damaged ({why}); it is skipped: sync again on the computer that wrote it"
            ),
        }
    }
}

/// The bytes of a sync file holding `body`.
pub fn encode<T: Serialize>(body: &T) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec(body).map_err(std::io::Error::other)?;
    let mut enc = zstd::stream::Encoder::new(Vec::with_capacity(json.len() / 4 + 64), 3)?;
    enc.include_checksum(true)?;
    std::io::Write::write_all(&mut enc, &json)?;
    let frame = enc.finish()?;
    let mut out = Vec::with_capacity(HEADER + frame.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(frame.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&frame).to_le_bytes());
    out.extend_from_slice(&frame);
    Ok(out)
}

/// The header's frame length and CRC: what identifies a file's contents without reading it.
#[must_use]
pub fn header_mark(bytes: &[u8]) -> Option<String> {
    let len = u64::from_le_bytes(bytes.get(20..28)?.try_into().ok()?);
    let crc = u32::from_le_bytes(bytes.get(28..32)?.try_into().ok()?);
    Some(format!("{len}:{crc:08x}"))
}

/// Reads a sync file's body from its bytes, checking the header first.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ReadError> {
    if bytes.len() < HEADER {
        return if MAGIC.starts_with(&bytes[..bytes.len().min(16)]) {
            Err(ReadError::Incomplete(format!("{} bytes", bytes.len())))
        } else {
            Err(ReadError::Corrupt("not a flashdrill sync file".to_owned()))
        };
    }
    if &bytes[..16] != MAGIC {
        return Err(ReadError::Corrupt("not a flashdrill sync file".to_owned()));
    }
    let version = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    if version > VERSION {
        return Err(ReadError::TooNew(version));
    }
    if version == 0 {
        return Err(ReadError::Corrupt("format version 0".to_owned()));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[20..28]);
    let len = u64::from_le_bytes(len);
    let have = (bytes.len() - HEADER) as u64;
    if have != len {
        return Err(ReadError::Incomplete(format!(
            "{have} of {len} bytes after the header"
        )));
    }
    let crc = u32::from_le_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]);
    let frame = &bytes[HEADER..];
    if crc32fast::hash(frame) != crc {
        return Err(ReadError::Incomplete(
            "its checksum does not match".to_owned(),
        ));
    }
    let json = zstd::stream::decode_all(frame).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| ReadError::Corrupt(e.to_string()))
}

/// Reads the sync file at `path` (see [`decode`]).
pub fn read_file<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Incomplete(e.to_string()))?;
    decode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> SegmentBody {
        SegmentBody {
            format: FORMAT.to_owned(),
            device: "d".to_owned(),
            cards: vec![("deck".to_owned(), "card".to_owned())],
            reviews: vec![WireReview(1 << 40, 0, 2, 1500, Some("x".to_owned()))],
            retractions: vec![7],
        }
    }

    #[test]
    fn a_file_reads_back_and_every_cut_of_it_is_incomplete() {
        let bytes = encode(&body()).unwrap();
        assert_eq!(decode::<SegmentBody>(&bytes).unwrap(), body());
        for cut in [0, 5, 31, 32, bytes.len() - 1] {
            let err = decode::<SegmentBody>(&bytes[..cut]).unwrap_err();
            assert!(matches!(err, ReadError::Incomplete(_)), "{cut}: {err:?}");
        }
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(matches!(
            decode::<SegmentBody>(&flipped),
            Err(ReadError::Incomplete(_))
        ));
        let mut newer = bytes;
        newer[16] = 2;
        assert_eq!(decode::<SegmentBody>(&newer), Err(ReadError::TooNew(2)));
        assert!(matches!(
            decode::<SegmentBody>(b"{\"not\": \"ours\"} and more than 32 bytes"),
            Err(ReadError::Corrupt(_))
        ));
    }

    #[test]
    fn stamps_order_by_time_then_counter_then_device() {
        let s = |w, c, d: &str| Stamp {
            wall: w,
            counter: c,
            device: d.to_owned(),
        };
        assert!(s(1, 9, "z") < s(2, 0, "a"));
        assert!(s(2, 0, "z") < s(2, 1, "a"));
        assert!(s(2, 1, "a") < s(2, 1, "b"));
        let one = s(5, 3, "0190-ab:c");
        assert_eq!(Stamp::parse(&one.to_string()), Some(one));
    }
}
