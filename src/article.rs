//! The input record: one article.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::lang::Language;

/// Longest article id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 512;

/// A news article to cluster.
///
/// Only `id` is required. `title` and `text` may be empty (an article with
/// no words opens a story of its own: nothing links it to others).
///
/// # Examples
///
/// ```
/// use story_cluster::{Article, Language};
///
/// let a = Article::new("rol-1", "Incendiu la Brăila", "Un incendiu a izbucnit marți...")
///     .with_language(Language::Romanian)
///     .with_published(1_730_000_000)
///     .with_source("example.ro");
/// assert_eq!(a.language, Some(Language::Romanian));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The caller's unique id (at most [`MAX_ID_BYTES`] bytes).
    pub id: String,
    /// Headline. In JSON, missing or null reads as empty.
    #[serde(default, deserialize_with = "de_text")]
    pub title: String,
    /// Body text: plain text, page boilerplate allowed (it is cleaned). In
    /// JSON, missing or null reads as empty.
    #[serde(default, deserialize_with = "de_text")]
    pub text: String,
    /// Publication time, in seconds since the Unix epoch. In JSON: a string
    /// [`Article::parse_time`] reads (`"2024-11-01T17:21:00+02:00"`, an RSS
    /// `pubDate`), an integer of seconds, or null. An integer beyond the
    /// year 9999 is refused: it is far more likely a time in milliseconds
    /// (JavaScript's `Date.now()`) than a date.
    #[serde(default, serialize_with = "ser_time", deserialize_with = "de_time")]
    pub published: Option<i64>,
    /// A language hint; when given it wins over detection. In JSON the field
    /// is `lang`, with a code as [`Language`] parses them (`"ro"`, `"ron"`,
    /// `"ro-RO"`) or a language's English name (`"Romanian"`); a code this
    /// crate does not know reads as [`Language::Unknown`] (analysed without
    /// stemming), a blank one or one for no single language (`"und"`,
    /// `"mul"`) as no hint, and a value that is neither a code nor a name
    /// (`"Englsh"`) is an error. A hint of `Unknown` is written `"mis"`
    /// (ISO 639's code for a language without one), which reads back as
    /// `Unknown`.
    #[serde(
        default,
        rename = "lang",
        serialize_with = "ser_lang",
        deserialize_with = "de_lang"
    )]
    pub language: Option<Language>,
    /// The outlet that published the article, if known. Carried for the
    /// caller (serialised with the article); clustering does not read it,
    /// and the index does not keep it.
    #[serde(default)]
    pub source: Option<String>,
}

impl Article {
    /// An article with an id, a title and a text.
    pub fn new(id: impl Into<String>, title: impl Into<String>, text: impl Into<String>) -> Self {
        Article {
            id: id.into(),
            title: title.into(),
            text: text.into(),
            published: None,
            language: None,
            source: None,
        }
    }

    /// Sets the publication time (seconds since the Unix epoch).
    #[must_use]
    pub fn with_published(mut self, unix_seconds: i64) -> Self {
        self.published = Some(unix_seconds);
        self
    }

