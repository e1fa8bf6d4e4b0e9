//! Stage 3b: tokenising normalised text into words and numbers.
//!
//! Word boundaries come from Unicode's UAX #29 rules (unicode-segmentation),
//! with three changes that matter for news in our languages:
//!
//! - Elisions are split at the apostrophe: `dell'Ucraina` → `dell`,
//!   `Ucraina`; `L'Alleanza` → `l`, `Alleanza`. UAX #29 keeps them whole.
//! - Numbers are canonicalised: `600.000`, `600,000` and `600 000` are all
//!   `600000`; `2,8` and `2.8` are both `2.8`. A separator followed by
//!   exactly three digits groups thousands; otherwise it is a decimal mark.
//! - Each token remembers how it was written (lower case, Title case, ALL
//!   CAPS) and whether it starts a sentence, which is what name anchors need.

use unicode_segmentation::{UWordBounds, UnicodeSegmentation};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of letters (possibly with digits or marks).
    Word,
    /// A canonical number (`600000`, `2.8`).
    Number,
}

/// How a word was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// First letter lower case.
    Lower,
    /// First letter upper case, not all capitals.
    Title,
    /// Two or more letters, all capitals (an acronym or shouted word).
    Upper,
    /// No cased letter (digits, scripts without case).
    Uncased,
}

/// One token: a span of [`Tokens::text`] plus what the later stages need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    start: u32,
    end: u32,
    /// Word or number.
    pub kind: Kind,
    /// How the word was written in the source.
    pub case: Case,
    /// The token opens a sentence, a line or a paragraph.
    pub sentence_start: bool,
    /// Only white space separates the token from the one before it (no
    /// punctuation, and not the second part of a word split at an
    /// apostrophe or glued to a number).
    pub spaced: bool,
}

/// The tokens of one text: lower-cased token text in one buffer, spans into it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tokens {
    text: String,
    tokens: Vec<Token>,
}

impl Tokens {
    /// The tokens in text order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Token)> + '_ {
        self.tokens.iter().map(|t| (self.get(t), *t))
    }

    /// The lower-cased text of `token`.
    pub fn get(&self, token: &Token) -> &str {
        &self.text[token.start as usize..token.end as usize]
    }

    /// The text and token at index `i` (panics when out of range).
    pub fn at(&self, i: usize) -> (&str, Token) {
        let t = self.tokens[i];
        (self.get(&t), t)
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.tokens.clear();
    }

    fn push(
        &mut self,
        kind: Kind,
        case: Case,
        sentence_start: bool,
        spaced: bool,
        write: impl FnOnce(&mut String),
    ) {
        let start = self.text.len();
        write(&mut self.text);
        let end = self.text.len();
        if end > start {
            self.tokens.push(Token {
                start: start as u32,
                end: end as u32,
                kind,
                case,
                sentence_start,
                spaced,
            });
        }
    }
}

