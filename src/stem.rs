//! Stage 5: stemming and stopwords.
//!
//! An [`Analyzer`] holds one language's stemmer and stopword list. Words
//! come in already lowercased and in NFC (the tokenizer's job).
//!
//! Which stemmer a language gets ([`Stemming`]):
//!
//! - **Snowball** (via rust-stemmers) for Arabic, Danish, Dutch, English,
//!   Finnish, French, German, Greek, Hungarian, Italian, Norwegian,
//!   Portuguese, Romanian, Russian, Spanish, Swedish, Tamil and Turkish.
//!   Romanian words are mapped from comma-below `ș ț` to the cedilla `ş ţ`
//!   the Snowball stemmer knows, and stems mapped back, so both spellings
//!   give one stem.
//! - **Light** suffix strippers of our own, one step, longest suffix first,
//!   never leaving a stem shorter than a minimum: Albanian (definite and
//!   case endings, in the spirit of Karanikolas 2009), the Slavic languages
//!   rust-stemmers lacks (Polish, Czech, Slovak, Slovenian, Croatian,
//!   Bosnian, Serbian, Macedonian, Bulgarian, Ukrainian: case endings, in
//!   the spirit of the light stemmers of Savoy and Dolamic) and Catalan and
//!   Galician (plural and gender endings). They are deliberately
//!   conservative: a missed conflation costs less than a wrong one.
//! - **Identity** for [`Language::Unknown`].
//! - **Custom**: any [`Stem`] implementation a caller plugs in with
//!   [`Analyzer::with_stemmer`].
//!
//! Stopword lists live in `src/data/stopwords/<code>.txt`, are compiled in
//! with `include_str!` and parsed into a set on first use.
//!
//! Stemming is a pure function of the language and the word, and news text
//! repeats its words, so Snowball and light stems are memoised per thread
//! and language (at most `STEM_CACHE_ENTRIES` words each, a few MiB): the
//! cache changes the cost, never the result.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::lang::Language;

/// A stemmer a caller can plug in for a language this crate lacks (or to
/// replace ours).
///
/// # Examples
///
/// ```
/// use std::borrow::Cow;
/// use std::sync::Arc;
/// use story_cluster::stem::{Analyzer, Stem};
/// use story_cluster::Language;
///
/// /// Drops a final "s".
/// struct Plural;
///
/// impl Stem for Plural {
///     fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
///         Cow::Borrowed(word.strip_suffix('s').unwrap_or(word))
///     }
/// }
///
/// let analyzer = Analyzer::with_stemmer(Language::Unknown, Arc::new(Plural));
/// assert_eq!(analyzer.stem("cats"), "cat");
/// ```
pub trait Stem: Send + Sync {
    /// The stem of `word`, which is lowercase and in NFC.
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str>;
}

/// Which kind of stemmer an [`Analyzer`] uses.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stemming {
    /// A Snowball stemmer.
    Snowball,
    /// One of this crate's light suffix strippers.
    Light,
    /// No stemming: words are returned unchanged.
    Identity,
    /// A caller's [`Stem`] implementation.
    Custom,
}

/// Stemmer and stopwords for one language.
///
/// Cheap to create (the stopword set is built once per language and
/// shared) and cheap to clone.
///
/// # Examples
///
/// ```
/// use story_cluster::stem::Analyzer;
/// use story_cluster::Language;
///
/// let ro = Analyzer::for_language(Language::Romanian);
/// assert_eq!(ro.stem("soldați"), ro.stem("soldaţi"));
/// assert!(ro.is_stopword("și"));
/// ```
#[derive(Clone)]
pub struct Analyzer {
    language: Language,
    stemmer: Stemmer,
    stopwords: &'static FxHashSet<&'static str>,
}

