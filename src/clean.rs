//! Stage 1: removing page boilerplate from plain article text.
//!
//! Pages copied from news sites carry more than the article: a breadcrumb
//! (`Prima pagină » Știri externe » …`), the headline three or four times,
//! "read also" links, photo credits, a block of other sites' teaser
//! headlines and reader comments. Left in, they glue unrelated articles
//! together (two pages from one site share the teasers) and bury the
//! article's own anchors.
//!
//! The cleaner works line by line and never rewrites a line; it only decides
//! which lines go:
//!
//! - breadcrumbs (a short line with two or more `»`, `›` or `>` separators
//!   between spaces; guillemets that quote are no separators);
//! - repeats: a line equal (ignoring case and spacing) to the title or to an
//!   earlier line;
//! - marker lines from `data/boilerplate.tsv` (per-language "read also",
//!   photo credits, trailers such as "Comentarii" or "Argomenti simili");
//! - a trailing run of six or more short headline-like lines (teaser lists).
//!
//! The article body is protected: a trailer cut only applies when at least
//! [`MIN_BODY_SHARE`] of the page's text (and [`MIN_BODY_CHARS`]) comes
//! before it, and if cleaning would leave less than a quarter of the text the
//! page is returned without the trailer cut.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// Share of the page's characters that must precede a trailer cut.
const MIN_BODY_SHARE: f64 = 0.3;
/// Characters of kept text that must precede a trailer cut.
const MIN_BODY_CHARS: usize = 300;
/// Longest line that counts as a headline in a teaser list or after a
/// "read also" marker.
const HEADLINE_MAX_CHARS: usize = 220;
/// Shortest run of headline-like lines at the end of a page that is cut.
const TEASER_RUN: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Cut,
    Related,
    Drop,
}

struct Markers {
    entries: Vec<(Marker, String)>,
    /// Indices into `entries` by the marker's first byte, in file order: a
    /// line is only compared with the markers it can start with.
    by_first_byte: Vec<Vec<u16>>,
}

/// Longest line (in characters) any marker applies to.
const MARKER_LINE_MAX_CHARS: usize = 120;

fn markers() -> &'static Markers {
    static MARKERS: OnceLock<Markers> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let entries = include_str!("data/boilerplate.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let kind = match f.next()? {
                    "cut" => Marker::Cut,
                    "related" => Marker::Related,
                    "drop" => Marker::Drop,
                    _ => return None,
                };
                let _lang = f.next()?;
                Some((kind, f.next()?.trim().to_lowercase()))
            })
            .collect::<Vec<(Marker, String)>>();
        let mut by_first_byte = vec![Vec::new(); 256];
        for (i, (_, marker)) in entries.iter().enumerate() {
            // An empty marker would start every line.
            let first = marker.as_bytes().first().copied().unwrap_or(0);
            by_first_byte[usize::from(first)].push(i as u16);
        }
        Markers {
            entries,
            by_first_byte,
        }
    })
}

fn marker_of(line_lower: &str) -> Option<Marker> {
    let m = markers();
    // Every marker kind needs a short line; most body lines are long.
    if line_lower.len() > MARKER_LINE_MAX_CHARS
        && line_lower.chars().count() > MARKER_LINE_MAX_CHARS
    {
        return None;
    }
    let first = line_lower.as_bytes().first().copied().unwrap_or(0);
    // (Markers are never empty: the `markers_are_not_empty` test.)
    m.by_first_byte[usize::from(first)].iter().find_map(|&i| {
        let (kind, marker) = &m.entries[usize::from(i)];
        if !line_lower.starts_with(marker.as_str()) {
            return None;
        }
        // A marker must be the whole line or be followed by punctuation or
        // space: "Comentarii" but not "Comentariile ministrului au ...".
        let rest = &line_lower[marker.len()..];
        let boundary = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
        let short = line_lower.chars().count() <= MARKER_LINE_MAX_CHARS;
        match kind {
            Marker::Drop if boundary && short => Some(Marker::Drop),
            Marker::Cut | Marker::Related if boundary && line_lower.chars().count() <= 60 => {
                Some(*kind)
            }
            _ => None,
        }
    })
}

