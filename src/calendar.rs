//! Month and weekday names in the 28 languages, for date anchors.
//!
//! A date is one of the few anchors that reads the same in every language
//! once the month name is mapped to its number: "28 September", "28
//! septembrie", "28. syyskuuta", "szeptember 28." and "28 сентября" all
//! become the key `d:09-28`. The names, with the inflected forms news text
//! uses, live in `src/data/calendar.tsv` (hand-written; its header explains
//! the conventions and lists the words deliberately left out).
//!
//! The lookup is language-independent: a form has one meaning in every
//! language. Forms the data file lists with two different meanings are
//! dropped when the table is built (only `listopad`, `listopada` and
//! `listopadu`, November in Polish and Czech but October in Croatian).
//!
//! Some month names are also ordinary words (English "may", "march"); the
//! caller should only build a date key when a month name stands next to a
//! day number, which makes such words harmless.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

const DATA: &str = include_str!("data/calendar.tsv");

/// What a calendar word names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A month, numbered 1 (January) to 12.
    Month,
    /// A day of the week, numbered 1 (Monday) to 7 (Sunday).
    Weekday,
}

/// The parsed data file: form → meaning, plus the forms dropped as
/// conflicting.
#[derive(Debug)]
struct Table {
    /// Keys are the data file's forms (borrowed) and the accentless Greek
    /// forms derived from them (owned), hence `Cow` rather than `&'static
    /// str`.
    map: FxHashMap<Cow<'static, str>, (Kind, u8)>,
    /// Forms listed with more than one meaning, sorted. Only the tests
    /// read it, to pin which forms the data file loses.
    #[cfg_attr(not(test), allow(dead_code))]
    dropped: Vec<Cow<'static, str>>,
}

/// One data line: kind, number, language code, form.
fn parse_line(line: &'static str) -> Option<(Kind, u8, &'static str, &'static str)> {
    let mut fields = line.split('\t');
    let kind = match fields.next()? {
        "month" => Kind::Month,
        "weekday" => Kind::Weekday,
        _ => return None,
    };
    let number: u8 = fields.next()?.parse().ok()?;
    let lang = fields.next()?;
    let form = fields.next()?;
    let max = match kind {
        Kind::Month => 12,
        Kind::Weekday => 7,
    };
    let valid = (1..=max).contains(&number) && !form.is_empty() && fields.next().is_none();
    valid.then_some((kind, number, lang, form))
}

/// The data lines that are not comments or blank.
fn data_lines() -> impl Iterator<Item = &'static str> {
    DATA.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Greek written in capitals drops the accents (tonos), so "ΣΕΠΤΕΜΒΡΙΟΥ"
/// lowercases to "σεπτεμβριου"; returns that accentless spelling of `form`
/// when it differs. The diaeresis stays, as it does in capitals ("ΜΑΪΟΥ").
fn strip_greek_tonos(form: &str) -> Option<String> {
    let stripped: String = form.chars().map(crate::translit::greek_base).collect();
    (stripped != form).then_some(stripped)
}

impl Table {
    fn global() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(Table::build)
    }

    fn build() -> Table {
        let mut map: FxHashMap<Cow<'static, str>, (Kind, u8)> = FxHashMap::default();
        let mut conflicts: FxHashSet<Cow<'static, str>> = FxHashSet::default();
        let mut add = |form: Cow<'static, str>, meaning: (Kind, u8)| match map.get(&form) {
            Some(&existing) if existing != meaning => {
                conflicts.insert(form);
            }
            Some(_) => {}
            None => {
                map.insert(form, meaning);
            }
        };
        for (kind, number, _lang, form) in data_lines().filter_map(parse_line) {
            // Turkish is written with the cedilla letter ş, which
            // normalize.rs unifies with Romanian ș, so the table keys use ș.
            let form = canonical(form);
            if let Some(stripped) = strip_greek_tonos(&form) {
                add(Cow::Owned(stripped), (kind, number));
            }
            add(form, (kind, number));
        }
        for form in &conflicts {
            map.remove(form);
        }
        let mut dropped: Vec<_> = conflicts.into_iter().collect();
        dropped.sort_unstable();
        Table { map, dropped }
    }

    fn get(&self, word: &str) -> Option<(Kind, u8)> {
        self.map.get(canonical(word).as_ref()).copied()
    }
}

