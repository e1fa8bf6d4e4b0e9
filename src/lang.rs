//! Stage 2: language identification.
//!
//! [`Language`] is this crate's own enum, so that the detector and stemmer
//! crates behind it stay private. [`detect`] runs whatlang restricted to the
//! languages we support, plus detectors of our own, driven by the marker
//! words in `src/data/langid/markers.txt`, for what whatlang does not know or
//! gets wrong (Albanian, Galician, Bosnian, Serbian in Latin script,
//! Romanian without diacritics). A caller's hint always wins.
//!
//! # Accuracy
//!
//! On the 28 languages of `ntrex-dev.jsonl` (81 news articles each, title
//! and text) every language is detected 100% correctly. Bosnian, Croatian
//! and Serbian are the hardest: the standard varieties differ mainly in the
//! reflex of old *ě* (Serbian ekavian, the others ijekavian) and in a few
//! hundred words, and Bosnian and Croatian, both ijekavian, often by only
//! one or two words of an article (see [`detect`]). A short text can
//! contain none of them; then the answer is Croatian, with confidence 0.1.
//!
//! # Cost
//!
//! At most [`DETECT_PREFIX_BYTES`] are examined: one pass over them for
//! letters and marker words, and whatlang over the first 1 KiB unless the
//! marker words already settle the language (Albanian and clear Romance
//! text skip whatlang).

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::str::FromStr;
use std::sync::OnceLock;

use crate::error::{Error, ErrorKind};

/// A language this crate analyses with its own stemmer and stopwords.
///
/// Text in any other language is still clustered: it is analysed without
/// stemming and stopwords ([`Language::Unknown`]), and its anchors (names,
/// numbers, dates) link it to stories in other languages.
#[non_exhaustive]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Language {
    /// Arabic (`ar`).
    Arabic,
    /// Bosnian (`bs`).
    Bosnian,
    /// Bulgarian (`bg`).
    Bulgarian,
    /// Catalan (`ca`).
    Catalan,
    /// Croatian (`hr`).
    Croatian,
    /// Czech (`cs`).
    Czech,
    /// Danish (`da`).
    Danish,
    /// Dutch (`nl`).
    Dutch,
    /// English (`en`).
    English,
    /// Finnish (`fi`).
    Finnish,
    /// French (`fr`).
    French,
    /// Galician (`gl`).
    Galician,
    /// German (`de`).
    German,
    /// Greek (`el`).
    Greek,
    /// Hungarian (`hu`).
    Hungarian,
    /// Italian (`it`).
    Italian,
    /// Macedonian (`mk`).
    Macedonian,
    /// Norwegian Bokmål (`nb`; `no` is accepted when parsing).
    Norwegian,
    /// Polish (`pl`).
    Polish,
    /// Portuguese (`pt`).
    Portuguese,
    /// Romanian (`ro`).
    Romanian,
    /// Russian (`ru`).
    Russian,
    /// Serbian (`sr`), Cyrillic or Latin script.
    Serbian,
    /// Albanian (`sq`).
    Albanian,
    /// Slovak (`sk`).
    Slovak,
    /// Slovenian (`sl`).
    Slovenian,
    /// Spanish (`es`).
    Spanish,
    /// Swedish (`sv`).
    Swedish,
    /// Tamil (`ta`).
    Tamil,
    /// Turkish (`tr`).
    Turkish,
    /// Ukrainian (`uk`).
    Ukrainian,
    /// A language we could not identify, or one we do not support (`und`).
    Unknown,
}

impl Language {
    /// Every language, [`Language::Unknown`] last.
    pub const ALL: [Language; 32] = [
        Language::Arabic,
        Language::Bosnian,
        Language::Bulgarian,
        Language::Catalan,
        Language::Croatian,
        Language::Czech,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::Galician,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Macedonian,
        Language::Norwegian,
        Language::Polish,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Serbian,
        Language::Albanian,
        Language::Slovak,
        Language::Slovenian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
        Language::Ukrainian,
        Language::Unknown,
    ];

    /// Whether the language capitalises every noun (German), so that a
    /// capitalised word is no sign of a name.
    pub(crate) fn capitalises_nouns(self) -> bool {
        self == Language::German
    }

