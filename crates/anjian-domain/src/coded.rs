//! `coded!`: an enum stored by a code, shown by its label, and read back from the code, the
//! label or another word officials use for it (forms, imported sheets).

/// Declares a coded enum with its stored code, its label and the words that also read as it.
#[macro_export]
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $( $(#[$vm:meta])* $v:ident = $code:literal, $label:literal $(| $alias:literal)* ; )+ }) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        $(#[$m])*
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $(#[$vm])* $v, )+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$( $name::$v, )+];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$v => $code, )+ }
            }

            pub fn label(self) -> &'static str {
                match self { $( $name::$v => $label, )+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $( $code => Some($name::$v), )+ _ => None }
            }

            /// The code, the label or another word for it, as typed.
            pub fn from_words(s: &str) -> Option<Self> {
                let s = s.trim();
                match s {
                    $( $code | $label $(| $alias)* => Some($name::$v), )+
                    _ => None,
                }
            }
        }
    };
}