#[derive(Clone)]
enum Stemmer {
    Snowball(&'static rust_stemmers::Stemmer),
    Light(&'static LightRules),
    Identity,
    Custom(Arc<dyn Stem>),
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer")
            .field("language", &self.language)
            .field("stemming", &self.stemming())
            .field("stopwords", &self.stopwords.len())
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// The analyzer for `language`: our stemmer (see the [module
    /// docs](self)) and stopword list for it.
    pub fn for_language(language: Language) -> Analyzer {
        let stemmer = if let Some(snowball) = snowball_stemmer(language) {
            Stemmer::Snowball(snowball)
        } else if let Some(rules) = light_rules(language) {
            Stemmer::Light(rules)
        } else {
            Stemmer::Identity
        };
        Analyzer {
            language,
            stemmer,
            stopwords: stopwords(language),
        }
    }

    /// An analyzer with the caller's stemmer and our stopwords for
    /// `language` (none for [`Language::Unknown`]).
    pub fn with_stemmer(language: Language, stemmer: Arc<dyn Stem>) -> Analyzer {
        Analyzer {
            language,
            stemmer: Stemmer::Custom(stemmer),
            stopwords: stopwords(language),
        }
    }

    /// The language this analyzer is for.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Which kind of stemmer this analyzer uses.
    pub fn stemming(&self) -> Stemming {
        match self.stemmer {
            Stemmer::Snowball(_) => Stemming::Snowball,
            Stemmer::Light(_) => Stemming::Light,
            Stemmer::Identity => Stemming::Identity,
            Stemmer::Custom(_) => Stemming::Custom,
        }
    }

    /// The stem of `word`, which must already be lowercase and in NFC.
    ///
    /// Borrows when the stem is a prefix of the word.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match &self.stemmer {
            Stemmer::Snowball(_) | Stemmer::Light(_) => {
                cached_stem(self.language, word, |w| self.stem_uncached(w))
            }
            Stemmer::Identity => Cow::Borrowed(word),
            Stemmer::Custom(s) => s.stem(word),
        }
    }

    /// Calls `each(i, stem)` with the stem of every word `words[i]` (each
    /// lowercase and in NFC), in no particular order: what [`stem`] gives,
    /// with this thread's cache looked up for all the words before any
    /// stem is computed, so that the lookups, which mostly miss the
    /// processor's caches, overlap.
    ///
    /// [`stem`]: Analyzer::stem
    pub(crate) fn stem_each(&self, words: &[&str], mut each: impl FnMut(usize, &str)) {
        if !matches!(self.stemmer, Stemmer::Snowball(_) | Stemmer::Light(_)) {
            for (i, w) in words.iter().enumerate() {
                each(i, &self.stem(w));
            }
            return;
        }
        STEM_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let memo = &mut cache[self.language as usize];
            let found: Vec<Option<StemCode>> = words
                .iter()
                .map(|w| {
                    (w.len() <= STEM_CACHE_MAX_WORD)
                        .then(|| memo.get(w))
                        .flatten()
                })
                .collect();
            let mut missing = Vec::new();
            for (i, (&w, code)) in words.iter().zip(found).enumerate() {
                match code {
                    Some(code) => each(i, memo.stem_of(w, code)),
                    None => missing.push(i),
                }
            }
            for i in missing {
                let w = words[i];
                let stem = self.stem_uncached(w);
                if w.len() <= STEM_CACHE_MAX_WORD && memo.get(w).is_none() {
                    memo.insert(w, &stem);
                }
                each(i, &stem);
            }
        });
    }

    /// The stem of `word` computed afresh (what the cache stores).
    fn stem_uncached<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match &self.stemmer {
            Stemmer::Snowball(s) if self.language == Language::Romanian => stem_romanian(s, word),
            Stemmer::Snowball(s) => s.stem(word),
            Stemmer::Light(rules) => Cow::Borrowed(rules.strip(word)),
            Stemmer::Identity => Cow::Borrowed(word),
            Stemmer::Custom(s) => s.stem(word),
        }
    }

    /// Whether `word` (lowercase, NFC) is a stopword of this language.
    ///
    /// Romanian accepts both the comma-below and the cedilla spellings.
    pub fn is_stopword(&self, word: &str) -> bool {
        if self.language == Language::Romanian && !word.is_ascii() && word.contains(['ş', 'ţ']) {
            return self.stopwords.contains(cedilla_to_comma(word).as_str());
        }
        self.stopwords.contains(word)
    }
}

/// Most words a thread remembers the stem of, per language. Beyond it the
/// language's cache is emptied and fills again. Bound per language and
/// thread: at most 2^17 slots of 24 bytes (3 MiB; the table is kept at most
/// half full), plus the stems that are not a prefix of their word and the
/// words longer than [`SHORT_WORD`] bytes (each at most
/// [`STEM_CACHE_MAX_WORD`] bytes, about 80 and 120 bytes with their
/// bookkeeping): about 12 MiB in the worst case, and little more than the
/// slots on news text, where most stems are prefixes and most words short.
const STEM_CACHE_ENTRIES: usize = 1 << 16;