    /// The ISO 639-1 code (`"ro"`, `"sq"`), or `"und"` for [`Language::Unknown`].
    pub fn code(self) -> &'static str {
        match self {
            Language::Arabic => "ar",
            Language::Bosnian => "bs",
            Language::Bulgarian => "bg",
            Language::Catalan => "ca",
            Language::Croatian => "hr",
            Language::Czech => "cs",
            Language::Danish => "da",
            Language::Dutch => "nl",
            Language::English => "en",
            Language::Finnish => "fi",
            Language::French => "fr",
            Language::Galician => "gl",
            Language::German => "de",
            Language::Greek => "el",
            Language::Hungarian => "hu",
            Language::Italian => "it",
            Language::Macedonian => "mk",
            Language::Norwegian => "nb",
            Language::Polish => "pl",
            Language::Portuguese => "pt",
            Language::Romanian => "ro",
            Language::Russian => "ru",
            Language::Serbian => "sr",
            Language::Albanian => "sq",
            Language::Slovak => "sk",
            Language::Slovenian => "sl",
            Language::Spanish => "es",
            Language::Swedish => "sv",
            Language::Tamil => "ta",
            Language::Turkish => "tr",
            Language::Ukrainian => "uk",
            Language::Unknown => "und",
        }
    }

    /// The language whose English name ([`Language::name`]) `s` is, in any
    /// case and with white space around it (`"albanian"`); `Unknown` has
    /// none.
    pub(crate) fn from_name(s: &str) -> Option<Language> {
        let s = s.trim();
        Language::ALL
            .into_iter()
            .find(|l| *l != Language::Unknown && l.name().eq_ignore_ascii_case(s))
    }

    /// The English name of the language.
    pub fn name(self) -> &'static str {
        match self {
            Language::Arabic => "Arabic",
            Language::Bosnian => "Bosnian",
            Language::Bulgarian => "Bulgarian",
            Language::Catalan => "Catalan",
            Language::Croatian => "Croatian",
            Language::Czech => "Czech",
            Language::Danish => "Danish",
            Language::Dutch => "Dutch",
            Language::English => "English",
            Language::Finnish => "Finnish",
            Language::French => "French",
            Language::Galician => "Galician",
            Language::German => "German",
            Language::Greek => "Greek",
            Language::Hungarian => "Hungarian",
            Language::Italian => "Italian",
            Language::Macedonian => "Macedonian",
            Language::Norwegian => "Norwegian",
            Language::Polish => "Polish",
            Language::Portuguese => "Portuguese",
            Language::Romanian => "Romanian",
            Language::Russian => "Russian",
            Language::Serbian => "Serbian",
            Language::Albanian => "Albanian",
            Language::Slovak => "Slovak",
            Language::Slovenian => "Slovenian",
            Language::Spanish => "Spanish",
            Language::Swedish => "Swedish",
            Language::Tamil => "Tamil",
            Language::Turkish => "Turkish",
            Language::Ukrainian => "Ukrainian",
            Language::Unknown => "Unknown",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Three-letter codes of the supported languages: ISO 639-3 (the same as
/// 639-2/T) and, where it differs, ISO 639-2/B; for Norwegian, Bokmål's,
/// Nynorsk's and the macrolanguage's.
const ISO_639_3: [(&str, Language); 42] = [
    ("ara", Language::Arabic),
    ("bos", Language::Bosnian),
    ("bul", Language::Bulgarian),
    ("cat", Language::Catalan),
    ("hrv", Language::Croatian),
    ("ces", Language::Czech),
    ("cze", Language::Czech),
    ("dan", Language::Danish),
    ("nld", Language::Dutch),
    ("dut", Language::Dutch),
    ("eng", Language::English),
    ("fin", Language::Finnish),
    ("fra", Language::French),
    ("fre", Language::French),
    ("glg", Language::Galician),
    ("deu", Language::German),
    ("ger", Language::German),
    ("ell", Language::Greek),
    ("gre", Language::Greek),
    ("hun", Language::Hungarian),
    ("ita", Language::Italian),
    ("mkd", Language::Macedonian),
    ("mac", Language::Macedonian),
    ("nob", Language::Norwegian),
    ("nor", Language::Norwegian),
    ("nno", Language::Norwegian),
    ("pol", Language::Polish),
    ("por", Language::Portuguese),
    ("ron", Language::Romanian),
    ("rum", Language::Romanian),
    ("rus", Language::Russian),
    ("srp", Language::Serbian),
    ("sqi", Language::Albanian),
    ("alb", Language::Albanian),
    ("slk", Language::Slovak),
    ("slo", Language::Slovak),
    ("slv", Language::Slovenian),
    ("spa", Language::Spanish),
    ("swe", Language::Swedish),
    ("tam", Language::Tamil),
    ("tur", Language::Turkish),
    ("ukr", Language::Ukrainian),
];

impl FromStr for Language {
    type Err = Error;

    /// Parses a language code, case-insensitively: ISO 639-1 (`"ro"`;
    /// `"no"`, `"nb"` and `"nn"` are all Norwegian), ISO 639-2 or 639-3 (`"ron"`,
    /// `"rum"`, `"sqi"`), or a BCP 47 tag, of which the language subtag
    /// counts (`"it-IT"`, `"pt_BR"`, `"sr-Latn-RS"`), or the language's
    /// English name as [`Language::name`] gives it, in any case
    /// (`"Albanian"`), as article hints take them. `"und"`
    /// ([`Language::code`]'s) and `"mis"` (as an [`Article`](crate::Article)
    /// writes a hint of `Unknown`) are [`Language::Unknown`].
    ///
    /// ```
    /// use story_cluster::Language;
    ///
    /// for code in ["sq", "SQ", "sqi", "alb", "sq-AL", "sq_XK", "Albanian"] {
    ///     assert_eq!(code.parse::<Language>()?, Language::Albanian);
    /// }
    /// assert!("xx".parse::<Language>().is_err());
    /// assert_eq!("mis".parse::<Language>()?, Language::Unknown);
    /// # Ok::<(), story_cluster::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        let lower = s.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or_default();
        if primary.len() == 3 {
            if let Some(&(_, l)) = ISO_639_3.iter().find(|e| e.0 == primary) {
                return Ok(l);
            }
        }
        // Norwegian's macrolanguage and Nynorsk: one stemmer serves both.
        if primary == "no" || primary == "nn" {
            return Ok(Language::Norwegian);
        }
        // ISO 639's code for a language without one, as an article writes a
        // hint of `Unknown`.
        if primary == "mis" {
            return Ok(Language::Unknown);
        }
        Language::ALL
            .into_iter()
            .find(|l| l.code() == primary)
            .or_else(|| Language::from_name(s))
            .ok_or_else(|| ErrorKind::UnknownLanguage(s.to_string()).into())
    }
}

impl From<Language> for &'static str {
    fn from(l: Language) -> Self {
        l.code()
    }
}

impl TryFrom<String> for Language {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl Language {
    /// The whatlang language for this one, if whatlang knows it.
    pub(crate) fn to_whatlang(self) -> Option<whatlang::Lang> {
        use whatlang::Lang as W;
        Some(match self {
            Language::Arabic => W::Ara,
            Language::Bulgarian => W::Bul,
            Language::Catalan => W::Cat,
            Language::Croatian => W::Hrv,
            Language::Czech => W::Ces,
            Language::Danish => W::Dan,
            Language::Dutch => W::Nld,
            Language::English => W::Eng,
            Language::Finnish => W::Fin,
            Language::French => W::Fra,
            Language::German => W::Deu,
            Language::Greek => W::Ell,
            Language::Hungarian => W::Hun,
            Language::Italian => W::Ita,
            Language::Macedonian => W::Mkd,
            Language::Norwegian => W::Nob,
            Language::Polish => W::Pol,
            Language::Portuguese => W::Por,
            Language::Romanian => W::Ron,
            Language::Russian => W::Rus,
            Language::Serbian => W::Srp,
            Language::Slovak => W::Slk,
            Language::Slovenian => W::Slv,
            Language::Spanish => W::Spa,
            Language::Swedish => W::Swe,
            Language::Tamil => W::Tam,
            Language::Turkish => W::Tur,
            Language::Ukrainian => W::Ukr,
            Language::Albanian | Language::Bosnian | Language::Galician | Language::Unknown => {
                return None
            }
        })
    }

    /// Our language for a whatlang language, or `None` if we do not support it.
    pub(crate) fn from_whatlang(lang: whatlang::Lang) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.to_whatlang() == Some(lang))
    }
}

/// The result of [`detect`]: a language and how sure the detector is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// The detected language; [`Language::Unknown`] when the text has no
    /// letters or is in a language this crate does not support.
    pub language: Language,
    /// Confidence in `0.0..=1.0`; `0.0` for [`Language::Unknown`]. It is a
    /// heuristic score (margin over the runner-up), not a calibrated
    /// probability.
    pub confidence: f64,
}