/// Writes `line` lowercased, with runs of whitespace squashed to one space
/// and none at either end, into `out` (cleared first).
fn squash_into(line: &str, out: &mut String) {
    out.clear();
    if lowercase_squashed(line, out) {
        return;
    }
    out.clear();
    for w in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            let start = out.len();
            out.push_str(w);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
}

/// [`squash_into`] of a line whose whitespace is squashed already (single
/// ASCII spaces between words, none at either end, no other whitespace):
/// the line lowercased character by character, ASCII runs at a time,
/// appended to `out`. Returns `false`, with `out` in any state, for any
/// other line.
fn lowercase_squashed(line: &str, out: &mut String) -> bool {
    let bytes = line.as_bytes();
    if bytes.first() == Some(&b' ')
        || bytes.last() == Some(&b' ')
        || bytes.iter().any(|b| matches!(b, b'\t'..=b'\r'))
        || line.contains("  ")
    {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(|&b| b >= 0x80)
            .unwrap_or(bytes.len() - i);
        let start = out.len();
        out.push_str(&line[i..i + run]);
        out[start..].make_ascii_lowercase();
        i += run;
        if let Some(c) = line[i..].chars().next() {
            if c.is_whitespace() {
                return false;
            }
            out.extend(c.to_lowercase());
            i += c.len_utf8();
        }
    }
    true
}

fn is_breadcrumb(line: &str) -> bool {
    // `»` and `›` start with the bytes 0xC2 and 0xE2: a line without them
    // or `>` has no separator.
    if !line.bytes().any(|b| matches!(b, 0xC2 | 0xE2 | b'>')) {
        return false;
    }
    // Guillemets are quotation marks in many languages (`«colma»`,
    // `»Zitat«`, `»ja»`, `«\u{a0}oui\u{a0}»`): a separator stands between
    // spaces (or no-break spaces, or a space and the end of the line) and
    // closes no open guillemet. A breadcrumb is one short line.
    let spaced = |c: Option<char>| matches!(c, None | Some(' ' | '\u{a0}'));
    let mut open = 0usize;
    let mut separators = 0;
    let mut prev = None;
    let mut chars = line.chars().peekable();
    let mut count = 0;
    while let Some(c) = chars.next() {
        count += 1;
        if count > HEADLINE_MAX_CHARS {
            return false;
        }
        match c {
            '«' | '‹' => open += 1,
            '»' | '›' if open > 0 => open -= 1,
            '»' | '›' | '>' if prev.is_some() && spaced(prev) && spaced(chars.peek().copied()) =>
            {
                separators += 1;
            }
            _ => {}
        }
        prev = Some(c);
    }
    separators >= 2
}

fn is_headline_like(line: &str) -> bool {
    let t = line.trim_end();
    t.chars().count() <= HEADLINE_MAX_CHARS && !t.ends_with(['.', ':', ';', ','])
}

/// Returns the article text of `page` without boilerplate (see the module
/// docs). `title` is the article's headline, if known; lines repeating it go.
#[cfg(test)]
fn clean(page: &str, title: &str) -> String {
    let mut out = String::new();
    clean_into(page, title, &mut out);
    out
}

