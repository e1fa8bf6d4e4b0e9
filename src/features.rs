//! Stage 5: features, of two kinds.
//!
//! - **Lexical** features are the article's stems (language-tagged, so that a
//!   Romanian `sold` never meets an English `sold`) and the hashes of its
//!   stemmed word 3-shingles. Stems drive same-language similarity; shingles
//!   feed MinHash and LSH, which find near-duplicates.
//! - **Anchors** are language-independent keys: names folded to Latin ASCII
//!   and cut to a short prefix (`Rutte`, `Рютте`-like spellings and `Rutte-s`
//!   all become `n:rutte`), canonical numbers (`#600000`), and alias keys for
//!   exonyms and acronyms (`Phenian`, `Pyongyang` → `city:pyongyang`). They are
//!   what links an Albanian article to an Italian one.
//!
//! Term frequencies are damped (`1 + ln tf`); rarity weights (IDF) are applied
//! later by the clusterer, which knows the document frequencies.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::alias;
use crate::calendar;
use crate::lang::Language;
use crate::minhash::hash_bytes;
use crate::stem::Analyzer;
use crate::tokenize::{Case, Kind, Tokens};
use crate::translit::{fold_into, skeleton_into};

/// Seed of the term hashes. Part of the stored format: never change it.
const TERM_SEED: u64 = 0x5354_4f52_595f_5431; // "STORY_T1"
/// Seed of the shingle hashes. Part of the stored format: never change it.
const SHINGLE_SEED: u64 = 0x5354_4f52_595f_5331; // "STORY_S1"
/// Name anchors keep this many letters of the consonant skeleton: long
/// enough to tell names apart, short enough to cut a case ending off a
/// name whose skeleton has five letters or more (`Feinsteinului` →
/// `fnstn`, as `Feinstein`). Vowel endings vanish with the vowels
/// (`Rusisë`, `Rusia` → `rs`), but a consonant ending on a shorter
/// skeleton stays (`Kurskului` → `krskl`, `Kursk` → `krsk`; Finnish
/// `Trumpin` → `trmpn`): such a name links across languages in its bare
/// forms only. Keying names by the skeleton of their stem instead did not
/// help on the dev corpora (NTREX all languages 0.9635 → 0.9637, ECB+
/// 0.9120 → 0.9013).
const NAME_SKELETON: usize = 5;
/// Names shorter than this (after folding) are too ambiguous to anchor.
const MIN_NAME_CHARS: usize = 3;

/// A feature with its number of occurrences.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    /// Stable 64-bit key of the feature text.
    pub key: u64,
    /// Occurrences in the article.
    pub count: u32,
}

/// The features of one article.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    /// Anchors, sorted by key.
    pub anchors: Vec<Term>,
    /// The readable text of each anchor, parallel to `anchors`.
    pub anchor_text: Vec<String>,
    /// Language-tagged stems, sorted by key.
    pub lexical: Vec<Term>,
    /// Hashes of stemmed word 3-shingles (unsorted, may repeat).
    pub shingles: Vec<u64>,
}

/// Reusable buffers for [`extract`].
///
/// An article repeats its words, and everything [`extract`] needs to know
/// about a word (its stem and stem key, whether it is a stopword or a
/// calendar word, its folded form) depends on the word alone: that is
/// worked out once per distinct word of the article, in `words`, and the
/// tokens refer to it by index.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    fold: String,
    stems: Vec<u64>,
    /// Folded forms of the distinct words and of the number tokens, back to
    /// back; `spans` delimits each token's.
    folded: String,
    spans: Vec<(usize, usize)>,
    /// Each token's case, for the alias table.
    cases: Vec<Case>,
    in_alias: Vec<bool>,
    /// The article's distinct words, in order of first occurrence.
    words: Vec<WordInfo>,
    /// Indices into `words`, found by the word's text.
    word_table: HashTable<u32>,
    /// Each token's index into `words` ([`NOT_A_WORD`] for numbers).
    token_word: Vec<u32>,
    /// The distinct stems of the article, back to back; `stem_list`
    /// delimits them.
    stem_text: String,
    stem_list: Vec<StemInfo>,
    /// Indices into `stem_list`, found by the stem's text.
    stem_table: HashTable<u32>,
    /// Each token's alias starts, ranges into `alias_ids`.
    alias_starts: Vec<alias::Starts>,
    alias_ids: Vec<u32>,
}