impl Detection {
    /// The detection for text we cannot identify.
    pub const UNKNOWN: Detection = Detection {
        language: Language::Unknown,
        confidence: 0.0,
    };
}

/// How many bytes at the start of a text [`detect`] looks at.
///
/// Detection is meant to be cheap next to the rest of the pipeline; a news
/// article's headline and first paragraphs settle its language.
pub const DETECT_PREFIX_BYTES: usize = 3 * 1024;

/// How much of the examined prefix whatlang sees: its trigram model costs
/// far more per byte than our marker-word scan, and 1 KiB is enough for it
/// once the marker words settle close neighbours.
const WHATLANG_PREFIX_BYTES: usize = 1024;

/// Detects the language of `text` from its first [`DETECT_PREFIX_BYTES`] bytes.
///
/// whatlang (restricted to the languages of [`Language`]) does most of the
/// work. Detectors of our own, driven by marker words in
/// `src/data/langid/markers.txt`, run around it:
///
/// - Albanian, which whatlang does not know (it calls it French), is checked
///   first, by its frequent function words and the letter `ë` (in a
///   headline: several `ë` and Albanian stopwords, as many as any
///   language's);
/// - when whatlang answers a Romance language, function-word counts decide
///   between Spanish, Portuguese, Galician, Catalan, Italian, Romanian and
///   French (whatlang lacks Galician and takes Romanian written without
///   diacritics for Spanish);
/// - pairwise marker sets settle close neighbours whatlang confuses
///   (Portuguese or Spanish vs Galician, Danish vs Norwegian, Slovenian vs
///   Croatian), and English function words rescue short English text that
///   whatlang is unsure about;
/// - in short text (at most 30 words), the language whose stopword list
///   the words hit most, when it clearly leads and the answer so far is
///   unsure or hits none of its own while the leader hits two (never a
///   choice among Croatian, Bosnian and Serbian, which share theirs);
/// - when the answer is Croatian, weighted evidence decides between
///   Croatian, Bosnian and Serbian in Latin script: the reflex of old *ě*
///   (ekavian `mleko` for Serbian, ijekavian `mlijeko` for the others),
///   well-known lexical pairs (`tisuća` / `hiljada`, `također` / `takođe`),
///   `da li` questions, a future written apart (`bit će`, not Serbian
///   `biće`) and foreign names kept in their own spelling (Serbian
///   transcribes them). With no evidence at all the answer is Croatian.
///   Serbian in Cyrillic script is whatlang's own answer.
///
/// Text without letters (empty, digits, punctuation, binary junk; in fact
/// anything with fewer than three letters) gives [`Detection::UNKNOWN`]; so
/// do text in a script we do not support, text in a language we do not
/// support that writes letters none of ours does (Vietnamese, Latvian,
/// Persian, Belarusian: whatlang, free to answer any of its languages,
/// then names it), and text whatlang has no confidence in at all. Other
/// languages we do not support are taken for their nearest supported
/// neighbour (Estonian for Finnish, Indonesian for Dutch, Basque for
/// Spanish): a caller who knows better gives a hint. This function never
/// panics.
///
/// # Examples
///
/// ```
/// use story_cluster::lang::{detect, Language};
///
/// let d = detect("Guvernul a anunțat luni că noul pod peste râu va fi deschis în luna mai.");
/// assert_eq!(d.language, Language::Romanian);
/// assert_eq!(detect("12 345 - 678").language, Language::Unknown);
/// ```
pub fn detect(text: &str) -> Detection {
    let text = prefix(text, DETECT_PREFIX_BYTES);
    let scan = Scan::new(text);
    if scan.letters < MIN_LETTERS {
        return Detection::UNKNOWN;
    }
    if let Some(d) = scan.albanian() {
        return d;
    }
    let mut detection = if let Some(d) = scan.clear_romance() {
        // Our function words alone are decisive: whatlang, the costliest
        // step, is skipped.
        d
    } else {
        let Some(info) = whatlang_detector().detect(prefix(text, WHATLANG_PREFIX_BYTES)) else {
            return Detection::UNKNOWN;
        };
        let Some(language) = Language::from_whatlang(info.lang()) else {
            return Detection::UNKNOWN;
        };
        if scan.unsupported() {
            return Detection::UNKNOWN;
        }
        let whatlang_says = Detection {
            language,
            confidence: info.confidence(),
        };
        if ROMANCE.contains(&language) {
            scan.romance().unwrap_or(whatlang_says)
        } else {
            whatlang_says
        }
    };
    detection = scan.neighbour(detection);
    if detection.confidence < 0.5 {
        detection = scan.english().unwrap_or(detection);
    }
    detection = scan.short_text(detection);
    if detection.language == Language::Croatian {
        return scan.serbo_croatian();
    }
    // A guess with no confidence at all (a couple of stray letters) is no
    // detection.
    if detection.confidence > 0.0 {
        detection
    } else {
        Detection::UNKNOWN
    }
}

/// Text of at most this many words is short: a headline or a line. There
/// stopword counts over every language can overrule an unsure answer
/// ([`Scan::short_text`]).
const SHORT_TEXT_WORDS: usize = 30;

/// Text with fewer letters than this has no detectable language (stray
/// letters in binary junk or markup).
const MIN_LETTERS: usize = 3;

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
fn prefix(text: &str, max: usize) -> &str {
    &text[..crate::tokenize::floor_char_boundary(text, max)]
}

/// Whether a letter is one that no supported language writes: a Latin
/// letter beyond ASCII outside those of our languages (Romanian `ăâîșț`,
/// Albanian `ëç`, Polish `ąęł`, Czech `ěřů`, Hungarian `őű`, Turkish `ğıİş`,
/// Dutch `ĳ`, the Serbo-Croatian digraphs `ǆǉǌ` and the rest), a Cyrillic
/// letter outside the alphabets of Russian, Ukrainian (`єіїґ`), Bulgarian,
/// Macedonian and Serbian, or an Arabic letter Arabic does not use.
/// Vietnamese `ơư` and its dotted vowels, Latvian `āēīū`, Lithuanian
/// `ėįų`, Icelandic `ðþ`, Belarusian `ў`, Kazakh `әғқ`, Persian `پچژگکی`
/// are foreign; letters of other scripts, modifier letters (Ukrainian
/// `ʼ`) and symbols (`µ`, `Ⅱ`) are not counted.
fn is_foreign_letter(c: char) -> bool {
    const LATIN: &str = "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßăąćčďđęěğıĺľłńňőœŕřśşšţťůűźżžșțŀĳǆǅǉǈǌǋſ";
    let lower = c.to_lowercase().next().unwrap_or(c);
    match u32::from(c) {
        // Latin-1 letters, Latin Extended-A and B, Latin Extended
        // Additional (Vietnamese). `İ` lowers to `i`.
        0x00C0..=0x024F | 0x1E00..=0x1EFF => !lower.is_ascii() && !LATIN.contains(lower),
        // Belarusian `ў`; Cyrillic beyond the basic block but `ґ`
        // (Kazakh, Tatar, Bashkir...); Arabic-script letters beyond
        // Arabic's own (Persian, Urdu).
        0x040E | 0x045E | 0x0460..=0x048F | 0x0492..=0x052F | 0x0672..=0x06D3 | 0x06FA..=0x06FF => {
            true
        }
        _ => false,
    }
}