    /// Sets the language hint.
    #[must_use]
    pub fn with_language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Sets the outlet.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Parses one JSON line in the corpus format
    /// (`{"id", "title", "text", "published", "lang", "source", ...}`;
    /// other fields are ignored).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Input`](crate::ErrorKind::Input) when the line is not a
    /// JSON object with a string `id`, or a field has the wrong type;
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) when the id is empty or
    /// longer than [`MAX_ID_BYTES`], which
    /// [`Clusterer::add`](crate::Clusterer::add) would refuse (so that a
    /// reader skips that line rather than have a batch refused).
    pub fn from_json(line: &str) -> Result<Article> {
        // A byte-order mark opens the first line of some files.
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        let article: Article =
            serde_json::from_str(line).map_err(|e| Error::input(e.to_string()))?;
        check_id_bounds(&article.id)?;
        Ok(article)
    }

    /// Parses a time into seconds since the Unix epoch: RFC 3339
    /// (`2024-11-01T17:21:00+02:00`, a space for the `T` allowed), RFC 2822
    /// as RSS feeds write it (`Fri, 01 Nov 2024 17:21:00 GMT`; with a
    /// numeric offset or a zone the RFC names: `GMT`, `UT`, `UTC` and the
    /// North American ones; another name, which the RFC reads as UTC, is
    /// refused; a comment after the zone, `+0200 (EET)`, is passed over,
    /// and a wrong weekday is forgiven: the date says which day it was), a
    /// date and time or a date without offset, taken as UTC
    /// (`2024-11-01 17:21`, `2024-11-01`, `20241101`, `202411011721`,
    /// `20241101172100`), a date and time with an offset or `UTC` after a
    /// space (`2024-11-01 17:21:00 +0200`), or an integer of seconds of
    /// nine or ten digits, the first not `0`, perhaps after a minus
    /// (`1730474460`; 1973 to 2286, or 1653 to 1968 before the epoch, so
    /// that neither `2024` nor a compact date is read as seconds). Times are
    /// those a `jiff::Timestamp` holds: the years -9999 to 9999, less a day
    /// at either end. Surrounding white space is ignored.
    ///
    /// ```
    /// use story_cluster::Article;
    ///
    /// let t = Article::parse_time("2024-11-01T17:21:00+02:00")?;
    /// assert_eq!(Article::parse_time("Fri, 01 Nov 2024 15:21:00 GMT")?, t);
    /// assert_eq!(Article::parse_time("2024-11-01 15:21:00")?, t);
    /// assert_eq!(Article::parse_time("1730474460")?, t);
    /// assert!(Article::parse_time("01/11/2024").is_err());
    /// # Ok::<(), story_cluster::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Input`](crate::ErrorKind::Input) when `s` is none of
    /// these, naming the formats read.
    pub fn parse_time(s: &str) -> Result<i64> {
        parse_timestamp(s).map_err(Error::input)
    }
}

/// An id [`Clusterer::add`](crate::Clusterer::add) accepts, uniqueness
/// aside: 1 to [`MAX_ID_BYTES`] bytes.
pub(crate) fn check_id_bounds(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::limit("article id is empty"));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(Error::limit(format!(
            "article id is {} bytes, more than {MAX_ID_BYTES}",
            id.len()
        )));
    }
    Ok(())
}