/// Brings a lowercased NFC token to the spelling the table uses: the
/// cedilla letters ş ţ become comma-below ș ț, as normalize.rs does for all
/// text (so Turkish "çarşamba" is keyed as "çarșamba"; callers may also pass
/// raw words), and a word-final Greek σ becomes ς
/// (the tokenizer lowercases letter by letter, so a capitalised
/// "ΣΕΠΤΕΜΒΡΙΟΣ" arrives as "σεπτεμβριοσ").
fn canonical(word: &str) -> Cow<'_, str> {
    let needs_fix = !word.is_ascii() && (word.ends_with('σ') || word.contains(['ş', 'ţ']));
    if !needs_fix {
        return Cow::Borrowed(word);
    }
    let mut fixed: String = word
        .chars()
        .map(|c| match c {
            'ş' => 'ș',
            'ţ' => 'ț',
            other => other,
        })
        .collect();
    if fixed.ends_with('σ') {
        fixed.pop();
        fixed.push('ς');
    }
    Cow::Owned(fixed)
}

/// What `word`, a lowercased NFC token, names in any of the 28 languages, if
/// it is a calendar word: a month (1-12) or a day of the week (1-7).
pub(crate) fn lookup(word: &str) -> Option<(Kind, u8)> {
    Table::global().get(word)
}

/// The month (1-12) that `word`, a lowercased NFC token, names in any of the
/// 28 languages. For the tests; the analysis calls [`lookup`].
#[cfg(test)]
fn month(word: &str) -> Option<u8> {
    match Table::global().get(word)? {
        (Kind::Month, n) => Some(n),
        (Kind::Weekday, _) => None,
    }
}

/// Whether `word`, a lowercased NFC token, names a day of the week in any of
/// the 28 languages. For the tests; the analysis calls [`lookup`].
#[cfg(test)]
fn is_weekday(word: &str) -> bool {
    matches!(Table::global().get(word), Some((Kind::Weekday, _)))
}