fn whatlang_detector() -> &'static whatlang::Detector {
    static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let allow = Language::ALL
            .into_iter()
            .filter_map(Language::to_whatlang)
            .collect();
        whatlang::Detector::with_allowlist(allow)
    })
}

/// The Romance languages our function-word counts decide between, in the
/// order of the `Set` bits below.
const ROMANCE: [Language; 7] = [
    Language::Spanish,
    Language::Portuguese,
    Language::Galician,
    Language::Catalan,
    Language::Italian,
    Language::Romanian,
    Language::French,
];

/// Marker sets of `markers.txt`, as bit positions.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Set {
    Es,
    Pt,
    Gl,
    Ca,
    It,
    Ro,
    Fr,
    Sq,
    Ekav,
    Ijek,
    Hr,
    BsSr,
    Sr,
    Bs,
    GlVsPt,
    PtVsGl,
    GlVsEs,
    EsVsGl,
    DaVsNb,
    NbVsDa,
    SlVsHr,
    HrVsSl,
    En,
}

const SET_COUNT: usize = 23;
// Marker bit sets are `u32`.
const _: () = assert!(SET_COUNT <= 32);

/// Close neighbours settled by pairwise marker sets: when the choice so far
/// is `.0`, `.2` counts for it and `.3` for `.1`; the neighbour `.1` wins
/// when it has more. The reverse pair is listed too.
const NEIGHBOURS: [(Language, Language, Set, Set); 6] = [
    (
        Language::Portuguese,
        Language::Galician,
        Set::PtVsGl,
        Set::GlVsPt,
    ),
    (
        Language::Spanish,
        Language::Galician,
        Set::EsVsGl,
        Set::GlVsEs,
    ),
    (
        Language::Danish,
        Language::Norwegian,
        Set::DaVsNb,
        Set::NbVsDa,
    ),
    (
        Language::Norwegian,
        Language::Danish,
        Set::NbVsDa,
        Set::DaVsNb,
    ),
    (
        Language::Slovenian,
        Language::Croatian,
        Set::SlVsHr,
        Set::HrVsSl,
    ),
    (
        Language::Croatian,
        Language::Slovenian,
        Set::HrVsSl,
        Set::SlVsHr,
    ),
];

impl Set {
    fn from_name(name: &str) -> Option<Set> {
        Some(match name {
            "es" => Set::Es,
            "pt" => Set::Pt,
            "gl" => Set::Gl,
            "ca" => Set::Ca,
            "it" => Set::It,
            "ro" => Set::Ro,
            "fr" => Set::Fr,
            "sq" => Set::Sq,
            "ekav" => Set::Ekav,
            "ijek" => Set::Ijek,
            "hr" => Set::Hr,
            "bs_sr" => Set::BsSr,
            "sr" => Set::Sr,
            "bs" => Set::Bs,
            "gl_vs_pt" => Set::GlVsPt,
            "pt_vs_gl" => Set::PtVsGl,
            "gl_vs_es" => Set::GlVsEs,
            "es_vs_gl" => Set::EsVsGl,
            "da_vs_nb" => Set::DaVsNb,
            "nb_vs_da" => Set::NbVsDa,
            "sl_vs_hr" => Set::SlVsHr,
            "hr_vs_sl" => Set::HrVsSl,
            "en" => Set::En,
            _ => return None,
        })
    }
}

/// Marker words: exact words and prefixes, each mapped to a bit set of
/// [`Set`]s. Keys are the xxh3 hashes of the words: the scan hashes each
/// word once with a fast hash instead of SipHash-ing it per map (a 64-bit
/// collision between a marker and another word is negligible, and would
/// only nudge a count).
struct Markers {
    exact: WordMap,
    prefixes: WordMap,
    /// Length in chars of the longest prefix, to bound prefix lookups.
    max_prefix_chars: usize,
    /// Length in bytes of the longest exact word: a longer word is no
    /// marker and needs no hash.
    max_exact_bytes: usize,
}

impl Markers {
    /// The sets `word` (lower-cased) is an exact marker of, if any.
    #[inline]
    fn exact_bits(&self, word: &str) -> Option<u32> {
        if word.len() > self.max_exact_bytes {
            return None;
        }
        self.exact.get(&word_key(word)).copied()
    }
}

/// Appends `c` lower-cased to `word` (ASCII, the common case, without the
/// general case mapping).
#[inline]
fn push_lower(word: &mut String, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
    } else {
        word.extend(c.to_lowercase());
    }
}

/// A map keyed by [`word_key`], whose keys are already well-mixed hashes.
type WordMap = HashMap<u64, u32, BuildHasherDefault<KeyHasher>>;

fn word_key(word: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(word.as_bytes())
}

/// Passes a `u64` key through: it is an xxh3 hash already.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `WordMap`; fold anything else in.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn markers() -> &'static Markers {
    static MARKERS: OnceLock<Markers> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let mut m = Markers {
            exact: WordMap::default(),
            prefixes: WordMap::default(),
            max_prefix_chars: 0,
            max_exact_bytes: 0,
        };
        for line in include_str!("data/langid/markers.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, words)) = line.split_once(':') else {
                continue;
            };
            // The data file is ours and tested; an unknown set name is a bug
            // caught by the `markers_parse` test, not something to panic on.
            let Some(set) = Set::from_name(name.trim()) else {
                continue;
            };
            let bit = 1u32 << set as u8;
            for word in words.split_whitespace() {
                if let Some(p) = word.strip_suffix('*') {
                    *m.prefixes.entry(word_key(p)).or_default() |= bit;
                    m.max_prefix_chars = m.max_prefix_chars.max(p.chars().count());
                } else {
                    *m.exact.entry(word_key(word)).or_default() |= bit;
                    m.max_exact_bytes = m.max_exact_bytes.max(word.len());
                }
            }
        }
        m
    })
}