/// Tokenises normalised `text` into `out` (cleared first).
pub(crate) fn tokenize_into(text: &str, out: &mut Tokens) {
    out.clear();
    // Token spans are u32; texts are capped far below 4 GiB before this
    // stage, but stay safe if a caller passes more.
    let text = &text[..floor_char_boundary(text, u32::MAX as usize / 2)];
    let mut sentence_start = true;
    // The previous token was a short integer followed by exactly one space:
    // a following three-digit group continues it (`600 000`).
    let mut open_number: Option<usize> = None;
    let mut gap_is_one_space = false;
    // Only white space since the last token (none yet: no).
    let mut gap_is_space = false;
    for segment in WordBounds::new(text) {
        let first = segment.chars().next().unwrap_or(' ');
        if !segment.chars().any(char::is_alphanumeric) {
            if segment == " " && open_number.is_some() && !gap_is_one_space {
                gap_is_one_space = true;
                continue;
            }
            gap_is_space &= segment.chars().all(char::is_whitespace);
            if segment
                .chars()
                .any(|c| matches!(c, '.' | '!' | '?' | '\n' | ':' | ';' | '»' | '|' | '•'))
            {
                sentence_start = true;
            }
            open_number = None;
            gap_is_one_space = false;
            continue;
        }
        let spaced = std::mem::replace(&mut gap_is_space, true);
        if first.is_ascii_digit() {
            let continues = gap_is_one_space
                && segment.len() == 3
                && segment.bytes().all(|b| b.is_ascii_digit());
            if let (true, Some(idx)) = (continues, open_number) {
                extend_number(out, idx, segment);
                gap_is_one_space = false;
                if out.get(&out.tokens[idx]).len() > 12 {
                    open_number = None;
                }
                continue;
            }
            let (number, rest) = split_number(segment);
            let canonical = canonical_number(number);
            let is_group_head =
                canonical.len() <= 3 && !canonical.contains('.') && number.len() <= 3;
            out.push(Kind::Number, Case::Uncased, sentence_start, spaced, |s| {
                s.push_str(&canonical);
            });
            // Only a bare number heads a group: `5km 000` is no `5 000`.
            open_number = (is_group_head && rest.is_empty()).then(|| out.tokens.len() - 1);
            gap_is_one_space = false;
            // A unit or ordinal glued to the number (`2.8bn`, `28th`, `5km`)
            // is kept as a word only when it is long enough to mean something.
            if rest.chars().count() > 3 {
                push_words(out, rest, false, false);
            }
            sentence_start = false;
            continue;
        }
        open_number = None;
        gap_is_one_space = false;
        push_words(out, segment, sentence_start, spaced);
        sentence_start = false;
    }
}

/// Pushes a word segment, split at apostrophes (elisions, possessives).
/// `spaced`: [`Token::spaced`] of its first part (the others follow an
/// apostrophe).
fn push_words(out: &mut Tokens, segment: &str, mut sentence_start: bool, mut spaced: bool) {
    if !segment.as_bytes().contains(&b'\'') {
        push_word(out, segment, sentence_start, spaced);
        return;
    }
    for part in segment.split('\'') {
        if push_word(out, part, sentence_start, spaced) {
            sentence_start = false;
            spaced = false;
        }
    }
}

/// Pushes one part of a word segment if it has a letter or digit; returns
/// whether it did.
fn push_word(out: &mut Tokens, part: &str, sentence_start: bool, spaced: bool) -> bool {
    if part.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // Most words. (`part` is never empty: `split_word_bounds` yields no
        // empty segment and `push_words` only splits at apostrophes, but
        // an empty part must be skipped all the same.)
        if part.is_empty() {
            return false;
        }
        let case = case_of_ascii(part.as_bytes());
        out.push(Kind::Word, case, sentence_start, spaced, |s| {
            let start = s.len();
            s.push_str(part);
            s[start..].make_ascii_lowercase();
        });
        return true;
    }
    if part.is_ascii() {
        // The same rules on bytes: for ASCII, `is_alphanumeric`,
        // `to_lowercase` and `case_of` reduce to their ASCII forms.
        if !part.bytes().any(|b| b.is_ascii_alphanumeric()) {
            return false;
        }
        let case = case_of_ascii(part.as_bytes());
        out.push(Kind::Word, case, sentence_start, spaced, |s| {
            let start = s.len();
            s.extend(
                part.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            debug_assert!(s[start..].is_ascii());
        });
        return true;
    }
    if !part.chars().any(char::is_alphanumeric) {
        return false;
    }
    let case = case_of(part);
    out.push(Kind::Word, case, sentence_start, spaced, |s| {
        for c in part.chars() {
            if c.is_alphanumeric() || is_mark(c) {
                s.extend(c.to_lowercase());
            }
        }
    });
    true
}

/// [`case_of`] for an ASCII word.
fn case_of_ascii(word: &[u8]) -> Case {
    case_from(
        word.iter()
            .filter(|b| b.is_ascii_alphabetic())
            .map(|b| (b.is_ascii_lowercase(), b.is_ascii_uppercase())),
    )
}