/// Longest word (in bytes) whose stem is remembered: longer ones are rare
/// and would only fill the cache.
const STEM_CACHE_MAX_WORD: usize = 48;

/// Longest word (in bytes) keyed by [`short_key`].
const SHORT_WORD: usize = 15;

/// A remembered stem, as stored in the memo: most stems are a prefix of
/// their word and are stored as its length, so that a hit borrows from the
/// word; others (with [`OTHER`] set) index [`StemMemo::others`].
type StemCode = u32;

/// The bit of a [`StemCode`] that marks an index into [`StemMemo::others`].
const OTHER: StemCode = 1 << 31;

/// One slot of [`StemMemo::slots`]: a short word's key (all zero when the
/// slot is empty; no word has that key) and its stem.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: [u64; 2],
    stem: StemCode,
}

/// One language's memo. Words of up to [`SHORT_WORD`] bytes, most of them,
/// are keyed by their bytes packed into two integers and kept in an
/// open-addressing table whose slots hold key and stem together: a lookup
/// usually reads one cache line (a table of separate control bytes and
/// entries reads two, and on news text these lookups miss the cache).
#[derive(Default)]
struct StemMemo {
    /// Empty or a power of two long, at most half full; linear probing.
    slots: Vec<Slot>,
    /// Occupied slots.
    short: usize,
    others: Vec<Box<str>>,
    long: FxHashMap<Box<str>, StemCode>,
}

/// The bytes of a word of at most [`SHORT_WORD`] bytes, with its length in
/// the top byte: distinct words give distinct keys, and none is all zero.
fn short_key(word: &[u8]) -> [u64; 2] {
    let mut bytes = [0u8; 16];
    bytes[..word.len()].copy_from_slice(word);
    bytes[15] = word.len() as u8;
    let (lo, hi) = bytes.split_at(8);
    let lo: [u8; 8] = lo.try_into().unwrap_or_default();
    let hi: [u8; 8] = hi.try_into().unwrap_or_default();
    [u64::from_le_bytes(lo), u64::from_le_bytes(hi)]
}

impl StemMemo {
    /// The slot holding `key`, or the empty slot where it would go. The
    /// table must not be empty.
    fn slot_index(&self, key: [u64; 2]) -> usize {
        let mask = self.slots.len() - 1;
        let h = (key[0].wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ key[1])
            .wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let mut i = (h >> 32) as usize & mask;
        loop {
            let k = self.slots[i].key;
            if k == key || k == [0, 0] {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The remembered stem code of `word` (at most
    /// [`STEM_CACHE_MAX_WORD`] bytes), if any.
    fn get(&self, word: &str) -> Option<StemCode> {
        if word.len() > SHORT_WORD {
            return self.long.get(word).copied();
        }
        if self.slots.is_empty() {
            return None;
        }
        let key = short_key(word.as_bytes());
        let slot = self.slots[self.slot_index(key)];
        (slot.key == key).then_some(slot.stem)
    }

    /// The stem that `code`, remembered for `word`, stands for.
    fn stem_of<'a>(&'a self, word: &'a str, code: StemCode) -> &'a str {
        if code & OTHER == 0 {
            &word[..code as usize]
        } else {
            &self.others[(code & !OTHER) as usize]
        }
    }

    /// Remembers `stem` as the stem of `word` (at most
    /// [`STEM_CACHE_MAX_WORD`] bytes, not remembered yet), emptying the
    /// memo first when it holds [`STEM_CACHE_ENTRIES`] words.
    fn insert(&mut self, word: &str, stem: &str) {
        if self.short + self.long.len() >= STEM_CACHE_ENTRIES {
            self.slots.fill(Slot::default());
            self.short = 0;
            self.others.clear();
            self.long.clear();
        }
        let code = if word.starts_with(stem) {
            stem.len() as StemCode
        } else {
            self.others.push(stem.into());
            (self.others.len() - 1) as StemCode | OTHER
        };
        if word.len() > SHORT_WORD {
            self.long.insert(word.into(), code);
            return;
        }
        if (self.short + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let key = short_key(word.as_bytes());
        let i = self.slot_index(key);
        if self.slots[i].key != key {
            self.short += 1;
        }
        self.slots[i] = Slot { key, stem: code };
    }

    /// Doubles the table (to 1024 slots at first).
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(1 << 10);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); len]);
        for slot in old.into_iter().filter(|s| s.key != [0, 0]) {
            let i = self.slot_index(slot.key);
            self.slots[i] = slot;
        }
    }
}

thread_local! {
    /// Per-thread memo of stems, one a language (indexed by
    /// `Language as usize`, the order of [`Language::ALL`]).
    static STEM_CACHE: RefCell<Vec<StemMemo>> =
        RefCell::new((0..Language::ALL.len()).map(|_| StemMemo::default()).collect());
}

/// The stem of `word` in `language`, from this thread's cache or from
/// `compute` (which must be a pure function of the word).
fn cached_stem<'a>(
    language: Language,
    word: &'a str,
    compute: impl FnOnce(&'a str) -> Cow<'a, str>,
) -> Cow<'a, str> {
    if word.len() > STEM_CACHE_MAX_WORD {
        return compute(word);
    }
    STEM_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let memo = &mut cache[language as usize];
        if let Some(code) = memo.get(word) {
            return if code & OTHER == 0 {
                Cow::Borrowed(&word[..code as usize])
            } else {
                Cow::Owned(memo.stem_of(word, code).to_string())
            };
        }
        let stem = compute(word);
        memo.insert(word, &stem);
        stem
    })
}