/// One pass over the text: letter and word counts, and marker-word counts.
struct Scan<'a> {
    text: &'a str,
    letters: usize,
    /// Count of `ë`/`Ë`, frequent in Albanian and rare elsewhere.
    e_diaeresis: usize,
    /// Letters that no supported language writes ([`is_foreign_letter`]).
    foreign: usize,
    words: usize,
    /// Marker-word counts per [`Set`] (exact matches only).
    counts: [u32; SET_COUNT],
    /// Stopword counts per language (by `Language as usize`), over the
    /// first [`SHORT_TEXT_WORDS`] words.
    stops: [u8; Language::ALL.len()],
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        let markers = markers();
        let mut scan = Scan {
            text,
            letters: 0,
            e_diaeresis: 0,
            foreign: 0,
            words: 0,
            counts: [0; SET_COUNT],
            stops: [0; Language::ALL.len()],
        };
        let mut word = String::with_capacity(32);
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_alphabetic() {
                scan.letters += 1;
                if c == 'ë' || c == 'Ë' {
                    scan.e_diaeresis += 1;
                }
                if !c.is_ascii() && is_foreign_letter(c) {
                    scan.foreign += 1;
                }
                push_lower(&mut word, c);
            } else if !word.is_empty() {
                scan.words += 1;
                if let Some(bits) = markers.exact_bits(&word) {
                    add_bits(&mut scan.counts, bits);
                }
                if scan.words <= SHORT_TEXT_WORDS {
                    let mut bits = crate::stem::stopword_languages(&word);
                    while bits != 0 {
                        scan.stops[bits.trailing_zeros() as usize] += 1;
                        bits &= bits - 1;
                    }
                }
                word.clear();
            }
        }
        scan
    }

    /// Whether the text is in a language this crate does not support,
    /// which the detector restricted to ours would take for its nearest
    /// neighbour among them (Vietnamese for Portuguese, Latvian and
    /// Lithuanian, Persian for Arabic, Belarusian for Russian):
    /// letters none of ours writes are at least one in a hundred, and
    /// whatlang, free to answer any of its languages, reliably names one we
    /// do not support. Only such text pays for that second run.
    fn unsupported(&self) -> bool {
        self.foreign >= 2
            && self.foreign * 100 >= self.letters
            && whatlang::detect(prefix(self.text, WHATLANG_PREFIX_BYTES)).is_some_and(|info| {
                info.is_reliable() && Language::from_whatlang(info.lang()).is_none()
            })
    }

    /// Albanian, if the text clearly is: many Albanian function words and
    /// either the letter `ë` or a clear lead over every Romance language.
    fn albanian(&self) -> Option<Detection> {
        let sq = self.counts[Set::Sq as usize];
        let e_ratio = self.e_diaeresis as f64 / self.letters as f64;
        if sq < 2 {
            // A headline may hold a single function word, but `ë` as
            // Albanian writes it (several, a few in a hundred letters) and
            // Albanian stopwords, as many as any language's, are enough:
            // Dutch and French use the letter in a few words only (a Dutch
            // headline can still have two `ë` in forty letters, but then
            // Dutch stopwords).
            let sq_stops = self.stops[Language::Albanian as usize];
            let headline = self.words <= SHORT_TEXT_WORDS
                && self.e_diaeresis >= 2
                && e_ratio >= 0.03
                && sq_stops > 0
                && self.stops.iter().all(|&n| n <= sq_stops);
            return headline.then_some(Detection {
                language: Language::Albanian,
                confidence: 0.5,
            });
        }
        let word_ratio = f64::from(sq) / self.words as f64;
        let best_other = self.counts[..ROMANCE.len()]
            .iter()
            .copied()
            .max()
            .unwrap_or(0);
        let lead = sq >= 2 * best_other.max(1);
        let albanian = (e_ratio >= 0.01 && word_ratio >= 0.05) || (lead && word_ratio >= 0.1);
        albanian.then(|| Detection {
            language: Language::Albanian,
            confidence: margin_confidence(sq, best_other),
        })
    }

    /// A Romance language whose marker words make up a tenth of the text's
    /// words and outnumber every other Romance language's three to one:
    /// decisive without whatlang. Other languages barely use these words.
    fn clear_romance(&self) -> Option<Detection> {
        let (best, second) = top_two(&self.counts[..ROMANCE.len()]);
        let best_count = self.counts[best];
        let clear =
            best_count >= 8 && 10 * best_count as usize >= self.words && best_count >= 3 * second;
        clear.then(|| Detection {
            language: ROMANCE[best],
            confidence: margin_confidence(best_count, second),
        })
    }

    /// The Romance language with clearly the most marker words, or `None`
    /// when the counts are too small or too close to overrule whatlang.
    fn romance(&self) -> Option<Detection> {
        let (best, second) = top_two(&self.counts[..ROMANCE.len()]);
        let (best_count, second_count) = (self.counts[best], second);
        (best_count >= 3 && 2 * best_count >= 3 * second_count).then(|| Detection {
            language: ROMANCE[best],
            confidence: margin_confidence(best_count, second_count),
        })
    }

    /// English, for short text where English function words make up an
    /// eighth or more of the words (used only when the answer so far is
    /// unsure).
    fn english(&self) -> Option<Detection> {
        let en = self.counts[Set::En as usize];
        (en >= 4 && 8 * en as usize >= self.words).then(|| Detection {
            language: Language::English,
            confidence: (f64::from(en) / self.words as f64).min(1.0),
        })
    }

    /// In short text, the language whose stopwords it uses most, when that
    /// is clear (one more than any other language's) and `current` is
    /// unsure, or uses none of its own stopwords where the leader has two
    /// or more: whatlang's trigrams say
    /// little about a headline (it reads many Albanian and English ones as
    /// French or Danish). Croatian, Bosnian and Serbian share most
    /// stopwords, so the vote does not choose among them.
    fn short_text(&self, current: Detection) -> Detection {
        if self.words > SHORT_TEXT_WORDS {
            return current;
        }
        let (best, second) = top_two(&self.stops.map(u32::from));
        let winner = Language::ALL[best];
        let best_count = u32::from(self.stops[best]);
        let own = self.stops[current.language as usize];
        // A single stopword is often a fragment (`nin` of Turkish
        // `ABD'nin` is Galician): against a confident answer it takes two.
        let unsure = current.confidence < 0.5 || (own == 0 && best_count >= 2);
        let bcs = [Language::Croatian, Language::Bosnian, Language::Serbian];
        if best_count > second
            && winner != current.language
            && unsure
            && !(bcs.contains(&winner) && bcs.contains(&current.language))
        {
            return Detection {
                language: winner,
                confidence: margin_confidence(best_count, second),
            };
        }
        current
    }

    /// Settles a choice between close neighbours ([`NEIGHBOURS`]) by
    /// pairwise marker words; keeps `current` when they do not disagree.
    fn neighbour(&self, current: Detection) -> Detection {
        for (this, other, for_this, for_other) in NEIGHBOURS {
            if current.language != this {
                continue;
            }
            let (a, b) = (
                self.counts[for_this as usize],
                self.counts[for_other as usize],
            );
            if b > a {
                return Detection {
                    language: other,
                    confidence: margin_confidence(b, a),
                };
            }
            return current;
        }
        current
    }

    /// Croatian, Bosnian or Serbian for Latin-script text whatlang called
    /// Croatian: the variety with the most weighted evidence ([`Bcs`]).
    /// With no evidence at all the answer stays Croatian, with low
    /// confidence. Other ties go to Croatian, then Serbian: Bosnian text
    /// nearly always shows something Serbian lacks (an ijekavian form, a
    /// word it shares with Croatian, a future written apart), while
    /// Serbian shows little that Bosnian lacks beside its ekavian forms,
    /// so Bosnian-and-Serbian vocabulary alone leans Serbian.
    fn serbo_croatian(&self) -> Detection {
        let [hr, bs, sr] = self.bcs().scores();
        let (language, best, second) = if hr >= bs && hr >= sr {
            (Language::Croatian, hr, bs.max(sr))
        } else if sr >= bs {
            (Language::Serbian, sr, hr.max(bs))
        } else {
            (Language::Bosnian, bs, hr.max(sr))
        };
        Detection {
            language,
            confidence: margin_confidence_f64(best, second).max(0.1),
        }
    }

    /// Evidence for Croatian, Bosnian and Serbian: one pass over the
    /// words, matching the BCS marker sets exactly or by prefix, and
    /// counting the word-pair and spelling features of [`Bcs`].
    fn bcs(&self) -> Bcs {
        let markers = markers();
        let mut counts = [0u32; SET_COUNT];
        let mut bcs = Bcs::default();
        let mut word = String::with_capacity(32);
        let mut previous = String::with_capacity(32);
        for c in self.text.chars().chain(std::iter::once(' ')) {
            if c.is_alphabetic() {
                push_lower(&mut word, c);
                continue;
            }
            if word.is_empty() {
                // Word pairs count only with nothing but spaces between
                // them (`da li`, not `da. Li`).
                if !c.is_whitespace() {
                    previous.clear();
                }
                continue;
            }
            let mut bits = markers.exact_bits(&word).unwrap_or(0);
            for (n, (i, _)) in word.char_indices().skip(1).enumerate() {
                if n >= markers.max_prefix_chars {
                    break;
                }
                bits |= markers
                    .prefixes
                    .get(&word_key(&word[..i]))
                    .copied()
                    .unwrap_or(0);
            }
            bits |= markers.prefixes.get(&word_key(&word)).copied().unwrap_or(0);
            add_bits(&mut counts, bits);
            if word == "li" && previous == "da" {
                bcs.da_li += 1;
            }
            if matches!(word.as_str(), "ću" | "ćeš" | "će" | "ćemo" | "ćete")
                && clipped_infinitive(&previous)
            {
                bcs.split_future += 1;
            }
            if foreign_spelling(&word) {
                bcs.foreign += 1;
            }
            std::mem::swap(&mut word, &mut previous);
            word.clear();
            if !c.is_whitespace() {
                previous.clear();
            }
        }
        bcs.ekav = counts[Set::Ekav as usize];
        bcs.ijek = counts[Set::Ijek as usize];
        bcs.hr = counts[Set::Hr as usize];
        bcs.bs_sr = counts[Set::BsSr as usize];
        bcs.sr = counts[Set::Sr as usize];
        bcs.bs = counts[Set::Bs as usize];
        bcs
    }
}

