//! The `settings!` macro: from one list of settings it defines everything that must stay in
//! step, so that a setting is added or changed in one place (the list in `settings/mod.rs`).

/// Each entry of the list reads
///
/// ```text
/// /// more docs for the field (optional)
/// Variant => field: Type = default_value, within min..=max;
///     help: "What it does",
///     allowed: "min–max";
/// ```
///
/// (`, within …` only for numbers; the variant is the field's name in CamelCase) and gives:
/// the `Settings` field (its doc is the help text) and its `Default`, the `SettingKey`
/// variant, the `SETTINGS` row in display order, and the arms that read, write and describe
/// the field through its type's `Value` implementation.
macro_rules! settings {
    // A setting's rule: its range, or nothing.
    (@rule) => { () };
    (@rule $rule:expr) => { $rule };
    ($(
        $(#[$attr:meta])*
        $variant:ident => $field:ident: $ty:ty = $default:expr $(, within $rule:expr)?;
            name: $name:literal,
            help: $help:literal,
            allowed: $allowed:literal;
    )+) => {
        /// A profile's settings. `Default` gives every key its default.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Settings {
            $(
                #[doc = $help]
                $(#[$attr])*
                pub $field: $ty,
            )+
        }

        impl Default for Settings {
            fn default() -> Self {
                Self {
                    $($field: $default,)+
                }
            }
        }

        /// A setting's key, in display order; as stored and typed it is the [`Settings`] field's
        /// name (`desired_retention`).
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            strum::EnumCount,
            strum::EnumIter,
            strum::EnumString,
            strum::IntoStaticStr,
        )]
        #[strum(serialize_all = "snake_case")]
        pub enum SettingKey {
            $(
                #[doc = $help]
                $variant,
            )+
        }

        /// Every setting, in display order (the order of [`SettingKey`]).
        pub const SETTINGS: &[SettingInfo] = &[$(
            SettingInfo {
                id: SettingKey::$variant,
                key: stringify!($field),
                name: $name,
                description: $help,
                allowed: $allowed,
            },
        )+];

        impl SettingKey {
            /// The setting's type and allowed values.
            #[must_use]
            pub fn kind(self) -> SettingKind {
                match self {
                    $(Self::$variant => <$ty as Value>::kind(&settings!(@rule $($rule)?)),)+
                }
            }
        }

        impl Settings {
            /// Reads one setting from its (trimmed) text; nothing changes when it is refused.
            fn parse_into(&mut self, key: SettingKey, text: &str) -> Result<(), Refusal> {
                match key {
                    $(SettingKey::$variant => {
                        self.$field = <$ty as Value>::parse(text, &settings!(@rule $($rule)?))?;
                    })+
                }
                Ok(())
            }

            /// One setting's value as text.
            fn text_of(&self, key: SettingKey) -> String {
                match key {
                    $(SettingKey::$variant => self.$field.text(),)+
                }
            }

            /// One setting's value as JSON.
            fn json_of(&self, key: SettingKey) -> serde_json::Value {
                match key {
                    $(SettingKey::$variant => self.$field.json(),)+
                }
            }
        }
    };
}
