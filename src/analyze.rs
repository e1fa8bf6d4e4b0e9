//! The analysis of one article: stages 1 to 5 and its MinHash signature.
//!
//! Analysis depends only on the article and the configuration, never on the
//! clusterer's state, so [`Clusterer::add_batch`](crate::Clusterer::add_batch)
//! runs it in parallel and still gives the result of adding in order.

use crate::article::Article;
use crate::clean::clean;
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

/// Everything the clusterer needs to know about one article.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub language: Language,
    pub features: Features,
    pub signature: Signature,
    pub truncated: bool,
}

/// Analyses one article.
pub(crate) fn analyze(article: &Article, minhasher: &MinHasher) -> Analysis {
    let (title, t1) = truncate(&article.title, MAX_TEXT_BYTES / 8);
    let (text, t2) = truncate(&article.text, MAX_TEXT_BYTES);
    let body = clean(text, title);
    let mut full = String::with_capacity(title.len() + body.len() + 2);
    full.push_str(title);
    full.push('\n');
    full.push_str(&body);

    let mut normalized = String::new();
    normalize_into(&full, &mut normalized);
    let language = article
        .language
        .unwrap_or_else(|| detect(&normalized).language);
    let mut tokens = Tokens::default();
    tokenize_into(&normalized, &mut tokens);
    let stemmer = Analyzer::for_language(language);
    let features = extract(&tokens, language, &stemmer, &mut Scratch::default());
    let signature = minhasher.signature(&features.shingles);
    Analysis {
        language,
        features,
        signature,
        truncated: t1 || t2,
    }
}

fn truncate(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (&s[..end], true)
}
