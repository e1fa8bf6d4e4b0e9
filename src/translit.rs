//! Folding of names to one script: any Latin, Cyrillic or Greek word becomes
//! lowercase ASCII, so that a name written in Romanian, Russian and Greek
//! yields the same anchor key.
//!
//! The scheme is chosen to make the *same name* agree across the languages
//! the crate supports, not to be a reversible romanisation:
//!
//! - Latin: canonical/compatibility decomposition, combining marks dropped
//!   (`ș`, `ş`, `š` → `s`; `č`, `ć` → `c`), plus the letters that do not
//!   decompose (`ł` → `l`, `ø` → `o`, `đ` → `dj`, `ß` → `ss`, `æ` → `ae`,
//!   `œ` → `oe`, `þ` → `th`, `ð` → `d`, `ı` → `i`). Stripping rather than
//!   spelling out carons matches how the international press writes
//!   Latin-script Slavic names (`Vučić` → `vucic`).
//! - Cyrillic (ru, uk, bg, sr, mk): `ж` → `zh`, `ш` → `sh`, `ч` → `ch`,
//!   `щ` → `shch`, `ц` → `ts`, `х` → `h` (foreign names in the news are
//!   written with `х` for Latin `h`: Hamas, Harris, Helsinki), `ъ` → `a`
//!   (Bulgarian `Тръмп` → `tramp`, as Russian `Трамп`), `ь` dropped,
//!   `й` → `y`, word-final `ий`/`ый` → `y` (`Зеленский`, `Зеленський` →
//!   `zelensky`), Ukrainian `і` → `i`, `ї` → `yi`, `є` → `ye`, `г` → `g`
//!   (shared with Russian; Ukrainian `ґ` → `g` too), Serbian `ђ` → `dj`,
//!   `ћ` → `c`, `џ` → `dz`, `љ` → `lj`, `њ` → `nj`, `ј` → `j` (so Serbian
//!   Cyrillic agrees with Serbian Latin folded as above, except for `ц`,
//!   `ts` as English writes it, which Serbian Latin writes `c`:
//!   `Крагујевац` and `Kragujevac` keep different keys), Macedonian
//!   `ѓ` → `gj`, `ќ` → `kj`, `ѕ` → `dz`.
//! - Greek, by modern pronunciation: `β` → `v`, `η`, `ι`, `υ`, `ει`, `οι`
//!   → `i`, `ου` → `u`, `αι` → `e`, `αυ`/`ευ` → `av`/`ev`, `χ` → `h`,
//!   `θ` → `th`, `ξ` → `x`, `ψ` → `ps`, `ω` → `o`. `ντ` → `d` everywhere
//!   and `μπ` → `b` at the start of a word, because that is how Greek writes
//!   foreign `d` and `b` (`Ντόναλντ Μπάιντεν` → `donald baiden`); `μπ`
//!   inside a word stays `mp` (`Τραμπ` → `tramp`). `γγ`, `γκ` → `ng`
//!   inside, `g` at the start. A dialytika (`ϊ`, `ϋ`) or an accent on the
//!   first vowel (`άι`) blocks the vowel digraphs.
//! - ASCII letters are lowercased and digits kept; everything else
//!   (punctuation, marks, other scripts) is dropped.
//!
//! [`skeleton_into`] reduces a folded word further to its consonants, which
//! absorbs most of the remaining differences between national spellings of
//! one name (`trump`/`tramp`, `zelensky`/`zelenskyj`/`selenskyj`).

use unicode_normalization::char::decompose_compatible;

/// Folds `word` to lowercase ASCII; see the module docs for the scheme.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// Appends the fold of `word` to `out` without allocating per character.
///
/// ASCII words take a fast path of one byte test and push per byte.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    let mut rest = word;
    let mut at_start = true;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        let consumed = fold_char(c, rest, at_start, out);
        // `fold_char` may consume following characters of a digraph.
        for _ in 0..consumed {
            if let Some(n) = rest.chars().next() {
                rest = &rest[n.len_utf8()..];
            }
        }
        at_start = false;
    }
}

/// Lowercases a character of the scripts handled here. Greek and Cyrillic
/// capitals map to one character, so the first of `to_lowercase` suffices.
#[inline]
fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Strips Greek accents (tonos) but keeps the dialytika letters, which
/// block digraphs.
#[inline]
pub(crate) fn greek_base(c: char) -> char {
    match c {
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' => 'ι',
        'ό' => 'ο',
        'ύ' => 'υ',
        'ώ' => 'ω',
        'ΐ' => 'ϊ',
        'ΰ' => 'ϋ',
        other => other,
    }
}

