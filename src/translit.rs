//! STUB (replaced by the alias branch).
use unicode_normalization::UnicodeNormalization;
pub(crate) fn fold_into(word: &str, out: &mut String) {
    for c in word.nfd() { if c.is_ascii_alphanumeric() { out.push(c.to_ascii_lowercase()); } else if !('\u{300}'..='\u{36f}').contains(&c) && c.is_alphanumeric() { out.extend(c.to_lowercase()); } }
}