/// Evidence for the three standard varieties of Serbo-Croatian in Latin
/// script, each feature counting for the varieties that share it:
///
/// - the reflex of old *ě*: ekavian words (`mleko`, `reka`, `vreme`) for
///   Serbian, ijekavian ones (`mlijeko`, `rijeka`, `vrijeme`) for Croatian
///   and Bosnian. It is the most reliable difference, so a reflex word
///   weighs [`REFLEX_WEIGHT`] lexical words;
/// - lexical pairs from `markers.txt`: Croatian-only words (`tisuća`,
///   `tjedan`, `kolodvor`), Bosnian-and-Serbian words (`hiljada`,
///   `sedmica`, `voz`, `januar`), Serbian-only words (`istorija`,
///   `bezbednost`, `spoljni`) and Bosnian-and-Croatian words against
///   Serbian (`također`, `općina`, `vanjski`); words only Bosnian uses
///   (`historija`, `lahko`, `sahat`) are in both Bosnian sets;
/// - the question `da li` (Bosnian and Serbian; Croatian inverts: `je li`,
///   `žele li`);
/// - a future tense written apart after a clipped infinitive (`bit će`,
///   `radit ćemo`), the Croatian and Bosnian norm; Serbian fuses it
///   (`biće`, `radićemo`);
/// - words spelled with letters or doubled consonants that Gaj's alphabet
///   lacks (`Washington`, `Blemmings`): Croatian and Bosnian keep foreign
///   names in their original spelling, while standard Serbian transcribes
///   them (`Vašington`, `Blemings`). Serbian text does keep some (street
///   names, brands), so these count little and only up to
///   [`FOREIGN_CAP`].
#[derive(Debug, Default, Clone, Copy)]
struct Bcs {
    ekav: u32,
    ijek: u32,
    hr: u32,
    bs_sr: u32,
    sr: u32,
    bs: u32,
    da_li: u32,
    split_future: u32,
    foreign: u32,
}

/// How many lexical words one word with the reflex of old *ě* weighs.
const REFLEX_WEIGHT: f64 = 2.0;
/// How much one word in foreign spelling counts against Serbian.
const FOREIGN_WEIGHT: f64 = 0.5;
/// At most this many words in foreign spelling count.
const FOREIGN_CAP: u32 = 3;

