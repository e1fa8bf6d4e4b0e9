//! STUB (replaced by the lang branch).
use crate::Language;
use std::borrow::Cow;
/// Stub.
#[derive(Debug, Clone, Copy)]
pub struct Stemmer {
    lang: Language,
}
impl Stemmer {
    /// Stub.
    pub fn for_language(lang: Language) -> Self {
        Stemmer { lang }
    }
    /// Stub.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        let _ = self.lang;
        Cow::Borrowed(word)
    }
    /// Stub.
    pub fn is_stopword(&self, word: &str) -> bool {
        matches!(
            word,
            "the"
                | "a"
                | "of"
                | "and"
                | "in"
                | "de"
                | "la"
                | "și"
                | "în"
                | "e"
                | "il"
                | "të"
                | "në"
                | "i"
                | "që"
                | "se"
                | "a"
                | "to"
                | "on"
                | "for"
                | "that"
                | "with"
        )
    }
}