/// What [`extract`] needs to know about one distinct word of an article.
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    /// A token that writes the word (its first).
    token: u32,
    /// Index of its stem in [`Scratch::stem_list`].
    stem: u32,
    /// Span of its folded form in [`Scratch::folded`].
    folded: (usize, usize),
    stop: bool,
    /// Counted as a lexical feature: not a stopword, two characters or more.
    lexical: bool,
    /// What it names as a calendar word (not looked up for stopwords).
    calendar: Option<(calendar::Kind, u8)>,
    /// Written in capitals somewhere other than at a sentence start.
    mid_sentence_caps: bool,
    /// What the alias table can match from the word on.
    alias: alias::Starts,
}

/// One distinct stem of an article.
#[derive(Debug, Clone, Copy)]
struct StemInfo {
    /// Span in [`Scratch::stem_text`].
    span: (usize, usize),
    key: u64,
    /// Some word with this stem is written in lower case.
    lower: bool,
    /// Occurrences counted as lexical features.
    count: u32,
}

/// [`Scratch::token_word`] of a token that is no word.
const NOT_A_WORD: u32 = u32::MAX;

/// Hash of a word or stem for the per-article tables.
fn text_hash(text: &str) -> u64 {
    FxBuildHasher.hash_one(text)
}

/// Anchor counts by key, with the anchor text kept from its first
/// occurrence only.
type AnchorCounts = FxHashMap<u64, (String, u32)>;

/// Counts one occurrence of the anchor whose text is the concatenation of
/// `parts`, hashing the parts without building the text.
fn count_anchor(anchors: &mut AnchorCounts, parts: &[&str]) {
    let key = term_key_parts("a", parts);
    anchors.entry(key).or_insert_with(|| (parts.concat(), 0)).1 += 1;
}

/// The parts of the anchor text of a canonical number: `#2013`.
fn number_anchor(canonical: &str) -> [&str; 2] {
    ["#", canonical]
}

/// The term key of the anchor of a canonical number (`2013` → key of
/// `#2013`), as [`extract`] makes it.
pub(crate) fn number_anchor_key(canonical: &str) -> u64 {
    term_key_parts("a", &number_anchor(canonical))
}

