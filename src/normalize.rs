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

/// `text` in NFC with the unifications described in the module docs,
/// written into a reused buffer (cleared first).
pub(crate) fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    if surely_nfc(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        unify_into(text, out);
    } else {
        out.extend(text.nfc().map(unify));
    }
}

/// Whether `text` is surely in NFC by a byte scan: every character is below
/// U+0300 (the first combining mark) or in General Punctuation and Currency
/// Symbols (U+2002..U+20CF: dashes, curly quotes, ellipsis, `€`). Such
/// characters are NFC quick-check "Yes" with combining class 0 (the
/// `surely_nfc_characters` test checks every one), so a text of them is
/// its own NFC. This covers ASCII and the Latin letters of Romanian,
/// Italian, Albanian, German and their neighbours without decoding a
/// character; anything else takes the general check.
fn surely_nfc(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // ASCII, continuation bytes and the lead bytes of U+0080..U+02FF.
        if b[i] < 0xCC {
            i += 1;
            continue;
        }
        let ok = b[i] == 0xE2
            && match b.get(i + 1) {
                Some(0x80) => b.get(i + 2).is_some_and(|&c| c >= 0x82),
                Some(0x81 | 0x82) => true,
                Some(0x83) => b.get(i + 2).is_some_and(|&c| c < 0x90),
                _ => false,
            };
        if !ok {
            return false;
        }
        i += 3;
    }
    true
}

/// Appends `text` with [`unify`] applied to every character, copying runs
/// of characters that stay as they are in one go.
fn unify_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if (b.is_ascii_control() && b != b'\n') || b == b'`' {
                out.push_str(&text[run..i]);
                out.push(if b == b'`' { '\'' } else { ' ' });
                run = i + 1;
            }
            i += 1;
            continue;
        }
        // `i` is a character boundary: the loop steps over whole characters.
        let c = text[i..].chars().next().unwrap_or(' ');
        let u = unify(c);
        if u != c {
            out.push_str(&text[run..i]);
            out.push(u);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&text[run..]);
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
    fn fast_path_equals_the_character_map() {
        for text in [
            "plain ascii `quote` \u{7f} tab\tend",
            "soldaţi ştiri ș ț all’Ucraina 600\u{202F}000 \u{FFFD}",
            "Këtë javë, qeveria njoftoi… «citat» — 1.500 €",
            "",
        ] {
            let expected: String = text.chars().map(unify).collect();
            let mut out = String::new();
            unify_into(text, &mut out);
            assert_eq!(out, expected, "{text:?}");
            assert!(surely_nfc(text) <= (is_nfc_quick(text.chars()) == IsNormalized::Yes));
        }
    }

    #[test]
    fn surely_nfc_characters() {
        use unicode_normalization::char::canonical_combining_class;
        let mut accepted = 0;
        for cp in (0..0x2100).filter_map(char::from_u32) {
            let s = cp.to_string();
            if surely_nfc(&s) {
                accepted += 1;
                assert_eq!(
                    is_nfc_quick(s.chars()),
                    IsNormalized::Yes,
                    "U+{:04X}",
                    cp as u32
                );
                assert_eq!(canonical_combining_class(cp), 0, "U+{:04X}", cp as u32);
            }
        }
        assert_eq!(accepted, 0x300 + (0x20D0 - 0x2002));
        assert!(!surely_nfc("e\u{0301}"));
        assert!(!surely_nfc("\u{2000}"));
    }

    #[test]
    fn digits_are_kept() {
        assert_eq!(
            normalize("1.500 soldați, 600,000"),
            "1.500 soldați, 600,000"
        );
    }
}