/// The language-independent key `d:MM-DD` for a day of a month, or `None`
/// when the day does not exist in that month in any year (February has 29).
pub(crate) fn date_key(day: u32, month: u8) -> Option<String> {
    let days = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then(|| format!("d:{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    const LANGS: [&str; 28] = [
        "en", "ro", "it", "sq", "de", "fr", "es", "pt", "nl", "pl", "cs", "sk", "sl", "hr", "bs",
        "sr", "mk", "bg", "el", "tr", "hu", "ru", "uk", "da", "sv", "fi", "ca", "gl",
    ];

    #[test]
    fn every_line_parses() {
        for line in data_lines() {
            let (_, _, lang, form) =
                parse_line(line).unwrap_or_else(|| panic!("bad line {line:?}"));
            assert!(LANGS.contains(&lang), "unknown language in {line:?}");
            assert_eq!(form, form.to_lowercase(), "not lower case: {line:?}");
            assert!(is_nfc(form), "not NFC: {line:?}");
            assert!(
                !form.contains([' ', '.', '\'', '-']),
                "not one token: {line:?}"
            );
            if lang == "ro" {
                assert!(!form.contains(['ş', 'ţ']), "cedilla in {line:?}");
            }
        }
    }

    #[test]
    fn every_language_has_twelve_months() {
        for lang in LANGS {
            let mut months: Vec<u8> = data_lines()
                .filter_map(parse_line)
                .filter(|&(k, _, l, _)| k == Kind::Month && l == lang)
                .map(|(_, n, _, _)| n)
                .collect();
            months.sort_unstable();
            months.dedup();
            // Romanian, German and French "mai" is left out (Romanian
            // "more"), so those languages have no May.
            let expected = if matches!(lang, "ro" | "de" | "fr") {
                11
            } else {
                12
            };
            assert_eq!(months.len(), expected, "{lang}: {months:?}");
        }
    }

    #[test]
    fn conflicting_forms_are_dropped() {
        // "listopad(a/u)" is November in Polish and Czech but October in
        // Croatian; these are the only forms the data lists twice with
        // different meanings. Polish "listopadzie" stays (November).
        let dropped: Vec<&str> = Table::global().dropped.iter().map(AsRef::as_ref).collect();
        assert_eq!(dropped, ["listopad", "listopada", "listopadu"]);
        assert_eq!(month("listopad"), None);
        assert_eq!(month("listopadzie"), Some(11));
    }

    #[test]
    fn months_with_inflections() {
        let cases: &[(&str, u8)] = &[
            // ro
            ("septembrie", 9),
            ("ianuarie", 1),
            ("ian", 1),
            ("decembrie", 12),
            // it
            ("settembre", 9),
            ("maggio", 5),
            ("gennaio", 1),
            // sq
            ("shtator", 9),
            ("shtatorit", 9),
            ("nëntor", 11),
            ("nentorit", 11),
            // en
            ("september", 9),
            ("sep", 9),
            ("may", 5),
            ("feb", 2),
            // de
            ("märz", 3),
            ("jänner", 1),
            ("dezember", 12),
            // fr
            ("août", 8),
            ("aout", 8),
            ("février", 2),
            ("févr", 2),
            // es
            ("septiembre", 9),
            ("setiembre", 9),
            ("mayo", 5),
            // ru
            ("сентября", 9),
            ("сентябре", 9),
            ("мая", 5),
            // el
            ("σεπτεμβρίου", 9),
            ("σεπτέμβριο", 9),
            ("μαΐου", 5),
            // tr (the tokenizer splits "Eylül'de" at the apostrophe)
            ("eylül", 9),
            ("mayıs", 5),
            ("mayis", 5),
            ("aralık", 12),
            // fi
            ("syyskuuta", 9),
            ("syyskuussa", 9),
            ("toukokuun", 5),
            // hu
            ("szeptember", 9),
            ("szeptemberben", 9),
            ("márciusban", 3),
            // pl
            ("września", 9),
            ("wrzesień", 9),
            ("maja", 5),
            ("listopadzie", 11),
            // cs
            ("září", 9),
            ("října", 10),
            ("července", 7),
            ("června", 6),
            // hr
            ("rujna", 9),
            ("rujan", 9),
            ("lipnja", 6),
            ("srpnja", 7),
            ("studenoga", 11),
            // sr / bs
            ("septembra", 9),
            ("septembar", 9),
            ("септембра", 9),
            ("avgusta", 8),
            // uk
            ("вересня", 9),
            ("листопада", 11),
            // bg / mk
            ("септември", 9),
            ("октомври", 10),
        ];
        for &(word, expected) in cases {
            assert_eq!(month(word), Some(expected), "{word}");
            assert!(!is_weekday(word), "{word}");
        }
    }

    #[test]
    fn capitals_and_legacy_letters() {
        // Greek capitals lose the accents; the tokenizer leaves a final σ.
        assert_eq!(month("σεπτεμβριου"), Some(9));
        assert_eq!(month("ιανουαριοσ"), Some(1));
        assert_eq!(month("μαϊου"), Some(5));
        assert!(is_weekday("κυριακη"));
        // Romanian cedilla letters.
        assert!(is_weekday("marţi"));
        assert!(is_weekday("marți"));
        // Turkish ş arrives as ș after normalize.rs; both spellings work.
        assert_eq!(month("şubat"), Some(2));
        assert_eq!(month("șubat"), Some(2));
        assert!(is_weekday("perșembe"));
    }

    #[test]
    fn weekdays() {
        for word in [
            "monday",
            "sunday",
            "luni",
            "marți",
            "duminică",
            "lunedì",
            "lunedi",
            // Albanian "e hënë": only the second word is listed.
            "hënë",
            "martë",
            "mërkurë",
            "enjte",
            "premte",
            "shtunë",
            "diel",
            "montag",
            "samstag",
            "lundi",
            "miércoles",
            "terça",
            "środę",
            "středu",
            "srijedu",
            "nedjelju",
            "понедельник",
            "пятницу",
            "ятниця",
            "δευτέρα",
            "παρασκευής",
            "pazartesi",
            "çarşamba",
            "hétfőn",
            "perjantaina",
            "lørdag",
            "dijous",
            "xoves",
        ] {
            assert!(is_weekday(word), "{word}");
            assert_eq!(month(word), None, "{word}");
        }
    }

    #[test]
    fn common_words_are_not_calendar_words() {
        // Left out on purpose (see the data file's header): Romanian "mai"
        // means "more", "mar" is the Italian/Spanish sea, "sept" French
        // seven, "jan" a given name, "nov" Slovenian/Croatian "new", and so
        // on. Russian "среда" also means "environment", "неделя" "week".
        for word in [
            "mai", "mar", "mag", "sept", "jan", "jul", "nov", "gen", "ago", "set", "noi", "dez",
            "the", "de", "la", "e", "și", "marco", "sali",
        ] {
            assert_eq!(month(word), None, "{word}");
            assert!(!is_weekday(word), "{word}");
        }
        for word in [
            "mon",
            "fri",
            "sat",
            "sun",
            "wed",
            "среда",
            "среду",
            "неделя",
            "nedelja",
            "недеља",
            "segunda",
            "quarta",
            "quinta",
            "feira",
        ] {
            assert!(!is_weekday(word), "{word}");
        }
    }

    #[test]
    fn date_keys() {
        assert_eq!(date_key(28, 9).as_deref(), Some("d:09-28"));
        assert_eq!(date_key(1, 1).as_deref(), Some("d:01-01"));
        assert_eq!(date_key(31, 12).as_deref(), Some("d:12-31"));
        assert_eq!(date_key(29, 2).as_deref(), Some("d:02-29"));
        assert_eq!(date_key(30, 2), None);
        assert_eq!(date_key(31, 4), None);
        assert_eq!(date_key(31, 11), None);
        assert_eq!(date_key(30, 11).as_deref(), Some("d:11-30"));
        assert_eq!(date_key(0, 1), None);
        assert_eq!(date_key(32, 1), None);
        assert_eq!(date_key(1, 0), None);
        assert_eq!(date_key(1, 13), None);
    }
}