/// Extracts features from the tokens of one article written in `lang`.
pub(crate) fn extract(
    tokens: &Tokens,
    lang: Language,
    stemmer: &Analyzer,
    scratch: &mut Scratch,
) -> Features {
    let mut anchors: AnchorCounts = FxHashMap::default();
    scratch.stems.clear();

    // A capitalised word is a name only if the article never writes its
    // stem in lower case (sentence starts and titles capitalise common
    // words), and, at a sentence start, only if it is also capitalised
    // somewhere mid-sentence: a name is rarely mentioned once, first word.
    // `describe_words` notes both, per stem and per word.
    describe_words(tokens, lang.code(), stemmer, scratch);

    // Folded forms, for the alias table (which matches across scripts).
    let folded: Vec<&str> = scratch
        .spans
        .iter()
        .map(|&(a, b)| &scratch.folded[a..b])
        .collect();
    let in_alias = &mut scratch.in_alias;
    in_alias.clear();
    in_alias.resize(tokens.len(), false);
    let found = alias::AliasTable::global().find_all_with(
        &folded,
        &scratch.cases,
        &scratch.alias_starts,
        &scratch.alias_ids,
    );
    for m in &found {
        in_alias[m.start..m.start + m.len].fill(true);
    }
    let given = if lang.capitalises_nouns() {
        Vec::new()
    } else {
        given_names(tokens, &found, scratch)
    };
    for m in &found {
        if m.len == 1 && given.contains(&scratch.token_word[m.start]) {
            scratch.in_alias[m.start] = false;
        } else {
            count_anchor(&mut anchors, &[m.canonical]);
        }
    }
    let in_alias = &scratch.in_alias;
    let nouns_capitalised = lang.capitalises_nouns();
    let free_caps = if nouns_capitalised {
        free_capitals(tokens, &folded, &scratch.token_word, scratch.words.len())
    } else {
        Vec::new()
    };

    for i in 0..tokens.len() {
        let (text, tok) = tokens.at(i);
        if tok.kind == Kind::Number {
            if is_anchor_number(text) {
                count_anchor(&mut anchors, &number_anchor(text));
            }
            scratch.stems.push(term_key("n", text));
            continue;
        }
        let word = &scratch.words[scratch.token_word[i] as usize];
        let stem = &mut scratch.stem_list[word.stem as usize];
        scratch.stems.push(stem.key);
        if word.lexical {
            stem.count += 1;
        }
        if in_alias[i] || word.stop {
            continue;
        }
        // Calendar words are capitalised in some languages but are no
        // names; a month next to a day number is a date anchor.
        match word.calendar {
            Some((calendar::Kind::Month, month)) => {
                if let Some(key) = date_near(tokens, i, month) {
                    count_anchor(&mut anchors, &[&key]);
                }
                continue;
            }
            Some((calendar::Kind::Weekday, _)) => continue,
            None => {}
        }
        let name_like = match tok.case {
            Case::Upper => true,
            Case::Title => {
                let noun = nouns_capitalised
                    && !free_caps[scratch.token_word[i] as usize]
                    && after_article(tokens, i, &folded);
                !stem.lower && (!tok.sentence_start || word.mid_sentence_caps) && !noun
            }
            Case::Lower | Case::Uncased => false,
        };
        if name_like && (folded[i].len() >= MIN_NAME_CHARS || tok.case == Case::Upper) {
            count_anchor(
                &mut anchors,
                &["n:", name_key(folded[i], &mut scratch.fold)],
            );
        }
    }

    let shingles = shingle_hashes(&scratch.stems);
    let mut anchor_list: Vec<(u64, String, u32)> = anchors
        .into_iter()
        .map(|(key, (text, n))| (key, text, n))
        .collect();
    anchor_list.sort_unstable_by_key(|a| a.0);
    Features {
        anchors: anchor_list
            .iter()
            .map(|&(key, _, count)| Term { key, count })
            .collect(),
        anchor_text: anchor_list.into_iter().map(|(_, text, _)| text).collect(),
        lexical: lexical_terms(&scratch.stem_list),
        shingles,
    }
}

/// German articles and contractions of a preposition with one: a noun
/// follows them, and a person's name rarely does (`das Erdbeben`, `die
/// Regierung`; `Merkel`, `Trump` stand alone). Folded.
const GERMAN_ARTICLES: &[&str] = &[
    "am", "beim", "das", "dem", "den", "der", "des", "die", "ein", "eine", "einem", "einen",
    "einer", "eines", "im", "ins", "kein", "keine", "keinem", "keinen", "keiner", "keines", "vom",
    "zum", "zur",
];

/// In German, the words (indices into [`Scratch::words`], `words` of them)
/// written with a capital mid-sentence somewhere other than right after an
/// article: names (`von der Leyen`, `der Kreml` beside `Kreml` alone) keep
/// their anchor wherever they stand.
fn free_capitals(tokens: &Tokens, folded: &[&str], token_word: &[u32], words: usize) -> Vec<bool> {
    let mut free = vec![false; words];
    for (i, &w) in token_word.iter().enumerate().take(tokens.len()) {
        let (_, tok) = tokens.at(i);
        if w != NOT_A_WORD
            && tok.case == Case::Title
            && !tok.sentence_start
            && !after_article(tokens, i, folded)
        {
            free[w as usize] = true;
        }
    }
    free
}

