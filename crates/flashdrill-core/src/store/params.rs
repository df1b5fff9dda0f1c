//! The FSRS parameters' store side: writing kept parameters with the recomputed memory states
//! in one transaction, and the parameters they replaced (for undo).

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, StoreError};
use crate::optimize::MemoryUpdate;
use crate::settings::{format_parameters, parse_parameters};

/// The settings-table key of the parameters the last change replaced (not a setting).
const PREVIOUS_KEY: &str = "fsrs_parameters_previous";

impl Store {
    /// Writes `parameters` as the `fsrs_parameters` setting, `previous` for undo, and each
    /// update's stability, difficulty and due time, all in ONE transaction.
    pub fn write_fsrs_parameters(
        &mut self,
        parameters: &[f32; 21],
        previous: &[f32; 21],
        updates: &[MemoryUpdate],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        {
            let mut setting = tx
                .prepare_cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")
                .map_err(err)?;
            setting
                .execute(params!["fsrs_parameters", format_parameters(parameters)])
                .map_err(err)?;
            setting
                .execute(params![PREVIOUS_KEY, format_parameters(previous)])
                .map_err(err)?;
            let mut card = tx
                .prepare_cached(
                    "UPDATE progress SET stability = ?3, difficulty = ?4, due = ?5 \
                     WHERE card = (SELECT c.key FROM card c JOIN deck d ON d.key = c.deck \
                                   WHERE d.id = ?1 AND c.id = ?2)",
                )
                .map_err(err)?;
            for u in updates {
                card.execute(params![
                    u.deck_id,
                    u.card_id,
                    f64::from(u.stability),
                    f64::from(u.difficulty),
                    u.due.timestamp_millis()
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// The parameters the last [`Store::write_fsrs_parameters`] replaced, if any.
    pub fn previous_fsrs_parameters(&self) -> Result<Option<[f32; 21]>, StoreError> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [PREVIOUS_KEY],
                |r| r.get(0),
            )
            .optional()
            .map_err(|source| StoreError::Sqlite {
                path: self.path.clone(),
                source,
            })?;
        text.map(|t| {
            parse_parameters(&t).map_err(|detail| StoreError::BadData {
                path: self.path.clone(),
                detail: format!("{PREVIOUS_KEY}: {detail}"),
            })
        })
        .transpose()
    }
}