/// The case of a word from its letters' `(is lower case, is upper case)`.
fn case_from(mut letters: impl Iterator<Item = (bool, bool)>) -> Case {
    let Some((first_lower, first_upper)) = letters.next() else {
        return Case::Uncased;
    };
    if first_lower {
        return Case::Lower;
    }
    if !first_upper {
        return Case::Uncased;
    }
    let mut rest = 0;
    let mut all_upper = true;
    for (lower, _) in letters {
        rest += 1;
        if lower {
            all_upper = false;
            break;
        }
    }
    if all_upper && rest >= 1 {
        Case::Upper
    } else {
        Case::Title
    }
}

fn is_mark(c: char) -> bool {
    // Combining marks that survived NFC (rare) and the Albanian/Romanian
    // letters are alphanumeric already; keep marks so words stay whole.
    matches!(c as u32, 0x0300..=0x036F)
}

pub(crate) fn case_of(word: &str) -> Case {
    case_from(
        word.chars()
            .filter(|c| c.is_alphabetic())
            .map(|c| (c.is_lowercase(), c.is_uppercase())),
    )
}

/// Splits `600.000bn` into the numeric part `600.000` and the rest `bn`.
fn split_number(segment: &str) -> (&str, &str) {
    let bytes = segment.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let b = bytes[end];
        let separator_then_digit =
            matches!(b, b'.' | b',') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() || separator_then_digit {
            end += 1;
        } else {
            break;
        }
    }
    segment.split_at(end)
}

/// The canonical form of a number written with `.` or `,` separators.
///
/// Thousands separators are dropped; a decimal mark becomes `.`; leading
/// zeros of the integer part and trailing zeros of the fraction go.
pub(crate) fn canonical_number(number: &str) -> String {
    let groups: Vec<&str> = number.split(['.', ',']).collect();
    let separators: Vec<char> = number.chars().filter(|c| matches!(c, '.' | ',')).collect();
    let (integer, fraction): (String, &str) = if separators.is_empty() {
        (number.to_string(), "")
    } else {
        let last = *separators.last().unwrap_or(&'.');
        let mixed = separators.iter().any(|&c| c != last);
        let all_groups_of_three = groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3;
        if mixed {
            // `1,234.5` or `1.234,5`: the last separator is the decimal mark.
            let (int_part, frac) = groups.split_at(groups.len() - 1);
            (int_part.concat(), frac[0])
        } else if all_groups_of_three && !groups[0].is_empty() {
            (groups.concat(), "")
        } else if groups.len() == 2 {
            (groups[0].to_string(), groups[1])
        } else {
            // Odd grouping (`1.2.3`, a version or a date): keep the digits.
            (groups.concat(), "")
        }
    };
    let integer = integer.trim_start_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        integer.to_string()
    } else {
        format!("{integer}.{fraction}")
    }
}

fn extend_number(out: &mut Tokens, idx: usize, group: &str) {
    // Only the last token's text can grow in place.
    debug_assert_eq!(idx, out.tokens.len() - 1);
    out.text.push_str(group);
    out.tokens[idx].end = out.text.len() as u32;
}

/// The largest character boundary of `s` at most `max` (`s.len()` when
/// `s` is no longer): where to cut `s` to at most `max` bytes. (The
/// standard library's `str::floor_char_boundary` needs Rust 1.91.)
pub(crate) fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Word_Break classes of the characters [`WordBounds`] segments itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    Cr,
    Lf,
    Newline,
    Space,
    Letter,
    Numeric,
    MidLetter,
    MidNumLet,
    SingleQuote,
    MidNum,
    ExtendNumLet,
    Other,
}

/// The Word_Break class of an ASCII byte.
#[inline]
fn ascii_class(b: u8) -> Wb {
    match b {
        b'\r' => Wb::Cr,
        b'\n' => Wb::Lf,
        0x0B | 0x0C => Wb::Newline,
        b' ' => Wb::Space,
        b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b':' => Wb::MidLetter,
        b'.' => Wb::MidNumLet,
        b'\'' => Wb::SingleQuote,
        b',' | b';' => Wb::MidNum,
        b'_' => Wb::ExtendNumLet,
        _ => Wb::Other,
    }
}