impl Bcs {
    /// Weighted scores for Croatian, Bosnian and Serbian.
    fn scores(&self) -> [f64; 3] {
        let f = f64::from;
        let not_serbian =
            f(self.bs) + f(self.split_future) + FOREIGN_WEIGHT * f(self.foreign.min(FOREIGN_CAP));
        let not_croatian = f(self.bs_sr) + f(self.da_li);
        let ijekavian = REFLEX_WEIGHT * f(self.ijek);
        [
            ijekavian + f(self.hr) + not_serbian,
            ijekavian + not_croatian + not_serbian,
            REFLEX_WEIGHT * f(self.ekav) + not_croatian + f(self.sr),
        ]
    }
}

/// Whether a lowercase word can be an infinitive whose final `-i` is
/// dropped before a written-apart future (`bit`, `radit`, `vidjet`): it
/// ends in a vowel and `t`. Nouns of that shape (`svijet će`) slip
/// through; `parlament će` does not.
fn clipped_infinitive(word: &str) -> bool {
    let mut end = word.chars().rev();
    end.next() == Some('t') && matches!(end.next(), Some('a' | 'e' | 'i' | 'o' | 'u'))
}

/// Whether a lowercase word is spelled in a way Serbo-Croatian words are
/// not: with `q`, `w`, `x` or `y`, or with a doubled consonant (native
/// words double only `j` and `d`, across a prefix: `najjači`, `preddiplomski`).
fn foreign_spelling(word: &str) -> bool {
    let mut previous = '\0';
    for c in word.chars() {
        if matches!(c, 'q' | 'w' | 'x' | 'y') {
            return true;
        }
        if c == previous && "bcfgklmnprstvz".contains(c) {
            return true;
        }
        previous = c;
    }
    false
}

fn add_bits(counts: &mut [u32; SET_COUNT], bits: u32) {
    for (i, count) in counts.iter_mut().enumerate() {
        *count += bits >> i & 1;
    }
}

/// Index of the largest count, and the second-largest count.
fn top_two(counts: &[u32]) -> (usize, u32) {
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] {
            best = i;
        }
    }
    let second = counts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, &c)| c)
        .max()
        .unwrap_or(0);
    (best, second)
}

/// Confidence from a winner's count and the runner-up's: the share of the
/// winner's lead, scaled down when there is little evidence at all.
fn margin_confidence(best: u32, second: u32) -> f64 {
    margin_confidence_f64(f64::from(best), f64::from(second))
}