/// The shared Snowball stemmer for `language`, if rust-stemmers has one.
fn snowball_stemmer(language: Language) -> Option<&'static rust_stemmers::Stemmer> {
    const N: usize = Language::ALL.len();
    static STEMMERS: [OnceLock<Option<rust_stemmers::Stemmer>>; N] = [const { OnceLock::new() }; N];
    STEMMERS[language as usize]
        .get_or_init(|| snowball_algorithm(language).map(rust_stemmers::Stemmer::create))
        .as_ref()
}

/// The Snowball algorithm for `language`, if rust-stemmers has one.
pub(crate) fn snowball_algorithm(language: Language) -> Option<rust_stemmers::Algorithm> {
    use rust_stemmers::Algorithm as A;
    Some(match language {
        Language::Arabic => A::Arabic,
        Language::Danish => A::Danish,
        Language::Dutch => A::Dutch,
        Language::English => A::English,
        Language::Finnish => A::Finnish,
        Language::French => A::French,
        Language::German => A::German,
        Language::Greek => A::Greek,
        Language::Hungarian => A::Hungarian,
        Language::Italian => A::Italian,
        Language::Norwegian => A::Norwegian,
        Language::Portuguese => A::Portuguese,
        Language::Romanian => A::Romanian,
        Language::Russian => A::Russian,
        Language::Spanish => A::Spanish,
        Language::Swedish => A::Swedish,
        Language::Tamil => A::Tamil,
        Language::Turkish => A::Turkish,
        _ => return None,
    })
}

/// Stems a Romanian word with the Snowball stemmer, which knows only the
/// cedilla letters `ş ţ`: comma-below `ș ț` are mapped to them first, and
/// the stem is mapped back to the modern comma-below spelling.
fn stem_romanian<'a>(stemmer: &rust_stemmers::Stemmer, word: &'a str) -> Cow<'a, str> {
    let stem = if word.contains(['ș', 'ț']) {
        let cedilla: String = word
            .chars()
            .map(|c| match c {
                'ș' => 'ş',
                'ț' => 'ţ',
                c => c,
            })
            .collect();
        Cow::Owned(stemmer.stem(&cedilla).into_owned())
    } else {
        stemmer.stem(word)
    };
    if stem.contains(['ş', 'ţ']) {
        Cow::Owned(cedilla_to_comma(&stem))
    } else {
        stem
    }
}

fn cedilla_to_comma(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'ş' => 'ș',
            'ţ' => 'ț',
            c => c,
        })
        .collect()
}

/// A one-step light stemmer: strip the longest listed suffix that leaves at
/// least `min_stem` characters.
#[derive(Debug)]
pub(crate) struct LightRules {
    /// Suffixes, longest first (sorted when the rules are built).
    suffixes: Vec<&'static str>,
    min_stem: usize,
    /// Vowels dropped once from the end of the stem after stripping.
    final_vowels: &'static [char],
}