/// The length of the Latin letter (ALetter) of two bytes at the start of
/// `b`: U+00C0..U+024F but `×` and `÷`. 0 for anything else.
fn latin_letter_len(b: &[u8]) -> usize {
    let (Some(&lead), Some(&next)) = (b.first(), b.get(1)) else {
        return 0;
    };
    if !(0xC3..=0xC9).contains(&lead) || next & 0xC0 != 0x80 {
        return 0;
    }
    let cp = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
    if (0xC0..=0x24F).contains(&cp) && cp != 0xD7 && cp != 0xF7 {
        2
    } else {
        0
    }
}

/// The class and length of the character at `b[i]`, in a fast chunk (every
/// character ASCII or a Latin letter of two bytes).
#[inline]
fn class_at(b: &[u8], i: usize) -> (Wb, usize) {
    if b[i] < 0x80 {
        (ascii_class(b[i]), 1)
    } else {
        (Wb::Letter, 2)
    }
}

/// The end of the next chunk of `text`: the first certain word boundary
/// after its start, that is a space followed by an ASCII letter or digit
/// or a Latin letter (no UAX #29 rule joins those, and none looks across
/// them). With it, whether every character of the chunk is ASCII or a
/// Latin letter of two bytes (then [`fast_segment_end`] can segment it).
fn next_chunk(text: &str) -> (usize, bool) {
    let b = text.as_bytes();
    let mut fast = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        if c < 0x80 {
            if c == b' ' {
                if let Some(&n) = b.get(i + 1) {
                    if n.is_ascii_alphanumeric() || latin_letter_len(&b[i + 1..]) == 2 {
                        return (i + 1, fast);
                    }
                }
            }
            i += 1;
            continue;
        }
        if latin_letter_len(&b[i..]) == 2 {
            i += 2;
            continue;
        }
        fast = false;
        i += 1;
    }
    (b.len(), fast)
}

/// The end of the first UAX #29 word segment of a non-empty fast chunk
/// (see [`next_chunk`]): the rules WB3 to WB13b as they apply to ASCII and
/// Latin letters.
fn fast_segment_end(b: &[u8]) -> usize {
    let (first, len) = class_at(b, 0);
    match first {
        Wb::Cr => 1 + usize::from(b.get(1) == Some(&b'\n')),
        Wb::Space => 1 + b[1..].iter().take_while(|&&c| c == b' ').count(),
        Wb::Letter | Wb::Numeric | Wb::ExtendNumLet => {
            let mut prev = first;
            let mut i = len;
            // Most words: a run of ASCII letters (WB5), or of digits (WB8).
            if b[0].is_ascii_alphabetic() {
                i += b[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
            } else if b[0].is_ascii_digit() {
                i += b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            }
            while i < b.len() {
                let (c, len) = class_at(b, i);
                if matches!(c, Wb::Letter | Wb::Numeric | Wb::ExtendNumLet) {
                    // WB5, WB8, WB9, WB10, WB13a, WB13b.
                    prev = c;
                    i += len;
                    continue;
                }
                // WB6 and WB7, WB11 and WB12: a middle character between
                // two letters or two digits.
                let Some((next, next_len)) = (i + len < b.len()).then(|| class_at(b, i + len))
                else {
                    break;
                };
                let mid_letter = matches!(c, Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote);
                let mid_num = matches!(c, Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote);
                if (prev == Wb::Letter && mid_letter && next == Wb::Letter)
                    || (prev == Wb::Numeric && mid_num && next == Wb::Numeric)
                {
                    prev = next;
                    i += len + next_len;
                    continue;
                }
                break;
            }
            i
        }
        _ => len,
    }
}

/// The UAX #29 word segments of a text, as `split_word_bounds` gives them,
/// faster: the text is cut into chunks at certain boundaries, and chunks
/// of ASCII and Latin letters (nearly all of them in the languages that
/// write with those) are segmented here, the others by
/// unicode-segmentation.
struct WordBounds<'a> {
    rest: &'a str,
    fast: &'a str,
    slow: Option<UWordBounds<'a>>,
}