/// [`Article::parse_time`], with the reason as a bare message.
fn parse_timestamp(s: &str) -> std::result::Result<i64, String> {
    // Feeds get the weekday wrong often enough; the date says which day.
    static RFC2822: jiff::fmt::rfc2822::DateTimeParser =
        jiff::fmt::rfc2822::DateTimeParser::new().relaxed_weekday(true);
    let t = s.trim();
    let bad = |why: &dyn std::fmt::Display| format!("bad timestamp {s:?}: {why}");
    let rfc3339 = match t.parse::<jiff::Timestamp>() {
        Ok(ts) => return Ok(ts.as_second()),
        Err(e) => e,
    };
    // Seconds written as a string: nine or ten digits (1973 to 2286), so
    // that `2024` or a compact date (`20241101`) is not read as seconds,
    // nor a compact date and time (`202411011721`, `20241101172100`, read
    // below as UTC) as a time thousands of years ahead.
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.len() >= 9 && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        let negative = digits.len() < t.len();
        if let (false, 12 | 14, Some(date), Some(time)) =
            (negative, t.len(), t.get(..8), t.get(8..))
        {
            return compact_date_time(date, time).map_err(|e| {
                bad(&format_args!(
                    "not a compact date and time (YYYYMMDDhhmm[ss], UTC): {e}"
                ))
            });
        }
        if digits.len() > 10 {
            let compact = if negative {
                ""
            } else {
                ", nor a compact date and time (12 or 14 digits, YYYYMMDDhhmm[ss])"
            };
            return Err(bad(&format_args!(
                "{} digits: not seconds (milliseconds? give seconds){compact}",
                digits.len()
            )));
        }
        return t
            .parse::<i64>()
            .map_err(|e| e.to_string())
            .and_then(check_seconds)
            .map_err(|e| bad(&e));
    }
    // A date and time, then an offset or `UTC` after a space, as some
    // databases and languages write them (`2024-11-01 17:21:00 +0200`),
    // which RFC 3339 wants without the space.
    if let Some((civil, zone)) = t.rsplit_once(char::is_whitespace) {
        let civil = civil.trim_end();
        let offset = if ["UTC", "UT", "GMT", "Z"]
            .iter()
            .any(|z| zone.eq_ignore_ascii_case(z))
        {
            Some("Z")
        } else {
            zone.starts_with(['+', '-']).then_some(zone)
        };
        if let Some(offset) = offset.filter(|_| civil.parse::<jiff::civil::DateTime>().is_ok()) {
            return format!("{civil}{offset}")
                .parse::<jiff::Timestamp>()
                .map(jiff::Timestamp::as_second)
                .map_err(|e| {
                    bad(&format_args!(
                        "not RFC 2822, nor RFC 3339 with a space: {e}"
                    ))
                });
        }
    }
    // Tried only with a zone the RFC names; its error, if any, is kept for
    // the message (a time that looks like RFC 2822 fails for that reason,
    // not for RFC 3339's).
    // Comments after the zone (`+0200 (EET)`), which the RFC allows and
    // some feeds write, are passed over.
    let mut rfc2822 = String::new();
    let bare = without_comments(t);
    if let Some((bare, zone)) = bare.and_then(|b| Some((b, b.split_ascii_whitespace().last()?))) {
        // `bare` ends with `zone`.
        let before_zone = &bare[..bare.len() - zone.len()];
        if rfc2822_zone_is_known(zone) {
            match RFC2822.parse_timestamp(bare) {
                Ok(ts) => return Ok(ts.as_second()),
                Err(e) => rfc2822 = format!(" ({e})"),
            }
        } else if (1..=5).contains(&zone.len())
            && zone.bytes().all(|b| b.is_ascii_alphabetic())
            && RFC2822.parse_timestamp(format!("{before_zone}GMT")).is_ok()
        {
            rfc2822 = format!(
                " (zone {zone} is none RFC 2822 names, which would read it as UTC: give a \
                 numeric offset)"
            );
        }
    }
    // A date and time without offset, or a date, read as UTC. One with an
    // offset that RFC 3339 refused is not read without it.
    if !t
        .get(10..)
        .unwrap_or("")
        .contains(['Z', 'z', '+', '-', '['])
    {
        let civil = t.parse::<jiff::civil::DateTime>().or_else(|_| {
            t.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        });
        if let Ok(dt) = civil {
            return dt
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .map_err(|e| bad(&e));
        }
    }
    Err(bad(&format_args!(
        "not RFC 3339 ({rfc3339}), RFC 2822{rfc2822}, a date or date-time without offset \
         (UTC), or an integer of seconds"
    )))
}

/// A compact date and time (`20241101` and `1721` or `172100`), read as
/// UTC.
fn compact_date_time(date: &str, time: &str) -> std::result::Result<i64, String> {
    format!("{date}T{time}")
        .parse::<jiff::civil::DateTime>()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC))
        .map(|z| z.timestamp().as_second())
        .map_err(|e| e.to_string())
}

/// Whether the zone that ends an RFC 2822 time is one the RFC defines: a
/// numeric offset, `GMT`, `UT` (or `UTC`, `Z`) or a North American zone.
/// Any other name (`CET`, `IST`, a military letter) the RFC reads as an
/// unknown offset, `-0000`, which would put a European feed's times hours
/// off; such a time is refused instead.
fn rfc2822_zone_is_known(zone: &str) -> bool {
    zone.starts_with(['+', '-'])
        || [
            "GMT", "UT", "UTC", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
        ]
        .iter()
        .any(|z| zone.eq_ignore_ascii_case(z))
}