impl LightRules {
    fn new(suffixes: &[&'static str], min_stem: usize) -> LightRules {
        let mut suffixes = suffixes.to_vec();
        suffixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        suffixes.dedup();
        LightRules {
            suffixes,
            min_stem,
            final_vowels: &[],
        }
    }

    fn with_final_vowels(mut self, vowels: &'static [char]) -> LightRules {
        self.final_vowels = vowels;
        self
    }

    fn strip<'a>(&self, word: &'a str) -> &'a str {
        let chars = word.chars().count();
        let stem = self.suffixes.iter().find_map(|suffix| {
            let stem = word.strip_suffix(suffix)?;
            (chars - suffix.chars().count() >= self.min_stem).then_some(stem)
        });
        let Some(stem) = stem else {
            return word;
        };
        match stem.strip_suffix(self.final_vowels) {
            Some(shorter) if shorter.chars().count() >= self.min_stem => shorter,
            _ => stem,
        }
    }
}

/// Albanian suffixes: definite-article and case endings of nouns and
/// adjectives (`-i -u -a -ja -ia` definite nominative, `-in -un -ën`
/// accusative, `-it -ut -ës -së` genitive/dative, `-ët -at -et` and `-ve
/// -ëve -ave -eve` plural), after the one-step longest-suffix stripper
/// described by Karanikolas (2009), "Machine learning and natural language
/// processing tools for the Albanian language" (list rewritten here, not
/// copied). One final vowel is then dropped, so that stems ending in a
/// vowel (`Rusi`, `Rusia`, `Rusisë`) meet. `-në` is left out on purpose: it
/// is the accusative of vowel stems (`Rusinë`) but also the plain ending of
/// common nouns and names (`Ukrainë`, `makinë`), and the second kind must
/// not lose its `n`.
const ALBANIAN: &[&str] = &[
    "ëve", "ave", "eve", "ive", "uve", "ve", "së", "ës", "ën", "ët", "it", "in", "ut", "un", "ja",
    "ia", "at", "et", "a", "e", "i", "ë", "u",
];

/// The vowels the Albanian stemmer drops at the end of a stripped stem.
const ALBANIAN_VOWELS: &[char] = &['a', 'e', 'ë', 'i', 'o', 'u', 'y'];

/// West and South Slavic in Latin script (Polish, Czech, Slovak,
/// Slovenian, Croatian, Bosnian, Serbian Latin): frequent noun and
/// adjective case endings only. Verbs are left alone.
const SLAVIC_LATIN: &[&str] = &[
    // Adjective endings (long forms).
    "ových", "ovými", "ého", "ému", "ými", "ích", "ými", "ega", "emu", "ima", "ama", "ih", "im",
    "om", "oj", "ego", "emu", "ych", "ymi", "ich", "imi", "ami", "ach", "ów", "owi", "ie",
    // Noun endings.
    "ovi", "ové", "ou", "ám", "ům", "em", "a", "e", "i", "o", "u", "y", "ý", "í", "é", "á", "ą",
    "ę", "ě",
];

/// East and South Slavic in Cyrillic (Ukrainian, Bulgarian, Macedonian,
/// Serbian Cyrillic): frequent noun and adjective endings, including the
/// Bulgarian and Macedonian postposed articles.
const SLAVIC_CYRILLIC: &[&str] = &[
    // Postposed articles (bg, mk).
    "ите", "ата", "ото", "ът", "ят", "та", "то", "те", "от", // Adjective endings.
    "ого", "ому", "ими", "ому", "ого", "ими", "ої", "ій", "ий", "ій", "их", "ім", "им", "ою", "ою",
    "ої", "ег", "ом", "ам", "ах", "ами", "ями", "ів", "ов", "ев", // Noun endings.
    "а", "я", "у", "ю", "і", "и", "е", "о", "ь", "ї",
];

/// Catalan and Galician: plural and gender endings.
const IBERIAN_LIGHT: &[&str] = &["es", "os", "as", "s", "a", "o", "e"];

