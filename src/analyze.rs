//! The analysis of one article: stages 1 to 5 and its MinHash signature.
//!
//! Analysis depends only on the article and the configuration, never on the
//! clusterer's state, so [`Clusterer::add_batch`](crate::Clusterer::add_batch)
//! runs it in parallel and still gives the result of adding in order.

use std::cell::RefCell;

use crate::article::Article;
use crate::clean::clean_into;
use crate::features::{extract, Features, Scratch};
use crate::lang::{detect, Language};
use crate::minhash::{MinHasher, Signature};
use crate::normalize::normalize_into;
use crate::stem::Analyzer;
use crate::tokenize::{tokenize_into, Tokens};

/// Longest text analysed, in bytes: beyond it an article's text is cut (at a
/// character boundary) and the assignment says so. 1 MiB is several times
/// the longest news article; the cut bounds time and memory per article.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Longest title analysed, in bytes (an eighth of [`MAX_TEXT_BYTES`]):
/// beyond it the title is cut the same way, and the assignment says so too.
pub const MAX_TITLE_BYTES: usize = MAX_TEXT_BYTES / 8;

/// Everything the clusterer needs to know about one article.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub language: Language,
    pub features: Features,
    pub signature: Signature,
    pub truncated: bool,
}

/// Buffers reused from one article to the next on a thread: the analysis
/// allocates little beyond its result.
#[derive(Default)]
struct Buffers {
    full: String,
    normalized: String,
    tokens: Tokens,
    features: Scratch,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// Analyses one article.
pub(crate) fn analyze(article: &Article, minhasher: &MinHasher) -> Analysis {
    BUFFERS.with(|buffers| match buffers.try_borrow_mut() {
        Ok(mut buffers) => analyze_with(article, minhasher, &mut buffers),
        // Not reachable today (nothing in the analysis calls back into
        // it), but a fresh set of buffers is always correct.
        Err(_) => analyze_with(article, minhasher, &mut Buffers::default()),
    })
}

fn analyze_with(article: &Article, minhasher: &MinHasher, buf: &mut Buffers) -> Analysis {
    let (title, t1) = truncate(&article.title, MAX_TITLE_BYTES);
    let (text, t2) = truncate(&article.text, MAX_TEXT_BYTES);
    buf.full.clear();
    buf.full.push_str(title);
    buf.full.push('\n');
    clean_into(text, title, &mut buf.full);

    normalize_into(&buf.full, &mut buf.normalized);
    let language = article
        .language
        .unwrap_or_else(|| detect(&buf.normalized).language);
    tokenize_into(&buf.normalized, &mut buf.tokens);
    let stemmer = Analyzer::for_language(language);
    let features = extract(&buf.tokens, language, &stemmer, &mut buf.features);
    let signature = minhasher.signature(&features.shingles);
    Analysis {
        language,
        features,
        signature,
        truncated: t1 || t2,
    }
}

fn truncate(s: &str, max: usize) -> (&str, bool) {
    (
        &s[..crate::tokenize::floor_char_boundary(s, max)],
        s.len() > max,
    )
}