/// `t` without the comments that end it (`+0200 (EET)`, `+0200 (EET
/// (summer)) (x)`); `None` if their parentheses do not pair up.
fn without_comments(t: &str) -> Option<&str> {
    let mut t = t.trim_end();
    while t.ends_with(')') {
        // The `(` that opens the last comment, counting nested ones.
        let mut depth = 0usize;
        let open = t.char_indices().rev().find_map(|(i, c)| {
            match c {
                ')' => depth += 1,
                '(' => depth = depth.checked_sub(1)?,
                _ => {}
            }
            (depth == 0).then_some(i)
        })?;
        t = t[..open].trim_end();
    }
    Some(t)
}

/// `seconds` if a `jiff::Timestamp` holds it (years -9999 to 9999); a
/// later time is far more likely milliseconds taken for seconds (as
/// JavaScript's `Date.now()` gives them) than a date, and is refused.
fn check_seconds(seconds: i64) -> std::result::Result<i64, String> {
    match jiff::Timestamp::from_second(seconds) {
        Ok(_) => Ok(seconds),
        Err(_) => Err(format!(
            "{seconds} seconds is beyond the years -9999 to 9999 (a time in milliseconds? \
             give seconds)"
        )),
    }
}

/// A time string (RFC 3339; before year 0, jiff's extended years), or the
/// integer for a time beyond what a `jiff::Timestamp` holds (years -9999
/// to 9999): written as given, though [`de_time`] refuses it.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`.
fn ser_time<S: Serializer>(t: &Option<i64>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match *t {
        None => s.serialize_none(),
        Some(t) => match jiff::Timestamp::from_second(t) {
            Ok(ts) => s.serialize_str(&ts.to_string()),
            Err(_) => s.serialize_i64(t),
        },
    }
}

/// A publication time: a string [`Article::parse_time`] reads (blank:
/// none), an integer of seconds within the years -9999 to 9999, or null.
/// Anything else is refused with what was expected (a float is not taken
/// for seconds: `1.5` says nothing exact).
fn de_time<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<i64>, D::Error> {
    struct Time;
    impl serde::de::Visitor<'_> for Time {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(
                "a time string (RFC 3339, RFC 2822, or a date and time in UTC), an integer of \
                 seconds since the Unix epoch, or null",
            )
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<Self::Value, E> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            parse_timestamp(s).map(Some).map_err(E::custom)
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
            check_seconds(v)
                .map(Some)
                .map_err(|e| E::custom(format!("publication time {e}")))
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
            let v = i64::try_from(v).map_err(|_| {
                E::custom(format!(
                    "publication time {v} is beyond the last second an i64 holds"
                ))
            })?;
            self.visit_i64(v)
        }

        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Time)
}

/// A title or text: a string, or null for none (feeds send `"title": null`).
fn de_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A language hint: a code [`Language`]'s `FromStr` reads, or one it does
/// not know ([`Language::Unknown`], as is `mis`, ISO 639's code for a
/// language without one); blank, or a code for no single language (`und`,
/// `mul`, `zxx`), like null, gives no hint. A language's English name
/// (`"Albanian"`, [`Language::name`]) reads as the language; any other
/// value that is no code (a language subtag of 2 or 3 letters) is an error,
/// rather than a hint that would turn detection and stemming off.
fn de_lang<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Language>, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    if let Some(named) = raw.as_deref().and_then(Language::from_name) {
        return Ok(Some(named));
    }
    if let Some(code) = raw.as_deref().filter(|c| !is_code_shaped(c)) {
        return Err(serde::de::Error::custom(format!(
            "lang {code:?}: not a language code (ISO 639, BCP 47) nor a language's English name"
        )));
    }
    Ok(raw.and_then(|code| {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
        // ISO 639's codes for no single language: undetermined, multiple,
        // no linguistic content.
        if primary.is_empty()
            || ["und", "mul", "zxx"]
                .iter()
                .any(|c| primary.eq_ignore_ascii_case(c))
        {
            return None;
        }
        if primary.eq_ignore_ascii_case(UNKNOWN_HINT) {
            return Some(Language::Unknown);
        }
        Some(code.parse().unwrap_or(Language::Unknown))
    }))
}