fn light_rules(language: Language) -> Option<&'static LightRules> {
    static ALBANIAN_RULES: OnceLock<LightRules> = OnceLock::new();
    static SLAVIC_RULES: OnceLock<LightRules> = OnceLock::new();
    static IBERIAN_RULES: OnceLock<LightRules> = OnceLock::new();
    Some(match language {
        Language::Albanian => ALBANIAN_RULES
            .get_or_init(|| LightRules::new(ALBANIAN, 3).with_final_vowels(ALBANIAN_VOWELS)),
        // Serbian may be written in either script, so the Slavic rules hold
        // both lists; suffixes of one script never match words of the other.
        Language::Polish
        | Language::Czech
        | Language::Slovak
        | Language::Slovenian
        | Language::Croatian
        | Language::Bosnian
        | Language::Serbian
        | Language::Macedonian
        | Language::Bulgarian
        | Language::Ukrainian => SLAVIC_RULES.get_or_init(|| {
            let both: Vec<&'static str> = SLAVIC_LATIN
                .iter()
                .chain(SLAVIC_CYRILLIC)
                .copied()
                .collect();
            LightRules::new(&both, 4)
        }),
        Language::Catalan | Language::Galician => {
            IBERIAN_RULES.get_or_init(|| LightRules::new(IBERIAN_LIGHT, 4))
        }
        _ => return None,
    })
}

/// The stopword file for `language`, or `""` when we have none.
fn stopword_data(language: Language) -> &'static str {
    match language {
        Language::Arabic => include_str!("data/stopwords/ar.txt"),
        Language::Bosnian => include_str!("data/stopwords/bs.txt"),
        Language::Bulgarian => include_str!("data/stopwords/bg.txt"),
        Language::Catalan => include_str!("data/stopwords/ca.txt"),
        Language::Croatian => include_str!("data/stopwords/hr.txt"),
        Language::Czech => include_str!("data/stopwords/cs.txt"),
        Language::Danish => include_str!("data/stopwords/da.txt"),
        Language::Dutch => include_str!("data/stopwords/nl.txt"),
        Language::English => include_str!("data/stopwords/en.txt"),
        Language::Finnish => include_str!("data/stopwords/fi.txt"),
        Language::French => include_str!("data/stopwords/fr.txt"),
        Language::Galician => include_str!("data/stopwords/gl.txt"),
        Language::German => include_str!("data/stopwords/de.txt"),
        Language::Greek => include_str!("data/stopwords/el.txt"),
        Language::Hungarian => include_str!("data/stopwords/hu.txt"),
        Language::Italian => include_str!("data/stopwords/it.txt"),
        Language::Macedonian => include_str!("data/stopwords/mk.txt"),
        Language::Norwegian => include_str!("data/stopwords/nb.txt"),
        Language::Polish => include_str!("data/stopwords/pl.txt"),
        Language::Portuguese => include_str!("data/stopwords/pt.txt"),
        Language::Romanian => include_str!("data/stopwords/ro.txt"),
        Language::Russian => include_str!("data/stopwords/ru.txt"),
        Language::Serbian => include_str!("data/stopwords/sr.txt"),
        Language::Albanian => include_str!("data/stopwords/sq.txt"),
        Language::Slovak => include_str!("data/stopwords/sk.txt"),
        Language::Slovenian => include_str!("data/stopwords/sl.txt"),
        Language::Spanish => include_str!("data/stopwords/es.txt"),
        Language::Swedish => include_str!("data/stopwords/sv.txt"),
        Language::Tamil => include_str!("data/stopwords/ta.txt"),
        Language::Turkish => include_str!("data/stopwords/tr.txt"),
        Language::Ukrainian => include_str!("data/stopwords/uk.txt"),
        Language::Unknown => "",
    }
}

/// The languages whose stopword lists hold `word` (lower case), as a set
/// of bits, bit `language as usize` for each. Language detection counts
/// them in short text, where a trigram model has too little to go on.
pub(crate) fn stopword_languages(word: &str) -> u64 {
    const _: () = assert!(Language::ALL.len() <= 64);
    static MAP: OnceLock<FxHashMap<&'static str, u64>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for language in Language::ALL {
            for &w in stopwords(language) {
                *map.entry(w).or_insert(0) |= 1 << language as usize;
            }
        }
        map
    })
    .get(word)
    .copied()
    .unwrap_or(0)
}