/// Whether token `i` comes right after a German article (a space between,
/// same sentence): a common noun, in a language that capitalises them all.
fn after_article(tokens: &Tokens, i: usize, folded: &[&str]) -> bool {
    let (_, tok) = tokens.at(i);
    // `von der Leyen`, `Van der Bellen`: a name's particle, no article.
    let particle = i > 1 && ["von", "van"].contains(&folded[i - 2]);
    i > 0
        && tok.spaced
        && !tok.sentence_start
        && !particle
        && GERMAN_ARTICLES.contains(&folded[i - 1])
}

/// The words that the alias table matched alone but that are part of a
/// longer name: a capitalised one-word match (not in capitals) that,
/// wherever the article writes it, comes right before another name, with
/// only a space between. `Jordan Spieth` is a golfer, `Maurice Cheeks` a
/// coach, `France Telecom` a company: none is the country. The word is then
/// taken for a name like any other. An article that also writes the word
/// alone, or before a common word, keeps it as the table's. Returns
/// indices into [`Scratch::words`].
fn given_names(tokens: &Tokens, found: &[alias::AliasMatch], scratch: &Scratch) -> Vec<u32> {
    let before_name = |i: usize| {
        let j = i + 1;
        if j >= tokens.len() || scratch.in_alias[j] {
            return false;
        }
        let (_, next) = tokens.at(j);
        let word = scratch.token_word[j];
        next.kind == Kind::Word
            && next.case == Case::Title
            && next.spaced
            && !next.sentence_start
            && word != NOT_A_WORD
            && {
                let w = &scratch.words[word as usize];
                !w.stop && w.calendar.is_none() && !scratch.stem_list[w.stem as usize].lower
            }
    };
    // (word, every occurrence so far is a bare name, capitalised, before
    // a name). Any other match of the word (in capitals, as in a dateline
    // `WASHINGTON (Reuters)`, inflected, or starting a longer name) is the
    // place written alone, and keeps it.
    let mut words: Vec<(u32, bool)> = Vec::new();
    for &alias::AliasMatch {
        start,
        len,
        bare_name,
        ..
    } in found
    {
        let word = scratch.token_word[start];
        if word == NOT_A_WORD {
            continue;
        }
        let part =
            len == 1 && bare_name && scratch.cases[start] == Case::Title && before_name(start);
        match words.iter_mut().find(|w| w.0 == word) {
            Some(w) => w.1 &= part,
            None => words.push((word, part)),
        }
    }
    words.retain(|w| w.1);
    words.into_iter().map(|w| w.0).collect()
}

/// The lexical terms from the counts of the distinct stems: sorted by key,
/// stems whose keys collide counted as one term (as a map by key would).
fn lexical_terms(stems: &[StemInfo]) -> Vec<Term> {
    let mut terms: Vec<Term> = stems
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| Term {
            key: s.key,
            count: s.count,
        })
        .collect();
    terms.sort_unstable_by_key(|t| t.key);
    terms.dedup_by(|t, kept| {
        let same = t.key == kept.key;
        if same {
            kept.count += t.count;
        }
        same
    });
    terms
}