/// Blank, or a language code's shape: a first subtag of 2 or 3 ASCII
/// letters, then anything after `-` or `_` (`ro`, `sqi`, `sr-Latn-RS`).
fn is_code_shaped(s: &str) -> bool {
    let s = s.trim();
    let primary = s.split(['-', '_']).next().unwrap_or_default();
    s.is_empty()
        || ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// How a hint of [`Language::Unknown`] is written in JSON: ISO 639's code
/// for a language without one, which [`de_lang`] reads back as
/// `Unknown`. (`und`, its code elsewhere, reads as no hint.)
const UNKNOWN_HINT: &str = "mis";

/// A language hint as [`de_lang`] reads it back.
// serde's `serialize_with` passes `&Option<T>`.
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
fn ser_lang<S: Serializer>(l: &Option<Language>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match *l {
        None => s.serialize_none(),
        Some(Language::Unknown) => s.serialize_str(UNKNOWN_HINT),
        Some(l) => l.serialize(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// Publication times of the years -9999 to 9999 survive JSON, as RFC
    /// 3339; a time beyond is written as the integer (not lost), which
    /// reading refuses as it refuses such an integer from any source.
    #[test]
    fn publication_times_round_trip_through_json() {
        let (first, last) = (
            jiff::Timestamp::MIN.as_second(),
            jiff::Timestamp::MAX.as_second(),
        );
        for t in [first, 0, 1_730_000_000, last] {
            let a = Article::new("x", "t", "text").with_published(t);
            let line = serde_json::to_string(&a).unwrap();
            assert_eq!(Article::from_json(&line).unwrap(), a, "{line}");
        }
        for t in [i64::MIN, first - 1, last + 1, i64::MAX] {
            let a = Article::new("x", "t", "text").with_published(t);
            let line = serde_json::to_string(&a).unwrap();
            assert!(line.contains(&format!(r#""published":{t}"#)), "{line}");
            let e = Article::from_json(&line).unwrap_err();
            assert!(e.to_string().contains("milliseconds"), "{e}");
        }
        let line =
            serde_json::to_string(&Article::new("x", "t", "text").with_published(0)).unwrap();
        assert!(
            line.contains(r#""published":"1970-01-01T00:00:00Z""#),
            "{line}"
        );
        let line = serde_json::to_string(&Article::new("x", "t", "text")).unwrap();
        assert!(line.contains(r#""published":null"#), "{line}");
    }

    /// What a line may hold besides the usual: a byte-order mark, null
    /// title and text, integer times up to the ends of `i64`; and what it
    /// may not, with a message saying what was expected.
    #[test]
    fn lines_read_leniently_where_nothing_is_lost() {
        let a =
            Article::from_json("\u{feff}{\"id\": \"x\", \"title\": null, \"text\": null}").unwrap();
        assert_eq!(
            (a.id.as_str(), a.title.as_str(), a.text.as_str()),
            ("x", "", "")
        );
        let time = |p: &str| Article::from_json(&format!(r#"{{"id": "x", "published": {p}}}"#));
        assert_eq!(time("null").unwrap().published, None);
        assert_eq!(time(r#"" ""#).unwrap().published, None);
        assert_eq!(time("-5").unwrap().published, Some(-5));
        assert_eq!(
            time(r#""1970-01-01T00:01:00+00:00""#).unwrap().published,
            Some(60)
        );
        for bad in [
            "1.5",
            "1e3",
            "true",
            "[]",
            "9223372036854775808",
            "9223372036854775807",
            "1730474460000",
        ] {
            let e = time(bad).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Input(_)), "{bad}: {e}");
            let message = e.to_string();
            assert!(!message.contains("Raw"), "{bad}: {message}");
            assert!(
                message.contains("RFC 3339")
                    || message.contains("i64")
                    || message.contains("milliseconds"),
                "{bad}: {message}"
            );
        }
    }

    /// Language hints as feeds write them: region tags and three-letter
    /// codes name the language; blank and `und` give none (detection).
    #[test]
    fn language_hints_take_tags_and_three_letter_codes() {
        let hint = |lang: &str| {
            Article::from_json(&format!(r#"{{"id": "x", "lang": "{lang}"}}"#))
                .unwrap()
                .language
        };
        for (code, want) in [
            ("it", Some(Language::Italian)),
            ("it-IT", Some(Language::Italian)),
            ("ro_RO", Some(Language::Romanian)),
            ("ron", Some(Language::Romanian)),
            ("SQI", Some(Language::Albanian)),
            ("sr-Latn-RS", Some(Language::Serbian)),
            ("nb-NO", Some(Language::Norwegian)),
            ("nn", Some(Language::Norwegian)),
            ("mul", None),
            ("zh-CN", Some(Language::Unknown)),
            ("xx", Some(Language::Unknown)),
            ("", None),
            ("  ", None),
            ("und", None),
            ("UND-Latn", None),
            ("zxx", None),
            ("mis", Some(Language::Unknown)),
            ("Albanian", Some(Language::Albanian)),
            (" romanian ", Some(Language::Romanian)),
        ] {
            assert_eq!(hint(code), want, "{code:?}");
        }
        // No code and no language's name: an error, not a hint that turns
        // detection off.
        for bad in ["Englsh", "Klingon", "r0", "1", "español"] {
            let e = Article::from_json(&format!(r#"{{"id": "x", "lang": "{bad}"}}"#)).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Input(_)), "{bad}: {e}");
            assert!(e.to_string().contains("not a language code"), "{bad}: {e}");
        }
        // Every hint reads back as written, `Unknown` included (written
        // `und`, it read back as no hint).
        for language in [None, Some(Language::Unknown), Some(Language::Albanian)] {
            let mut a = Article::new("x", "", "");
            a.language = language;
            let back = Article::from_json(&serde_json::to_string(&a).unwrap()).unwrap();
            assert_eq!(back.language, language);
        }
    }

    /// The time formats of news feeds: RFC 3339, RFC 2822 (RSS), dates and
    /// times without offset (UTC), integers of seconds written as strings.
    #[test]
    fn common_time_formats_are_read() {
        let at = 1_730_474_460; // 2024-11-01T15:21:00Z
        for (text, want) in [
            ("2024-11-01T17:21:00+02:00", at),
            (" 2024-11-01T15:21:00Z ", at),
            ("2024-11-01 17:21:00+02:00", at),
            ("Fri, 01 Nov 2024 15:21:00 GMT", at),
            ("Fri, 01 Nov 2024 17:21:00 +0200", at),
            ("Fri, 01 Nov 2024 17:21:00 +0200 (EET)", at),
            ("Fri, 01 Nov 2024 15:21:00 GMT (Greenwich)", at),
            ("Fri, 01 Nov 2024 17:21:00 +0200 (EET (summer)) (x)", at),
            // A wrong weekday (1 November 2024 was a Friday): the date wins.
            ("Sat, 01 Nov 2024 15:21:00 GMT", at),
            ("1 Nov 2024 10:21:00 EST", at),
            ("2024-11-01T15:21:00", at),
            ("2024-11-01 15:21:00", at),
            ("2024-11-01T15:21", at),
            ("2024-11-01", at - (15 * 3600 + 21 * 60)),
            ("1730474460", at),
            ("20241101", at - (15 * 3600 + 21 * 60)),
            ("202411011521", at),
            ("20241101152100", at),
            ("2024-11-01 17:21:00 +0200", at),
            ("2024-11-01 17:21:00 +02:00", at),
            ("2024-11-01 15:21:00 UTC", at),
            ("2024-11-01T15:21:00 Z", at),
            ("2024-11-01 17:21:00  +0200", at),
            ("2024-11-01 17:21:00\t+0200", at),
            ("2024-11-01 15:21:00 utc", at),
            ("2024-11-01 15:21:00 UT", at),
            ("-100000000", -100_000_000),
        ] {
            assert_eq!(Article::parse_time(text).ok(), Some(want), "{text}");
            let line = serde_json::json!({"id": "x", "published": text}).to_string();
            assert_eq!(Article::from_json(&line).unwrap().published, Some(want));
        }
        for bad in [
            "yesterday",
            "01/11/2024",
            "2024-13-01",
            "2024-11-01T17:21:00+99:00",
            "2024-11-01T17:21:00 CET",
            "Fri, 01 Nov 2024 17:21:00 CET",
            "Fri, 01 Nov 2024 17:21:00 A",
            "Fri, 01 Nov 2024",
            "2024",
            "-60",
            "1730474460000",
            "0000000000001",
            "17304744600",
            "202413011521",
            "20241101152199",
            "2024-11-01 17:21:00 +99:00",
            "2024-11-01 17:21:00 CET",
            "Fri, 01 Nov 2024 17:21:00 +0200 (EET",
            "Fri, 01 Nov 2024 17:21:00 (EET)",
            "",
        ] {
            let e = Article::parse_time(bad).unwrap_err().to_string();
            assert!(
                e.contains("RFC 2822") || e.contains("milliseconds") || e.contains("compact"),
                "{bad}: {e}"
            );
        }
        // A negative number of too many digits is no compact date.
        for long in ["-20241101172", "-20241101172100"] {
            let e = Article::parse_time(long).unwrap_err().to_string();
            assert!(
                e.contains(" digits: not seconds") && !e.contains("compact"),
                "{e}"
            );
        }
        // A time that fails as RFC 2822 says why, not only why RFC 3339
        // refused it.
        let e = Article::parse_time("Fri, 31 Nov 2024 15:21:00 GMT").unwrap_err();
        assert!(e.to_string().contains("RFC 2822 ("), "{e}");
        for zone in ["CET", "N"] {
            let e = Article::parse_time(&format!("Fri, 01 Nov 2024 16:21:00 {zone}")).unwrap_err();
            assert!(e.to_string().contains(&format!("zone {zone} ")), "{e}");
        }
    }

    /// A line whose id `add` would refuse is refused when read, so that a
    /// reader can skip it; a bad timestamp says so once.
    #[test]
    fn unusable_lines_are_typed_errors() {
        let limit = |line: &str| {
            matches!(
                Article::from_json(line).unwrap_err().kind(),
                ErrorKind::Limit(_)
            )
        };
        assert!(limit(r#"{"id": "", "text": "x"}"#));
        let long = format!(
            r#"{{"id": "{}", "text": "x"}}"#,
            "a".repeat(MAX_ID_BYTES + 1)
        );
        assert!(limit(&long));
        let longest = format!(r#"{{"id": "{}", "text": "x"}}"#, "a".repeat(MAX_ID_BYTES));
        assert!(Article::from_json(&longest).is_ok());
        assert!(!limit(r#"{"text": "x"}"#));
        let e = Article::from_json(r#"{"id": "x", "published": "yesterday"}"#).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Input(_)));
        let message = e.to_string();
        assert_eq!(message.matches("invalid input").count(), 1, "{message}");
        assert!(message.contains("bad timestamp \"yesterday\""), "{message}");
    }

    #[test]
    fn corpus_lines_parse() {
        let a = Article::from_json(
            r#"{"id": "x1", "title": "T", "text": "B", "published": "2024-11-01T17:21:00+02:00", "cluster": "ignored"}"#,
        )
        .unwrap();
        assert_eq!(a.published, Some(1_730_474_460));
        assert_eq!(a.language, None);
        let b = Article::from_json(r#"{"id": "x2", "published": null, "lang": "sq"}"#).unwrap();
        assert_eq!(b.language, Some(Language::Albanian));
        assert_eq!(b.text, "");
        let c = Article::from_json(r#"{"id": "x3", "lang": "ja"}"#).unwrap();
        assert_eq!(c.language, Some(Language::Unknown));
    }

    #[test]
    fn bad_lines_are_input_errors() {
        for line in [
            "",
            "nope",
            "{}",
            r#"{"id": 5}"#,
            r#"{"id": "a", "published": "yesterday"}"#,
            "[1,2]",
        ] {
            let e = Article::from_json(line).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Input(_)), "{line}: {e}");
        }
    }
}