/// The article text of `page` without boilerplate (see the module docs),
/// appended to `out` as the kept lines, each with a `\n`. `title` is the
/// article's headline, if known; lines repeating it go.
///
/// Repeats are found by a 64-bit xxh3 hash of the squashed line rather than
/// the line itself, which saves a copy of every line; two different lines
/// of one page colliding is as likely as never.
pub(crate) fn clean_into(page: &str, title: &str, out: &mut String) {
    let lines: Vec<&str> = page.lines().map(str::trim).collect();
    let total_chars: usize = lines.iter().map(|l| l.len()).sum();
    let mut title_key = String::new();
    squash_into(title, &mut title_key);
    let mut key = String::with_capacity(256);
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    seen.reserve(lines.len());
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut kept_chars = 0usize;
    let mut skip_headlines = 0usize;
    let mut cut = false;
    for line in &lines {
        if line.is_empty() {
            continue;
        }
        squash_into(line, &mut key);
        if skip_headlines > 0 {
            skip_headlines -= 1;
            if is_headline_like(line) {
                continue;
            }
            skip_headlines = 0;
        }
        if is_breadcrumb(line)
            || key == title_key
            || !seen.insert(xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
        {
            continue;
        }
        match marker_of(&key) {
            Some(Marker::Drop) => continue,
            Some(Marker::Related) => {
                // "Read also: <headline>" on one line, or the marker alone
                // with up to three headlines after it.
                skip_headlines = 3;
                continue;
            }
            Some(Marker::Cut) => {
                let enough = kept_chars >= MIN_BODY_CHARS
                    && kept_chars as f64 >= MIN_BODY_SHARE * total_chars as f64;
                if enough {
                    cut = true;
                    break;
                }
                continue;
            }
            None => {}
        }
        kept.push(line);
        kept_chars += line.len();
    }
    if !cut {
        drop_teaser_run(&mut kept);
    }
    out.reserve(kept_chars + kept.len());
    for line in kept {
        out.push_str(line);
        out.push('\n');
    }
}

/// Drops a trailing run of [`TEASER_RUN`] or more headline-like lines, the
/// shape of a block of other sites' teasers, when it sits in the second half
/// of the page.
fn drop_teaser_run(kept: &mut Vec<&str>) {
    let run = kept
        .iter()
        .rev()
        .take_while(|l| is_headline_like(l))
        .count();
    if run >= TEASER_RUN && run * 2 <= kept.len() {
        kept.truncate(kept.len() - run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Prima pagină » Știri externe » Incendiu mare la Brăila\n\n\
Incendiu mare la Brăila\n\nIncendiu mare la Brăila\n\
Un incendiu a izbucnit marți într-un depozit din Brăila, au anunțat pompierii ISU Dunărea. Flăcările au cuprins 2.000 de metri pătrați.\n\
Pompierii au intervenit cu 12 autospeciale, iar traficul a fost închis pe strada Călărașilor pentru trei ore.\n\
CITEȘTE ȘI:\n\
Ministrul Mediului cere verificări la depozitele de deșeuri\n\
Sursa foto: Agenția X\n\
Flăcările au fost stinse după cinci ore de muncă, a transmis purtătorul de cuvânt al ISU Dunărea, Ion Popescu.\n\
Recomandarea video\n\
Site A\nPrimarul a anunțat ceva\nSite B\nVedeta X s-a căsătorit\nComentarii\nFoarte trist!\n";

    #[test]
    fn page_boilerplate_goes_and_the_body_stays() {
        let c = clean(PAGE, "Incendiu mare la Brăila");
        assert!(!c.contains('»'), "{c}");
        assert!(!c.contains("Incendiu mare la Brăila"), "{c}");
        assert!(!c.contains("Ministrul Mediului"), "{c}");
        assert!(!c.contains("Sursa foto"), "{c}");
        assert!(!c.contains("Vedeta"), "{c}");
        assert!(!c.contains("Foarte trist"), "{c}");
        assert!(c.contains("2.000 de metri"), "{c}");
        assert!(c.contains("12 autospeciale"), "{c}");
        assert!(c.contains("Ion Popescu"), "{c}");
    }

    #[test]
    fn an_early_trailer_marker_does_not_remove_the_body() {
        let page = "Comentarii\nIl sindaco di Lecco ha annunciato un nuovo ponte sul fiume, che costerà 4,5 milioni di euro e sarà pronto nel 2027 secondo il progetto approvato dalla giunta comunale ieri sera dopo una lunga discussione.\n";
        let c = clean(page, "");
        assert!(c.contains("4,5 milioni"), "{c}");
    }

    #[test]
    fn a_short_teaser_run_is_kept() {
        let body = "Primul paragraf al articolului are destul text ca să fie corp.\n".repeat(3);
        let page = format!("{body}Linia unu\nLinia doi\n");
        let c = clean(&page, "");
        assert!(c.contains("Linia doi"));
    }

    #[test]
    fn quoting_guillemets_are_no_breadcrumb() {
        // Each of these lines quotes twice with guillemets, as Italian,
        // French, Slovenian, Russian and Albanian news do; each is body.
        let quoting = [
            "«Il ponte è chiuso», ha detto il sindaco. «Riaprirà a maggio».",
            "Le maire a parlé d’un «\u{a0}pont fragile\u{a0}» et d’une «\u{a0}fermeture longue\u{a0}».",
            "»Most je zaprt,« je dejal župan, »odprli ga bomo maja.«",
            "Мэр заявил: «Мост «Северный» закрыт», — и добавил: «до мая».",
            "Kryetari tha: « Ura mbyllet » dhe shtoi: « do të hapet në maj ».",
            "Il sindaco: «chiuso» e poi ‹aperto› e infine «forse».",
            // Spaced closing guillemets: each closes an open one.
            "Kryetari tha: « Ura mbyllet » dhe shtoi: « do të hapet » në maj.",
            // Swedish and Finnish close with `»` too.
            "Han sa »ja» och »nej» igen.",
        ];
        for line in quoting {
            assert!(!is_breadcrumb(line), "{line}");
            let page = format!("{line}\nSecond line of the body.\n");
            assert!(clean(&page, "").contains(line), "{line}");
        }
        // Separators stand between spaces, on one short line.
        assert!(is_breadcrumb("Home › Cronaca › Il ponte chiuso"));
        assert!(is_breadcrumb("Acasă > Știri > Podul închis"));
        assert!(is_breadcrumb("«Titolo» » Cronaca » Il ponte"));
        assert!(is_breadcrumb(
            "Acasă\u{a0}»\u{a0}Știri\u{a0}»\u{a0}Politică"
        ));
        assert!(is_breadcrumb("Acasă » Știri »"));
        assert!(
            !is_breadcrumb("» Acasă » Știri"),
            "one separator after a word"
        );
        let long = format!("Cronaca » Modena » {}", "parola ".repeat(40));
        assert!(!is_breadcrumb(&long));
    }

    #[test]
    fn a_long_teaser_run_at_the_end_goes() {
        use std::fmt::Write;
        let mut page = String::new();
        for i in 0..8 {
            writeln!(
                page,
                "Paragraful {i} al articolului are destul text ca să fie corp."
            )
            .unwrap();
        }
        for i in 0..8 {
            writeln!(page, "Titlu de știre numărul {i}").unwrap();
        }
        let c = clean(&page, "");
        assert!(!c.contains("numărul 3"));
        assert!(c.contains("Paragraful 7"));
    }

    #[test]
    fn markers_are_not_empty() {
        assert!(markers().entries.iter().all(|(_, m)| !m.is_empty()));
        assert!(markers().by_first_byte[0].is_empty());
    }

    /// `squash_into` as first written.
    fn squash_reference(line: &str) -> String {
        let mut out = String::new();
        for w in line.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
        out
    }

    #[test]
    fn squash_equals_the_reference() {
        let mut next = crate::xorshift(0x2545_F491_4F6C_DD1D);
        let mut k = String::new();
        // Any whitespace, and mostly single spaces (the fast path).
        for alphabet in [
            " \t\n\r\u{b}\u{c}\u{1c}\u{85}\u{a0}\u{2003}\u{3000}aZ1.ȘșİßΣЖ\u{300}",
            "     aZ1.ȘșİßΣЖ\u{300}\u{a0}",
            "   abcXYZ,.",
        ] {
            let alphabet: Vec<char> = alphabet.chars().collect();
            for _ in 0..20_000 {
                let len = (next() % 16) as usize;
                let line: String = (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                squash_into(&line, &mut k);
                assert_eq!(k, squash_reference(&line), "{line:?}");
            }
        }
    }

    #[test]
    fn squash_lowercases_and_squashes_whitespace() {
        let mut k = String::new();
        squash_into("  Citește  ȘI:\tAcum ", &mut k);
        assert_eq!(k, "citește și: acum");
        squash_into("ABC def", &mut k);
        assert_eq!(k, "abc def");
    }

    #[test]
    fn odd_input() {
        assert_eq!(clean("", ""), "");
        assert_eq!(clean("\n\n\n", "x"), "");
        // Guillemets alone separate nothing: kept, as text is when unsure.
        assert_eq!(clean("»»»", ""), "»»»\n");
        assert_eq!(clean("a » b » c", ""), "");
    }
}
