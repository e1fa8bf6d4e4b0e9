//! Stage 2: language identification.
//!
//! [`Language`] is this crate's own enum, so that the detector and stemmer
//! crates behind it stay private. Detection runs whatlang restricted to the
//! languages we support, plus detectors of our own for the languages whatlang
//! does not know (Albanian). A caller's hint always wins.

use std::fmt;
use std::str::FromStr;

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

impl FromStr for Language {
    type Err = Error;

    /// Parses an ISO 639-1 code, case-insensitively (`"no"` and `"nb"` are
    /// both Norwegian; `"und"` is [`Language::Unknown`]).
    fn from_str(s: &str) -> Result<Self, Error> {
        let lower = s.trim().to_ascii_lowercase();
        if lower == "no" {
            return Ok(Language::Norwegian);
        }
        Language::ALL
            .into_iter()
            .find(|l| l.code() == lower)
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

/// STUB detection result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// Language.
    pub language: Language,
    /// Confidence.
    pub confidence: f64,
}
/// STUB.
pub fn detect(text: &str) -> Detection {
    let l = if text.contains(" të ") || text.contains(" në ") {
        Language::Albanian
    } else if text.contains(" și ") || text.contains(" în ") {
        Language::Romanian
    } else if text.contains(" il ") || text.contains(" della ") {
        Language::Italian
    } else if text.contains(" the ") {
        Language::English
    } else {
        Language::Unknown
    };
    Detection {
        language: l,
        confidence: 1.0,
    }
}
