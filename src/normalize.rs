//! Stage 3a: text normalisation before tokenising.
//!
//! Everything downstream sees text in NFC with one spelling per letter:
//!
//! - Romanian comma-below letters ș ț and the legacy cedilla letters ş ţ are
//!   unified (to comma-below). Pages mix both, sometimes within one article,
//!   and the Snowball stemmer only recognises one of them.
//! - Typographic apostrophes (’ ‘ ʼ ´ and the backtick) become `'`, so that elisions such as
//!   `all’Ucraina` split like `all'Ucraina`.
//! - No-break and thin spaces become a plain space, so that `600 000` written
//!   with a narrow no-break space reads like `600 000`.
//! - Control characters and U+FFFD (what decoding leaves of binary junk)
//!   become spaces.
//!
//! Digits are never touched: numbers are among the best cross-language
//! signals.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `text` in NFC with the unifications described in the module docs.
#[cfg(test)]
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// Like [`normalize`], writing into a reused buffer (cleared first).
pub(crate) fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    if text.is_ascii() {
        for c in text.chars() {
            out.push(if c.is_ascii_control() && c != '\n' {
                ' '
            } else {
                map_ascii_quote(c)
            });
        }
        return;
    }
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        out.extend(text.chars().map(unify));
    } else {
        out.extend(text.nfc().map(unify));
    }
}

fn map_ascii_quote(c: char) -> char {
    if c == '`' {
        '\''
    } else {
        c
    }
}

/// One character's unification (see the module docs).
fn unify(c: char) -> char {
    match c {
        'ş' => 'ș',
        'Ş' => 'Ș',
        'ţ' => 'ț',
        'Ţ' => 'Ț',
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '`' => '\'',
        '\n' => '\n',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' | '\u{FFFD}'
        | '\u{FEFF}' | '\u{200B}' => ' ',
        c if c.is_control() => ' ',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanian_cedilla_and_comma_below_agree() {
        assert_eq!(normalize("soldaţi ştiri"), normalize("soldați știri"));
        assert_eq!(normalize("ŞTIRI Ţara"), "ȘTIRI Țara");
    }

    #[test]
    fn decomposed_input_is_composed() {
        // "ș" written as s + combining comma below.
        assert_eq!(normalize("s\u{0326}i"), "și");
        assert_eq!(normalize("e\u{0301}"), "é");
    }

    #[test]
    fn apostrophes_and_spaces_are_unified() {
        assert_eq!(normalize("all’Ucraina"), "all'Ucraina");
        assert_eq!(normalize("600\u{202F}000"), "600 000");
    }

    #[test]
    fn control_characters_and_replacement_become_spaces() {
        assert_eq!(normalize("a\u{0}b\u{FFFD}c\td"), "a b c d");
        assert_eq!(normalize("line\nnext"), "line\nnext");
    }

    #[test]
    fn digits_are_kept() {
        assert_eq!(
            normalize("1.500 soldați, 600,000"),
            "1.500 soldați, 600,000"
        );
    }
}