impl<'a> WordBounds<'a> {
    fn new(text: &'a str) -> Self {
        WordBounds {
            rest: text,
            fast: "",
            slow: None,
        }
    }
}

impl<'a> Iterator for WordBounds<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            if let Some(slow) = &mut self.slow {
                if let Some(segment) = slow.next() {
                    return Some(segment);
                }
                self.slow = None;
            }
            if !self.fast.is_empty() {
                let (segment, rest) = self.fast.split_at(fast_segment_end(self.fast.as_bytes()));
                self.fast = rest;
                return Some(segment);
            }
            if self.rest.is_empty() {
                return None;
            }
            let (end, fast) = next_chunk(self.rest);
            let (chunk, rest) = self.rest.split_at(end);
            self.rest = rest;
            if fast {
                self.fast = chunk;
            } else {
                self.slow = Some(chunk.split_word_bounds());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut t = Tokens::default();
        tokenize_into(text, &mut t);
        t.iter().map(|(s, _)| s.to_string()).collect()
    }

    /// `WordBounds` gives exactly the segments of `split_word_bounds`.
    fn same_bounds(text: &str) {
        let fast: Vec<&str> = WordBounds::new(text).collect();
        let reference: Vec<&str> = text.split_word_bounds().collect();
        assert_eq!(fast, reference, "{text:?}");
    }

    /// One character of each Word_Break class that matters here, and of
    /// the characters that make a chunk slow.
    const REPRESENTATIVES: [char; 27] = [
        ' ',
        'a',
        'Z',
        '7',
        ':',
        '.',
        '\'',
        ',',
        ';',
        '_',
        '"',
        '-',
        '\n',
        '\r',
        '\t',
        'é',
        'ș',
        '×',
        '\u{300}',
        '\u{AD}',
        'Ж',
        '\u{200D}',
        '😀',
        '\u{A0}',
        '\u{5D0}',
        '·',
        '\u{1F1E6}',
    ];

    #[test]
    fn word_bounds_equal_uax29_on_short_strings() {
        let mut alphabet: Vec<char> = (0u8..128).map(char::from).collect();
        alphabet.extend(REPRESENTATIVES);
        alphabet.extend([
            'ÿ', '\u{24F}', '\u{250}', 'ª', '\u{85}', '\u{2028}', 'ア', '\u{2019}',
        ]);
        for &a in &alphabet {
            same_bounds(&a.to_string());
            for &b in &alphabet {
                same_bounds(&format!("{a}{b}"));
            }
        }
        let r = &REPRESENTATIVES;
        for &a in r {
            for &b in r {
                for &c in r {
                    for &d in r {
                        same_bounds(&format!("{a}{b}{c}{d}"));
                    }
                }
            }
        }
    }

    #[test]
    fn word_bounds_equal_uax29_around_latin_letters() {
        for c in (0x80..0x300).filter_map(char::from_u32) {
            for text in [
                format!("a{c}a"),
                format!("1{c}1"),
                format!("a.{c}"),
                format!("{c}.a"),
                format!("{c}:{c}"),
                format!("{c}'{c}"),
                format!("1,{c}"),
                format!("_{c}_"),
                format!("x {c}y {c}"),
                format!("{c}{c} 5"),
            ] {
                same_bounds(&text);
            }
        }
    }

    #[test]
    fn word_bounds_equal_uax29_on_random_text() {
        let mut alphabet: Vec<char> = REPRESENTATIVES.to_vec();
        alphabet.extend("       aaaeeinorst0123456789ăâîșțàèéìòùëç".chars());
        let mut next = crate::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..50_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            same_bounds(&text);
        }
    }

    #[test]
    fn elisions_are_split() {
        assert_eq!(
            words("dell'Ucraina L'Alleanza all'Europa"),
            ["dell", "ucraina", "l", "alleanza", "all", "europa"]
        );
    }

    #[test]
    fn numbers_are_canonical() {
        assert_eq!(
            words("600.000 600,000 600 000"),
            ["600000", "600000", "600000"]
        );
        assert_eq!(
            words("2,8 2.8 1.500 10.000 3.000"),
            ["2.8", "2.8", "1500", "10000", "3000"]
        );
        assert_eq!(words("1,234.50 1.234,5 007"), ["1234.5", "1234.5", "7"]);
        assert_eq!(
            words("în 2024 au fost 3 mii"),
            ["în", "2024", "au", "fost", "3", "mii"]
        );
    }

    #[test]
    fn separate_numbers_are_not_glued() {
        // A year followed by a three-digit number is not a thousands group.
        assert_eq!(words("2024 500"), ["2024", "500"]);
        assert_eq!(words("12 345 678"), ["12345678"]);
        // A word or unit glued to a number ends its group (a longer word is
        // kept as a token of its own, after the number).
        assert_eq!(words("600Phenian 000"), ["600", "phenian", "0"]);
        assert_eq!(words("5km 000"), ["5", "0"]);
        assert_eq!(words("600é 000"), ["600", "0"]);
    }

    #[test]
    fn cases_and_sentence_starts() {
        let mut t = Tokens::default();
        tokenize_into("Șeful NATO a spus. Mark Rutte\nvine", &mut t);
        let got: Vec<(String, Case, bool)> = t
            .iter()
            .map(|(s, k)| (s.to_string(), k.case, k.sentence_start))
            .collect();
        assert_eq!(got[0], ("șeful".into(), Case::Title, true));
        assert_eq!(got[1], ("nato".into(), Case::Upper, false));
        assert_eq!(got[4], ("mark".into(), Case::Title, true));
        assert_eq!(got[5], ("rutte".into(), Case::Title, false));
        assert_eq!(got[6], ("vine".into(), Case::Lower, true));
    }

    #[test]
    fn spaced_tokens_follow_white_space_only() {
        let mut t = Tokens::default();
        tokenize_into(
            "Jordan Spieth, Jordan\n Clarke dell'Italia 5metri 600 000 (Paris) x",
            &mut t,
        );
        let got: Vec<(String, bool)> = t.iter().map(|(s, k)| (s.to_string(), k.spaced)).collect();
        let want = [
            ("jordan", false), // first token
            ("spieth", true),
            ("jordan", false), // after a comma
            ("clarke", true),  // a line break is white space
            ("dell", true),
            ("italia", false), // after an apostrophe
            ("5", true),
            ("metri", false), // glued to the number
            ("600000", true),
            ("paris", false),
            ("x", false),
        ];
        let want: Vec<(String, bool)> = want.iter().map(|&(s, b)| (s.to_string(), b)).collect();
        assert_eq!(got, want);
        // A fresh text starts unspaced, whatever the last one ended with.
        tokenize_into("a ", &mut t);
        tokenize_into("b", &mut t);
        assert!(!t.at(0).1.spaced);
    }

    #[test]
    fn ascii_case_equals_the_general_one() {
        for w in [
            "", "1", "a", "A", "ab", "Ab", "AB", "aB", "NATO", "Nato", "x9Y", "9AB", "A9", "_",
        ] {
            assert_eq!(case_of_ascii(w.as_bytes()), case_of(w), "{w:?}");
        }
    }

    #[test]
    fn hyphenated_albanian_case_endings_split() {
        assert_eq!(words("NATO-s SHBA-ja"), ["nato", "s", "shba", "ja"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert!(words("").is_empty());
        assert!(words("... !!! \u{0}").is_empty());
        assert_eq!(
            words("9999999999999999999999.5"),
            ["9999999999999999999999.5"]
        );
        assert_eq!(words(",5 .,., 5,,5"), ["5", "5", "5"]);
    }
}