/// Peeks the lowercased, accent-free next character of `rest`.
#[inline]
fn peek(rest: &str, n: usize) -> Option<char> {
    rest.chars().nth(n).map(|c| greek_base(lower(c)))
}

/// Folds one character (with lookahead into `rest` for digraphs) and
/// returns how many characters of `rest` it consumed as well.
fn fold_char(c: char, rest: &str, at_start: bool, out: &mut String) -> usize {
    let c = lower(c);
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        }
        return 0;
    }
    match c {
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => fold_greek(c, rest, at_start, out),
        '\u{0400}'..='\u{04FF}' => fold_cyrillic(c, rest, out),
        _ => {
            fold_latin(c, out);
            0
        }
    }
}

fn fold_latin(c: char, out: &mut String) {
    let s = match c {
        'ł' | 'ŀ' => "l",
        'ø' => "o",
        'đ' => "dj",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ð' => "d",
        'ı' => "i",
        'ħ' => "h",
        'ŋ' => "ng",
        _ => {
            decompose_compatible(c, |d| {
                if d.is_ascii_alphanumeric() {
                    out.push(d.to_ascii_lowercase());
                }
            });
            return;
        }
    };
    out.push_str(s);
}

fn fold_cyrillic(c: char, rest: &str, out: &mut String) -> usize {
    let s = match c {
        // Bulgarian ъ is a vowel: Тръмп is Трамп.
        'а' | 'ъ' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'ы' => {
            // Word-final -ий/-ый is the -y of Zelensky, Dostoevsky.
            if peek(rest, 0) == Some('й') && peek(rest, 1).is_none() {
                out.push('y');
                return 1;
            }
            if c == 'ы' {
                "y"
            } else {
                "i"
            }
        }
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "yu",
        'я' => "ya",
        'ђ' => "dj",
        'ћ' => "c",
        'џ' | 'ѕ' => "dz",
        'љ' => "lj",
        'њ' => "nj",
        'ј' => "j",
        'ѓ' => "gj",
        'ќ' => "kj",
        // The soft sign and letters of other Cyrillic languages.
        _ => "",
    };
    out.push_str(s);
    0
}

fn fold_greek(c: char, rest: &str, at_start: bool, out: &mut String) -> usize {
    let base = greek_base(c);
    // An accent on the first vowel splits the pair: `άι` is a-i, `αι` is e.
    let next = if base == c { peek(rest, 0) } else { None };
    let c = base;
    let (s, used) = match (c, next) {
        ('ο', Some('υ')) => ("u", 1),
        ('α', Some('ι')) => ("e", 1),
        ('ε' | 'ο', Some('ι')) => ("i", 1),
        ('α', Some('υ')) => ("av", 1),
        ('ε', Some('υ')) => ("ev", 1),
        ('η', Some('υ')) => ("iv", 1),
        ('μ', Some('π')) => (if at_start { "b" } else { "mp" }, 1),
        ('ν', Some('τ')) => ("d", 1),
        ('γ', Some('γ' | 'κ')) => (if at_start { "g" } else { "ng" }, 1),
        ('γ', Some('χ')) => ("nh", 1),
        ('τ', Some('σ')) => ("ts", 1),
        ('α', _) => ("a", 0),
        ('β', _) => ("v", 0),
        ('γ', _) => ("g", 0),
        ('δ', _) => ("d", 0),
        ('ε', _) => ("e", 0),
        ('ζ', _) => ("z", 0),
        ('η' | 'ι' | 'υ' | 'ϊ' | 'ϋ', _) => ("i", 0),
        ('θ', _) => ("th", 0),
        ('κ', _) => ("k", 0),
        ('λ', _) => ("l", 0),
        ('μ', _) => ("m", 0),
        ('ν', _) => ("n", 0),
        ('ξ', _) => ("x", 0),
        ('ο' | 'ω', _) => ("o", 0),
        ('π', _) => ("p", 0),
        ('ρ', _) => ("r", 0),
        ('σ' | 'ς', _) => ("s", 0),
        ('τ', _) => ("t", 0),
        ('φ', _) => ("f", 0),
        ('χ', _) => ("h", 0),
        ('ψ', _) => ("ps", 0),
        _ => ("", 0),
    };
    out.push_str(s);
    used
}

/// The skeleton of `folded` as a new string ([`skeleton_into`]).
#[cfg(test)]
fn skeleton(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    skeleton_into(folded, &mut out);
    out
}