/// Fills the per-word parts of `scratch`: the distinct words and stems of
/// the article with what is known of them, each token's word, and each
/// token's folded form, capitals flag and alias starts.
fn describe_words(tokens: &Tokens, lang_tag: &str, stemmer: &Analyzer, scratch: &mut Scratch) {
    let Scratch {
        folded,
        spans,
        cases,
        words,
        word_table,
        token_word,
        stem_text,
        stem_list,
        stem_table,
        alias_starts,
        alias_ids,
        ..
    } = scratch;
    let aliases = alias::AliasTable::global();
    folded.clear();
    spans.clear();
    cases.clear();
    words.clear();
    word_table.clear();
    token_word.clear();
    stem_text.clear();
    stem_list.clear();
    stem_table.clear();
    alias_starts.clear();
    alias_ids.clear();
    let word_text = |words: &[WordInfo], w: u32| tokens.at(words[w as usize].token as usize).0;
    // The distinct words, each token's word, and the folded numbers.
    for i in 0..tokens.len() {
        let (text, tok) = tokens.at(i);
        cases.push(tok.case);
        if tok.kind != Kind::Word {
            let start = folded.len();
            fold_into(text, folded);
            spans.push((start, folded.len()));
            alias_starts.push(aliases.starts(&folded[start..], alias_ids));
            token_word.push(NOT_A_WORD);
            continue;
        }
        // The word's, once folded.
        spans.push((0, 0));
        alias_starts.push(alias::Starts::default());
        let hash = text_hash(text);
        let found = word_table
            .find(hash, |&w| word_text(words, w) == text)
            .copied();
        let w = if let Some(w) = found {
            w
        } else {
            let w = words.len() as u32;
            words.push(WordInfo {
                token: i as u32,
                stem: 0,
                folded: (0, 0),
                stop: false,
                lexical: false,
                calendar: None,
                mid_sentence_caps: false,
                alias: alias::Starts::default(),
            });
            word_table.insert_unique(hash, w, |&w| text_hash(word_text(words, w)));
            w
        };
        token_word.push(w);
        if matches!(tok.case, Case::Title | Case::Upper) && !tok.sentence_start {
            words[w as usize].mid_sentence_caps = true;
        }
    }
    // Their stems, all looked up in the stem cache at once.
    let texts: Vec<&str> = (0..words.len() as u32)
        .map(|w| word_text(words, w))
        .collect();
    stemmer.stem_each(&texts, |w, stem| {
        words[w].stem = stem_index(stem, lang_tag, stem_text, stem_list, stem_table);
    });
    for (word, text) in words.iter_mut().zip(&texts) {
        let start = folded.len();
        fold_into(text, folded);
        word.folded = (start, folded.len());
        word.alias = aliases.starts(&folded[start..], alias_ids);
        word.stop = stemmer.is_stopword(text);
        word.lexical = !word.stop && text.chars().nth(1).is_some();
        word.calendar = if word.stop {
            None
        } else {
            calendar::lookup(text)
        };
    }
    for (i, &w) in token_word.iter().enumerate() {
        if w == NOT_A_WORD {
            continue;
        }
        let word = &words[w as usize];
        spans[i] = word.folded;
        alias_starts[i] = word.alias;
        if tokens.at(i).1.case == Case::Lower {
            stem_list[word.stem as usize].lower = true;
        }
    }
}

/// The index of `stem` in `stem_list`, added (with its term key) if new.
fn stem_index(
    stem: &str,
    lang_tag: &str,
    stem_text: &mut String,
    stem_list: &mut Vec<StemInfo>,
    stem_table: &mut HashTable<u32>,
) -> u32 {
    let hash = text_hash(stem);
    let found = stem_table.find(hash, |&s| {
        let (a, b) = stem_list[s as usize].span;
        &stem_text[a..b] == stem
    });
    if let Some(&s) = found {
        return s;
    }
    let start = stem_text.len();
    stem_text.push_str(stem);
    let s = stem_list.len() as u32;
    stem_list.push(StemInfo {
        span: (start, stem_text.len()),
        key: term_key(lang_tag, stem),
        lower: false,
        count: 0,
    });
    stem_table.insert_unique(hash, s, |&s| {
        let (a, b) = stem_list[s as usize].span;
        text_hash(&stem_text[a..b])
    });
    s
}

