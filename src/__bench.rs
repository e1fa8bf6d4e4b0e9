//! Stage entry points for `benches/pipeline.rs`. Not part of the API: hidden
//! from the docs and free to change with any release.

use crate::lang::Language;
use crate::minhash::{MinHasher, Signature};
use crate::stem::Analyzer;
use crate::tokenize::Kind;
use crate::Article;

/// Stage 1: the page without boilerplate, appended to `out`.
pub fn clean_into(page: &str, title: &str, out: &mut String) {
    crate::clean::clean_into(page, title, out);
}

/// Stage 3a: normalised text into `out` (cleared first).
pub fn normalize_into(text: &str, out: &mut String) {
    crate::normalize::normalize_into(text, out);
}

/// Reusable token buffer for [`tokenize_into`].
#[derive(Debug, Default)]
pub struct Tokens(crate::tokenize::Tokens);

impl Tokens {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// Number of word (not number) tokens.
    pub fn words(&self) -> usize {
        self.0.iter().filter(|(_, t)| t.kind == Kind::Word).count()
    }
}

/// Stage 3b: tokens of normalised text into `out` (cleared first).
pub fn tokenize_into(text: &str, out: &mut Tokens) {
    crate::tokenize::tokenize_into(text, &mut out.0);
}

/// Stage 4: stems every word token with `analyzer`; returns the total
/// length of the stems in bytes and the number of stopwords.
pub fn stem_all(tokens: &Tokens, analyzer: &Analyzer) -> (usize, usize) {
    let (mut bytes, mut stop) = (0, 0);
    for (text, t) in tokens.0.iter() {
        if t.kind == Kind::Word {
            bytes += analyzer.stem(text).len();
            stop += usize::from(analyzer.is_stopword(text));
        }
    }
    (bytes, stop)
}

/// The whole analysis of one article: its language, number of stemmed
/// shingles, anchors and signature.
pub fn analyze(article: &Article, minhasher: &MinHasher) -> (Language, usize, usize, Signature) {
    let a = crate::analyze::analyze(article, minhasher);
    (
        a.language,
        a.features.shingles.len(),
        a.features.anchors.len(),
        a.signature,
    )
}

/// A 64-bit digest of everything the analysis of `article` gives (language,
/// truncation, anchors with their text, lexical terms, shingles and
/// signature), to check that a change to the analysis keeps its output.
pub fn analysis_digest(article: &Article, minhasher: &MinHasher) -> u64 {
    let a = crate::analyze::analyze(article, minhasher);
    let f = &a.features;
    let mut bytes: Vec<u8> = Vec::new();
    bytes.extend_from_slice(a.language.code().as_bytes());
    bytes.push(u8::from(a.truncated));
    for (t, text) in f.anchors.iter().zip(&f.anchor_text) {
        bytes.extend_from_slice(&t.key.to_le_bytes());
        bytes.extend_from_slice(&t.count.to_le_bytes());
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
    }
    bytes.push(1);
    for t in &f.lexical {
        bytes.extend_from_slice(&t.key.to_le_bytes());
        bytes.extend_from_slice(&t.count.to_le_bytes());
    }
    bytes.push(2);
    for s in &f.shingles {
        bytes.extend_from_slice(&s.to_le_bytes());
    }
    bytes.push(3);
    for v in a.signature.as_slice() {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&bytes)
}