/// [`margin_confidence`] for weighted scores.
fn margin_confidence_f64(best: f64, second: f64) -> f64 {
    if best <= 0.0 {
        return 0.0;
    }
    let lead = (best - second).max(0.0) / best;
    let evidence = (best / 10.0).min(1.0);
    lead * evidence
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text in a language we do not support, written with letters none of
    /// ours writes, is no supported language; text of ours that names a
    /// few people with such letters keeps its language.
    #[test]
    fn unsupported_languages_with_letters_of_their_own_are_unknown() {
        for (lang, text) in [
            (
                "vi",
                "Chính phủ thông báo rằng cây cầu mới bắc qua sông sẽ được khánh thành vào \
                 tháng Năm, sau hai năm xây dựng và nhiều lần trì hoãn.",
            ),
            (
                "lv",
                "Valdība pirmdien paziņoja, ka jaunais tilts pār upi tiks atklāts maijā pēc \
                 divu gadu būvniecības un vairākiem kavējumiem.",
            ),
            (
                "fa",
                "دولت روز دوشنبه اعلام کرد که پل جدید روی رودخانه پس از دو سال ساخت و چندین \
                 تأخیر در ماه مه افتتاح خواهد شد.",
            ),
            (
                "be",
                "Урад у панядзелак паведаміў, што новы мост праз раку адкрыюць у маі пасля \
                 двух гадоў будаўніцтва і некалькіх затрымак.",
            ),
        ] {
            assert_eq!(detect(text), Detection::UNKNOWN, "{lang}");
        }
        let ro = "Ministrul de externe s-a întâlnit joi la București cu omologul său \
                  vietnamez, Bùi Thanh Sơn, și cu ambasadorul islandez Þórður Ægisson, pentru \
                  a discuta despre comerțul dintre cele trei țări și despre noile tarife.";
        assert!(Scan::new(ro).foreign >= 3);
        assert_eq!(detect(ro).language, Language::Romanian);
        for ours in [
            'ș', 'Ł', 'ґ', 'İ', 'ĳ', 'ǅ', 'ŀ', 'ẞ', 'ş', 'ί', 'ή', 'ʼ', 'µ', 'Ⅱ', 'ى', 'ة',
        ] {
            assert!(!is_foreign_letter(ours), "{ours}");
        }
        for foreign in ['ư', 'Ơ', 'ā', 'ė', 'ð', 'Þ', 'ў', 'ә', 'қ', 'گ', 'پ'] {
            assert!(is_foreign_letter(foreign), "{foreign}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>().unwrap(), language);
        }
        assert_eq!("no".parse::<Language>().unwrap(), Language::Norwegian);
        assert!("xx".parse::<Language>().is_err());
    }

    #[test]
    fn whatlang_conversions_round_trip() {
        for language in Language::ALL {
            if let Some(w) = language.to_whatlang() {
                assert_eq!(Language::from_whatlang(w), Some(language));
            }
        }
        assert_eq!(Language::Albanian.to_whatlang(), None);
        assert_eq!(Language::from_whatlang(whatlang::Lang::Jpn), None);
    }

    #[test]
    fn markers_parse() {
        let m = markers();
        assert!(m.exact.len() > 300);
        assert!(m.prefixes.len() > 50);
        // Every set name in the data file is known.
        for line in include_str!("data/langid/markers.txt").lines() {
            if let Some((name, _)) = line.split_once(':') {
                if !line.starts_with('#') {
                    assert!(Set::from_name(name.trim()).is_some(), "{name}");
                }
            }
        }
    }

    #[test]
    fn prefix_respects_char_boundaries() {
        let text = "aș".repeat(10);
        for max in 0..text.len() + 2 {
            let p = prefix(&text, max);
            assert!(p.len() <= max);
            assert!(text.starts_with(p));
        }
    }

    #[test]
    fn every_language_has_a_three_letter_code() {
        for l in Language::ALL {
            let codes: Vec<&str> = ISO_639_3.iter().filter(|e| e.1 == l).map(|e| e.0).collect();
            assert_eq!(codes.is_empty(), l == Language::Unknown, "{l:?}");
            for c in codes {
                assert_eq!(c.parse::<Language>().unwrap(), l);
            }
        }
    }

    #[test]
    fn all_is_in_declaration_order() {
        // `Language::ALL[i]` is the language of index `i` in per-language
        // arrays indexed by `language as usize` (the stopword vote).
        for (i, &language) in Language::ALL.iter().enumerate() {
            assert_eq!(language as usize, i, "{language:?}");
        }
    }

    #[test]
    fn headlines() {
        use Language::{Albanian, Dutch, English};
        for (headline, language) in [
            // whatlang calls the first French with confidence 1.0: one
            // function word (`me`, French too), but three `ë`.
            (
                "Protestuesit përplasen me policinë përpara parlamentit",
                Albanian,
            ),
            ("Ministri paralajmëron për reshje të dendura shiu", Albanian),
            (
                "Qeveria miraton buxhetin e ri për vitin e ardhshëm",
                Albanian,
            ),
            // Two `ë` in a Dutch headline, but Dutch stopwords.
            ("Financiële steun voor België na de overstromingen", Dutch),
            // whatlang reads these as French, Portuguese and Dutch, unsure;
            // their stopwords are English.
            ("Parliament approves new budget after long debate", English),
            ("Fire destroys factory near the port", English),
            ("Minister warns of heavy rain over the weekend", English),
        ] {
            assert_eq!(detect(headline).language, language, "{headline}");
        }
    }

    #[test]
    fn the_stopword_vote_keeps_out_of_longer_text_and_bcs() {
        let words = |n: usize| vec!["the"; n].join(" ");
        let (long, short) = (words(SHORT_TEXT_WORDS + 1), words(SHORT_TEXT_WORDS));
        let scan = Scan::new(&long);
        let unsure_french = Detection {
            language: Language::French,
            confidence: 0.1,
        };
        assert_eq!(scan.short_text(unsure_french).language, Language::French);
        let scan = Scan::new(&short);
        assert_eq!(scan.short_text(unsure_french).language, Language::English);
        // Croatian, Bosnian and Serbian share stopwords: no vote among them
        // (`tko` is on the Croatian list alone, so Croatian has the most).
        let scan = Scan::new("Tko je to objavio u ponedjeljak");
        let unsure_serbian = Detection {
            language: Language::Serbian,
            confidence: 0.1,
        };
        assert_eq!(scan.short_text(unsure_serbian).language, Language::Serbian);
        assert_eq!(scan.short_text(unsure_french).language, Language::Croatian);
    }

    #[test]
    fn albanian_before_whatlang() {
        // whatlang alone calls this French.
        let d = detect("Qeveria njoftoi se ndërtimi i urës së re do të përfundojë në pranverë.");
        assert_eq!(d.language, Language::Albanian);
        assert!(d.confidence > 0.0);
    }

    #[test]
    fn romanian_without_diacritics_is_not_spanish() {
        let d = detect(
            "Guvernul a anuntat ca noul spital din oras va fi deschis dupa ce lucrarile \
             vor fi terminate, iar pacientii vor putea fi tratati acolo.",
        );
        assert_eq!(d.language, Language::Romanian);
    }

    #[test]
    fn italian_fixture() {
        let d = detect(
            "Il governo ha confermato che il nuovo ospedale della città aprirà in primavera.",
        );
        assert_eq!(d.language, Language::Italian);
    }

    #[test]
    fn only_the_prefix_is_examined() {
        let mut text = "The mayor said the new bridge will open in the spring. ".repeat(100);
        text.push_str(&"Primarul a spus că podul se deschide în primăvară. ".repeat(1000));
        assert_eq!(detect(&text).language, Language::English);
    }

    #[test]
    fn foreign_spelling_is_what_gaj_latin_lacks() {
        for word in [
            "washington",
            "blemmings",
            "exxon",
            "sydney",
            "quebec",
            "mozzarella",
        ] {
            assert!(foreign_spelling(word), "{word}");
        }
        for word in [
            "vašington",
            "blemings",
            "najjači",
            "preddiplomski",
            "džakarta",
            "ljeto",
        ] {
            assert!(!foreign_spelling(word), "{word}");
        }
    }

    fn bcs(text: &str) -> Bcs {
        Scan::new(text).bcs()
    }

    #[test]
    fn bcs_word_pair_features() {
        let b = bcs("Da li je to istina? Bit ćemo tamo, a radit će i on. Biće i njega.");
        assert_eq!((b.da_li, b.split_future), (1, 2));
        // `da` and `li` apart, `će` after a full infinitive and after a
        // noun in `-nt` are neither.
        let b = bcs("Rekao je da. Li je otišao. Doći će. Parlament će odlučiti.");
        assert_eq!((b.da_li, b.split_future), (0, 0));
    }

    #[test]
    fn bcs_reflex_outweighs_vocabulary() {
        // One ijekavian word against one Serbian-and-Bosnian word: Bosnian
        // (ijekavian), not Serbian.
        let [hr, bs, sr] = bcs("Sedmica je prošla, a mlijeko je poskupjelo.").scores();
        assert!(bs > hr && bs > sr, "{hr} {bs} {sr}");
        // The same sentence in ekavian is Serbian.
        let [hr, bs, sr] = bcs("Sedmica je prošla, a mleko je poskupelo.").scores();
        assert!(sr > hr && sr > bs, "{hr} {bs} {sr}");
    }

    #[test]
    fn bcs_bosnian_only_words() {
        // `lahko` and `sahat` are Bosnian; no reflex word decides here.
        let [hr, bs, sr] = bcs("Nije lahko čekati sahat na autobus.").scores();
        assert!(bs > hr && bs > sr, "{hr} {bs} {sr}");
    }

    #[test]
    fn bcs_without_evidence_is_croatian_with_low_confidence() {
        let d = Scan::new("Ministar je rekao da je zakon usvojen.").serbo_croatian();
        assert_eq!(d.language, Language::Croatian);
        assert!((d.confidence - 0.1).abs() < 1e-12);
    }

    #[test]
    fn bcs_bosnian_and_serbian_vocabulary_alone_leans_serbian() {
        let d = Scan::new("Sekretar je juče rekao da je budžet usvojen.").serbo_croatian();
        assert_eq!(d.language, Language::Serbian);
        // One word Bosnian shares with Croatian tips it.
        let d = Scan::new("Sekretar je također rekao da je budžet usvojen.").serbo_croatian();
        assert_eq!(d.language, Language::Bosnian);
    }

    #[test]
    fn margin_confidence_is_bounded() {
        assert!(margin_confidence(0, 0).abs() < 1e-12);
        assert!((margin_confidence(20, 0) - 1.0).abs() < 1e-12);
        assert!(margin_confidence(5, 5).abs() < 1e-12);
        assert!(margin_confidence(3, 0) < 1.0);
    }
}
