//! The join address as a QR code the projector can paint: a square of dark (true) and light
//! modules, with no quiet zone (paint a light border of 4 modules around it).

use qrcode::{EcLevel, QrCode};

/// Why a QR code could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The join address is too long for a QR code ({0} bytes)")]
pub struct QrError(pub usize);

/// The QR code of `text` (medium error correction) as rows of modules, `true` = dark.
pub fn qr_matrix(text: &str) -> Result<Vec<Vec<bool>>, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| QrError(text.len()))?;
    let width = code.width();
    let colors = code.to_colors();
    Ok(colors
        .chunks(width)
        .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_url_makes_a_square_with_finder_patterns() {
        let m = qr_matrix("http://192.168.1.20:8080/").unwrap();
        let n = m.len();
        assert!(n >= 21 && (n - 21).is_multiple_of(4), "a QR size: {n}");
        assert!(m.iter().all(|row| row.len() == n));
        // The three finder patterns' dark corners; the fourth corner is not one.
        assert!(m[0][0] && m[0][n - 1] && m[n - 1][0]);
        assert!(m[0][..7].iter().all(|d| *d));
        assert!(!m[1][1]);
        let corner_finder =
            m[n - 1][n - 7..].iter().all(|d| *d) && m[n - 7][n - 7..].iter().all(|d| *d);
        assert!(!corner_finder);
    }

    #[test]
    fn too_long_is_an_error() {
        assert_eq!(qr_matrix(&"x".repeat(5000)), Err(QrError(5000)));
    }
}