/// Appends to `out` the consonant skeleton of a folded (ASCII) word, for
/// cross-script name matching: the first letter is kept (vowel-initial
/// names stay apart from consonant-initial ones), later vowels and `h`,
/// `j`, `w`-glides are dropped, `c`/`q` merge into `k`, `z` into `s`, `w`
/// into `v`, `x` becomes `ks`, and runs of one letter collapse (`trump`,
/// `tramp` → `trmp`).
pub(crate) fn skeleton_into(folded: &str, out: &mut String) {
    let mut last = 0u8;
    for (i, b) in folded.bytes().enumerate() {
        let mapped: &[u8] = match b {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'j' | b'h' if i > 0 => b"",
            b'c' | b'q' => b"k",
            b'z' => b"s",
            b'w' => b"v",
            b'x' => b"ks",
            _ => std::slice::from_ref(&b),
        };
        // Dropped vowels do not reset `last`: a vowel between two equal
        // consonants is spelling noise as often as it is part of the name.
        for &m in mapped {
            if m != last {
                out.push(char::from(m));
                last = m;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path() {
        assert_eq!(fold("NATO"), "nato");
        assert_eq!(fold("600.000"), "600000");
        assert_eq!(fold("dell'Ucraina"), "dellucraina");
    }

    #[test]
    fn latin_diacritics() {
        assert_eq!(fold("Zürich"), "zurich");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Øresund"), "oresund");
        assert_eq!(fold("Đoković"), "djokovic");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ærø"), "aero");
        assert_eq!(fold("Œuvre"), "oeuvre");
        assert_eq!(fold("Þingvellir"), "thingvellir");
        assert_eq!(fold("Diyarbakır"), "diyarbakir");
        assert_eq!(fold("Erdoğan"), "erdogan");
        assert_eq!(fold("Vučić"), "vucic");
        assert_eq!(fold("Ünal"), "unal");
        assert_eq!(fold("Kőbánya"), "kobanya");
    }

    #[test]
    fn romanian_comma_and_cedilla_agree() {
        assert_eq!(fold("București"), "bucuresti");
        assert_eq!(fold("Bucureşti"), "bucuresti");
        assert_eq!(fold("Țara"), fold("Ţara"));
        assert_eq!(fold("Țara"), "tara");
    }

    #[test]
    fn cyrillic_names_agree_with_latin() {
        for w in ["Путин", "Путін", "ПУТИН", "Πούτιν", "Putin"] {
            assert_eq!(fold(w), "putin", "{w}");
        }
        for w in ["Трамп", "Тръмп", "Τραμπ"] {
            assert_eq!(fold(w), "tramp", "{w}");
        }
        assert_eq!(fold("Зеленский"), "zelensky");
        assert_eq!(fold("Зеленський"), "zelensky");
        assert_eq!(fold("Москва"), "moskva");
        assert_eq!(fold("Хамас"), "hamas");
        // Serbian ч is Russian ч: `ch`; the skeleton reconciles it with `Vučić`.
        assert_eq!(fold("Вучић"), "vuchic");
        assert_eq!(fold("Љубљана"), "ljubljana");
        assert_eq!(fold("Київ"), "kiyiv");
        assert_eq!(fold("Ѓорѓе"), "gjorgje");
    }

    #[test]
    fn greek_digraphs() {
        assert_eq!(fold("Μπάιντεν"), "baiden");
        assert_eq!(fold("Ντόναλντ"), "donald");
        assert_eq!(fold("Ολυμπιακοί"), "olimpiaki");
        assert_eq!(fold("Αθήνα"), "athina");
        assert_eq!(fold("Ευρώπη"), "evropi");
        assert_eq!(fold("Κάιρο"), "kairo");
        assert_eq!(fold("Ολλανδία"), "ollandia");
        assert_eq!(fold("ΝΑΤΟ"), "nato");
        // Dialytika blocks the digraph: α-ϊ, not αι.
        assert_eq!(fold("Ταϊβάν"), "taivan");
    }

    #[test]
    fn digits_kept_other_scripts_dropped() {
        assert_eq!(fold("2024"), "2024");
        assert_eq!(fold("Ф-16"), "f16");
        assert_eq!(fold("北京"), "");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn fold_into_appends() {
        let mut s = String::from("x");
        fold_into("Ş", &mut s);
        assert_eq!(s, "xs");
    }

    #[test]
    fn skeleton_merges_national_spellings() {
        assert_eq!(skeleton("trump"), "trmp");
        assert_eq!(skeleton(&fold("Тръмп")), "trmp");
        for w in [
            "Zelensky",
            "Zelenskyj",
            "Selenskyj",
            "Зеленський",
            "Zełenski",
        ] {
            assert_eq!(skeleton(&fold(w)), "slnsk", "{w}");
        }
        assert_eq!(skeleton(&fold("Вучић")), skeleton(&fold("Vučić")));
        assert_eq!(skeleton("kyiv"), skeleton("kiyiv"));
        assert_eq!(skeleton("obama"), "obm");
        assert_eq!(skeleton(""), "");
    }
}