/// The anchor key of a folded name: the first [`NAME_SKELETON`] letters of
/// its consonant skeleton (`trump`, `tramp` from Cyrillic `Трамп` and
/// `Τραμπ` → `n:trmp`). Measured on ntrex-dev.jsonl, the skeleton keeps the
/// key of a name equal across translations far more often than a plain
/// prefix does, above all between Latin, Cyrillic and Greek scripts.
///
/// Short skeletons (`May` → `m`) collide with many names; their document
/// frequency, and so their weight, takes care of it.
fn name_key<'a>(folded: &str, out: &'a mut String) -> &'a str {
    out.clear();
    skeleton_into(folded, out);
    let end = crate::tokenize::floor_char_boundary(out, NAME_SKELETON);
    &out[..end]
}

/// The date anchor of the month word at `i`, when a day number stands right
/// before it (`28 September`, `28. září`) or right after it (`September 28`).
fn date_near(tokens: &Tokens, i: usize, month: u8) -> Option<String> {
    let day = |j: usize| -> Option<u32> {
        let (text, tok) = (j < tokens.len()).then(|| tokens.at(j))?;
        (tok.kind == Kind::Number)
            .then(|| text.parse().ok())
            .flatten()
    };
    let before = i.checked_sub(1).and_then(day);
    before
        .and_then(|d| calendar::date_key(d, month))
        .or_else(|| day(i + 1).and_then(|d| calendar::date_key(d, month)))
}

/// The damped term frequency of a feature seen `count` times: `1 + ln count`.
pub(crate) fn damp(count: u32) -> f32 {
    // Most terms occur once: skip the logarithm (ln 1 = 0 exactly).
    if count == 1 {
        return 1.0;
    }
    1.0 + (count as f32).ln()
}

/// Numbers worth anchoring: two or more significant digits, or a fraction.
fn is_anchor_number(canonical: &str) -> bool {
    canonical.contains('.') || canonical.len() >= 2
}

/// The stable key of a feature: xxh3 of `kind \0 text`.
pub(crate) fn term_key(kind: &str, text: &str) -> u64 {
    term_key_parts(kind, &[text])
}

/// [`term_key`] of the concatenation of `parts`, without building it: short
/// inputs (nearly all of them) are assembled on the stack.
fn term_key_parts(kind: &str, parts: &[&str]) -> u64 {
    const STACK: usize = 128;
    let len = kind.len() + 1 + parts.iter().map(|p| p.len()).sum::<usize>();
    let fill = |buf: &mut [u8]| {
        buf[..kind.len()].copy_from_slice(kind.as_bytes());
        buf[kind.len()] = 0;
        let mut at = kind.len() + 1;
        for p in parts {
            buf[at..at + p.len()].copy_from_slice(p.as_bytes());
            at += p.len();
        }
    };
    if len <= STACK {
        let mut buf = [0u8; STACK];
        fill(&mut buf[..len]);
        hash_bytes(&buf[..len], TERM_SEED)
    } else {
        let mut buf = vec![0u8; len];
        fill(&mut buf);
        hash_bytes(&buf, TERM_SEED)
    }
}