/// The stopword set of `language`, parsed on first use and shared.
fn stopwords(language: Language) -> &'static FxHashSet<&'static str> {
    const N: usize = Language::ALL.len();
    static SETS: [OnceLock<FxHashSet<&'static str>>; N] = [const { OnceLock::new() }; N];
    SETS[language as usize].get_or_init(|| {
        stopword_data(language)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanian_comma_below_and_cedilla_stem_alike() {
        let ro = Analyzer::for_language(Language::Romanian);
        assert_eq!(ro.stem("soldați"), "sold");
        assert_eq!(ro.stem("soldaţi"), "sold");
        // Stems keep the modern spelling whatever the input used.
        assert_eq!(ro.stem("forțele"), ro.stem("forţele"));
        assert!(!ro.stem("forțele").contains('ţ'));
    }

    #[test]
    fn romanian_fixture_sentence() {
        let ro = Analyzer::for_language(Language::Romanian);
        let sentence = "primarul orașului a inaugurat noul pod și podurile vechi";
        let content: Vec<_> = sentence
            .split(' ')
            .filter(|w| !ro.is_stopword(w))
            .map(|w| ro.stem(w).into_owned())
            .collect();
        assert!(!content.contains(&"și".to_string()));
        assert_eq!(ro.stem("orașului"), ro.stem("orașul"));
        assert_eq!(ro.stem("primarului"), ro.stem("primarul"));
        assert!(ro.is_stopword("şi"), "cedilla spelling of a stopword");
    }

    #[test]
    fn italian_snowball() {
        let it = Analyzer::for_language(Language::Italian);
        assert_eq!(it.stemming(), Stemming::Snowball);
        assert_eq!(it.stem("soldati"), it.stem("soldato"));
        assert!(it.is_stopword("della"));
        assert!(!it.is_stopword("ponte"));
    }

    #[test]
    fn albanian_light_stemmer_conflates_inflected_names() {
        let sq = Analyzer::for_language(Language::Albanian);
        assert_eq!(sq.stemming(), Stemming::Light);
        for w in ["ukrainë", "ukraina", "ukrainës", "ukrainën"] {
            assert_eq!(sq.stem(w), "ukrain", "{w}");
        }
        for w in ["rusi", "rusia", "rusisë"] {
            assert_eq!(sq.stem(w), "rus", "{w}");
        }
        for w in ["putini", "putinin", "putinit"] {
            assert_eq!(sq.stem(w), "putin", "{w}");
        }
        // A fixture sentence: "the soldiers of the army entered the city".
        assert_eq!(sq.stem("ushtarët"), sq.stem("ushtarë"));
        assert_eq!(sq.stem("qytetin"), sq.stem("qyteti"));
        // Short words are left alone.
        assert_eq!(sq.stem("ujë"), "ujë");
        assert!(sq.is_stopword("të"));
        assert!(sq.is_stopword("është"));
        assert!(!sq.is_stopword("qyteti"));
    }

    #[test]
    fn slavic_light_stemmer_is_conservative() {
        let hr = Analyzer::for_language(Language::Croatian);
        assert_eq!(hr.stemming(), Stemming::Light);
        assert_eq!(hr.stem("vlade"), hr.stem("vladi"));
        assert_eq!(hr.stem("zagrebu"), "zagreb");
        assert_eq!(hr.stem("grad"), "grad");
        let bg = Analyzer::for_language(Language::Bulgarian);
        assert_eq!(bg.stem("градът"), "град");
        assert_eq!(bg.stem("правителството"), bg.stem("правителство"));
    }

    #[test]
    fn galician_and_catalan_plurals() {
        let gl = Analyzer::for_language(Language::Galician);
        assert_eq!(gl.stem("cidades"), gl.stem("cidade"));
        let ca = Analyzer::for_language(Language::Catalan);
        assert_eq!(ca.stem("ciutats"), "ciutat");
        assert!(gl.is_stopword("unha"));
        assert!(ca.is_stopword("amb"));
    }

    #[test]
    fn unknown_is_identity_without_stopwords() {
        let und = Analyzer::for_language(Language::Unknown);
        assert_eq!(und.stemming(), Stemming::Identity);
        assert_eq!(und.stem("whatever"), "whatever");
        assert!(!und.is_stopword("the"));
    }

    #[test]
    fn every_language_has_stopwords_that_are_lowercase() {
        for language in Language::ALL {
            let set = stopwords(language);
            if language == Language::Unknown {
                assert!(set.is_empty());
                continue;
            }
            assert!(set.len() >= 20, "{language}: {} stopwords", set.len());
            for w in set {
                assert_eq!(*w, w.to_lowercase(), "{language}: {w}");
                assert!(!w.contains(char::is_whitespace), "{language}: {w:?}");
            }
            let header = stopword_data(language).lines().next().unwrap_or("");
            assert!(header.starts_with('#'), "{language}: no header comment");
        }
        assert!(stopwords(Language::Albanian).len() >= 150);
    }

    #[test]
    fn custom_stemmer_plugs_in() {
        struct Upper;
        impl Stem for Upper {
            fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
                Cow::Owned(word.to_uppercase())
            }
        }
        let a = Analyzer::with_stemmer(Language::Albanian, Arc::new(Upper));
        assert_eq!(a.stemming(), Stemming::Custom);
        assert_eq!(a.stem("nato"), "NATO");
        assert!(a.is_stopword("dhe"), "keeps our stopwords");
    }

    #[test]
    fn language_discriminants_index_all() {
        for (i, language) in Language::ALL.into_iter().enumerate() {
            assert_eq!(language as usize, i, "{language}");
        }
    }

    #[test]
    fn cached_stems_equal_fresh_ones() {
        let words = [
            "soldați",
            "soldaţi",
            "forțele",
            "orașului",
            "ukrainës",
            "putinit",
            "zagrebu",
            // Longer than `SHORT_WORD`: the cache keyed by string.
            "internaționalizarea",
            "bashkëpunëtorëve",
        ];
        for language in [
            Language::Romanian,
            Language::Albanian,
            Language::Croatian,
            Language::Italian,
        ] {
            let a = Analyzer::for_language(language);
            for w in words {
                let fresh = a.stem_uncached(w).into_owned();
                // The first call fills the cache, the second reads it.
                assert_eq!(a.stem(w), fresh, "{language}: {w}");
                assert_eq!(a.stem(w), fresh, "{language}: {w}");
            }
        }
    }

    #[test]
    fn stem_each_equals_stem() {
        let words = [
            "soldați",
            "soldaţi",
            "forțele",
            "orașului",
            "ukrainës",
            "zagrebu",
            "internaționalizarea",
            "a",
            &"x".repeat(STEM_CACHE_MAX_WORD + 1),
        ];
        for language in [Language::Romanian, Language::Albanian, Language::Unknown] {
            let a = Analyzer::for_language(language);
            // Twice: the first pass fills the cache, the second reads it.
            for _ in 0..2 {
                let mut got = vec![String::new(); words.len()];
                a.stem_each(&words, |i, stem| got[i] = stem.to_string());
                let want: Vec<String> = words.iter().map(|w| a.stem(w).into_owned()).collect();
                assert_eq!(got, want, "{language}");
            }
        }
    }

    #[test]
    fn the_memo_is_bounded_and_exact() {
        let mut memo = StemMemo::default();
        let word = |i: usize| format!("w{i}");
        // Every third stem is no prefix of its word.
        let stem = |i: usize| {
            if i % 3 == 0 {
                format!("s{i}")
            } else {
                format!("w{}", i / 10)
            }
        };
        let n = STEM_CACHE_ENTRIES + STEM_CACHE_ENTRIES / 2;
        for i in 0..n {
            let (w, s) = (word(i), stem(i));
            assert_eq!(memo.get(&w), None);
            memo.insert(&w, &s);
            assert_eq!(memo.stem_of(&w, memo.get(&w).unwrap()), s);
            assert!(memo.short + memo.long.len() <= STEM_CACHE_ENTRIES);
            assert!(memo.slots.len() <= 2 * STEM_CACHE_ENTRIES);
        }
        // The memo was emptied once, at `STEM_CACHE_ENTRIES` words.
        assert_eq!(memo.short, n - STEM_CACHE_ENTRIES);
        for i in STEM_CACHE_ENTRIES..n {
            let w = word(i);
            assert_eq!(memo.stem_of(&w, memo.get(&w).unwrap()), stem(i));
        }
    }

    #[test]
    fn analyzer_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Analyzer>();
    }
}