/// Word 3-shingle hashes over a sequence of stem keys. A text of fewer than
/// three stems yields one shingle of all of them, and an empty text none.
fn shingle_hashes(stems: &[u64]) -> Vec<u64> {
    if stems.is_empty() {
        return Vec::new();
    }
    if stems.len() < 3 {
        let bytes: Vec<u8> = stems.iter().flat_map(|s| s.to_le_bytes()).collect();
        return vec![hash_bytes(&bytes, SHINGLE_SEED)];
    }
    stems
        .windows(3)
        .map(|w| {
            let mut bytes = [0u8; 24];
            bytes[..8].copy_from_slice(&w[0].to_le_bytes());
            bytes[8..16].copy_from_slice(&w[1].to_le_bytes());
            bytes[16..].copy_from_slice(&w[2].to_le_bytes());
            hash_bytes(&bytes, SHINGLE_SEED)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize_into;

    fn anchors_of(text: &str, lang: Language) -> Vec<String> {
        let mut t = Tokens::default();
        tokenize_into(text, &mut t);
        let f = extract(
            &t,
            lang,
            &Analyzer::for_language(lang),
            &mut Scratch::default(),
        );
        let mut a = f.anchor_text;
        a.sort();
        a
    }

    #[test]
    fn names_and_numbers_are_anchors_across_languages() {
        let ro = anchors_of(
            "Ministrul Ion Vasilescu a anunțat că 1.500 de oameni au fost evacuați la Galați.",
            Language::Romanian,
        );
        let it = anchors_of("Il ministro Ion Vasilescu ha annunciato che 1500 persone sono state evacuate a Galați.", Language::Italian);
        for a in ["n:vslsk", "n:in", "#1500", "n:glt"] {
            assert!(ro.contains(&a.to_string()), "{a} missing from {ro:?}");
            assert!(it.contains(&a.to_string()), "{a} missing from {it:?}");
        }
    }

    #[test]
    fn dates_are_anchors_and_calendar_words_are_no_names() {
        let en = anchors_of(
            "On Monday, September 28, the mayor of Sibiu met Ion Popa.",
            Language::English,
        );
        let ro = anchors_of(
            "Luni, 28 septembrie, primarul din Sibiu s-a întâlnit cu Ion Popa.",
            Language::Romanian,
        );
        assert!(en.contains(&"d:09-28".to_string()), "{en:?}");
        assert!(ro.contains(&"d:09-28".to_string()), "{ro:?}");
        assert!(!en.iter().any(|a| a == "n:mnd" || a == "n:sptmb"), "{en:?}");
    }

    /// German capitalises every noun: one right after an article is a
    /// noun, not a name; a name stands alone, and a country of the alias
    /// table keeps its anchor even after an article.
    #[test]
    fn german_nouns_after_an_article_are_no_names() {
        let de = anchors_of(
            "In Velbrin sagte Bürgermeisterin Anja Kessler, die Regierung schicke ein \
             Rettungsteam in die Türkei. Der Bahnhof bleibt geschlossen.",
            Language::German,
        );
        for name in ["n:vlbrn", "n:kslr", "country:tr"] {
            assert!(de.contains(&name.to_string()), "{name} missing from {de:?}");
        }
        for noun in ["n:rgrng", "n:rttng", "n:bnhf"] {
            assert!(!de.contains(&noun.to_string()), "{noun} in {de:?}");
        }
        // A particle's `der` is no article; a name also written alone
        // keeps its anchor after an article too.
        let de = anchors_of(
            "Ursula von der Leyen sprach mit dem Kreml. Kreml-Sprecher und Kreml \
             schwiegen.",
            Language::German,
        );
        for name in ["n:ln", "n:krml"] {
            assert!(de.contains(&name.to_string()), "{name} missing from {de:?}");
        }
    }

    /// What [`NAME_SKELETON`] says of case endings, pinned.
    #[test]
    fn name_keys_lose_endings_of_long_skeletons_only() {
        let key = |w: &str| name_key(w, &mut String::new()).to_string();
        assert_eq!(key("feinsteinului"), key("feinstein"));
        assert_eq!(key("rusise"), key("rusia"));
        assert_eq!(key("kursk"), "krsk");
        assert_eq!(key("kurskului"), "krskl");
        assert_eq!(key("trumpin"), "trmpn");
    }

    #[test]
    fn sentence_initial_common_words_are_not_names() {
        let a = anchors_of(
            "Flăcările au cuprins depozitul. Pompierii spun că flăcările au fost stinse.",
            Language::Romanian,
        );
        assert!(!a.iter().any(|x| x == "n:flaca"), "{a:?}");
    }

    #[test]
    fn a_one_word_name_before_another_name_is_part_of_it() {
        let has = |a: &[String], k: &str| a.iter().any(|x| x == k);
        // A first name that the table holds as a country is a name.
        let a = anchors_of(
            "The American Jordan Spieth lost. Later Spieth said he would return.",
            Language::English,
        );
        assert!(!has(&a, "country:jo") && has(&a, "n:jrdn"), "{a:?}");
        let a = anchors_of(
            "Americanul Jordan Spieth a pierdut, iar Spieth a plecat acasă.",
            Language::Romanian,
        );
        assert!(!has(&a, "country:jo") && has(&a, "country:us"), "{a:?}");
        // So is a company or a paper named after a place.
        let a = anchors_of("Shares of France Telecom fell in Paris.", Language::English);
        assert!(!has(&a, "country:fr") && has(&a, "city:paris"), "{a:?}");
        // The country, written alone once, is the country everywhere.
        let a = anchors_of(
            "Jordan Spieth flew to Jordan, where the king met Spieth.",
            Language::English,
        );
        assert!(has(&a, "country:jo"), "{a:?}");
        // Punctuation, a common word or a sentence break ends the name.
        for text in [
            "Talks in Jordan, Egypt and Qatar resumed today.",
            "Troops left Jordan yesterday.",
            "Troops left Jordan. Reuters said so.",
        ] {
            let a = anchors_of(text, Language::English);
            assert!(has(&a, "country:jo"), "{text}: {a:?}");
        }
        // An inflected country (`Indonezije`, of Indonesia) before a name
        // is the country's genitive, and a demonym before a name says
        // where the person is from: both stay.
        let a = anchors_of(
            "Glavni grad Indonezije Jakarta ostao je miran, kaže Španjolac Sergio.",
            Language::Croatian,
        );
        assert!(has(&a, "country:id") && has(&a, "country:es"), "{a:?}");
        // Demonyms are no bare names, even where the table lists them
        // capitalised: `Russian President Vladimir Putin` is about Russia.
        let a = anchors_of(
            "Russian President Vladimir Putin met Chinese leaders in Moscow.",
            Language::English,
        );
        assert!(has(&a, "country:ru") && has(&a, "country:cn"), "{a:?}");
        // A dateline in capitals writes the place alone.
        let a = anchors_of(
            "WASHINGTON (Reuters) - The Washington Post reported the vote.",
            Language::English,
        );
        assert!(has(&a, "city:washington"), "{a:?}");
        // German capitalises nouns: a capital after the name proves nothing.
        let a = anchors_of(
            "Die Regierung Jordaniens und Jordan Abdullah trafen sich.",
            Language::German,
        );
        assert!(has(&a, "country:jo"), "{a:?}");
    }

    /// The key as first defined: xxh3 of the bytes `kind \0 text`.
    fn reference_key(kind: &str, text: &str) -> u64 {
        let mut buf = Vec::new();
        buf.extend_from_slice(kind.as_bytes());
        buf.push(0);
        buf.extend_from_slice(text.as_bytes());
        hash_bytes(&buf, TERM_SEED)
    }

    #[test]
    fn term_keys_are_unchanged() {
        let long = "x".repeat(300);
        for (kind, text) in [
            ("a", "#1500"),
            ("a", "n:trmp"),
            ("ro", "cutremur"),
            ("n", ""),
            ("", ""),
            ("en", long.as_str()),
            ("sq", "Tiranë"),
        ] {
            assert_eq!(
                term_key(kind, text),
                reference_key(kind, text),
                "{kind:?} {text:?}"
            );
        }
        assert_eq!(
            term_key_parts("a", &["#", "1500"]),
            reference_key("a", "#1500")
        );
        assert_eq!(
            term_key_parts("a", &["n:", &long]),
            reference_key("a", &format!("n:{long}"))
        );
    }

    #[test]
    fn empty_text_has_no_features() {
        let t = Tokens::default();
        let f = extract(
            &t,
            Language::Unknown,
            &Analyzer::for_language(Language::Unknown),
            &mut Scratch::default(),
        );
        assert!(f.anchors.is_empty() && f.lexical.is_empty() && f.shingles.is_empty());
    }
}
