//! Group news articles that report the same event, across languages.
//!
//! A news backend feeds [`Clusterer`] raw article text — Romanian, Italian,
//! Albanian and every other language it carries — and gets back stories:
//! groups of articles, in any mix of languages, that report one event.
//!
//! ```
//! use story_cluster::{Article, Clusterer, Language};
//!
//! let mut clusterer = Clusterer::new();
//! let ro = clusterer.add(Article::new(
//!     "ro-1",
//!     "Incendiu în portul Constanța",
//!     "Un incendiu a distrus marți 1.200 de tone de grâu în portul Constanța, \
//!      a anunțat directorul portului, Mihai Drăgulescu. Pagubele: 3.500.000 de lei.",
//! ))?;
//! let sq = clusterer.add(Article::new(
//!     "sq-1",
//!     "Zjarr në portin e Konstancës",
//!     "Një zjarr shkatërroi të martën 1.200 tonë grurë në portin e Konstancës, \
//!      tha drejtori i portit, Mihai Drăgulescu. Dëmet: 3.500.000 lei.",
//! ))?;
//! assert_eq!(ro.language, Language::Romanian);
//! assert_eq!(sq.language, Language::Albanian);
//! assert_eq!(ro.story, sq.story, "one event, two languages");
//!
//! let why = clusterer.explain("ro-1", "sq-1")?;
//! assert!(why.shared_anchors.iter().any(|(anchor, _)| anchor == "#3500000"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How it works
//!
//! The pipeline is the architecture, one stage a module: cleaning of page
//! boilerplate (`clean`), language identification ([`lang`]), normalisation
//! and tokenising (`normalize`, `tokenize`), stemming and stopwords
//! ([`stem`]), features (`features`: language-tagged stems, shingles, and
//! language-independent *anchors* — names folded across scripts, numbers,
//! dates, exonyms and acronyms), MinHash signatures ([`minhash`]), an LSH
//! index ([`lsh`]), the story decision (`cluster`) and its two corrections
//! (`merge`: score factors for conflicting years and for corroborated
//! quantities, and merging of stories that one article shows to be one
//! event).
//!
//! Lexical similarity alone cannot link languages: two Romanian articles
//! about different events share more words than a Romanian and an Albanian
//! report of the same event. Anchors weighted by rarity do link them, and
//! the clusterer scores each article against whole stories (centroids), not
//! single members, so one shared neighbour never chains unrelated articles.
//!
//! # Determinism
//!
//! Results depend only on the articles and their order: hashes are xxh3 with
//! fixed seeds (stable across versions and platforms), and
//! [`Clusterer::add_batch`] gives the result of adding the articles one by
//! one, whatever the number of threads.
//!
//! # Errors and limits
//!
//! One error type, [`Error`], with [`Error::kind`]. Configuration is
//! validated once, in [`ClustererBuilder::build`]. Article content never
//! causes a panic or an error: text beyond [`MAX_TEXT_BYTES`] and a title
//! beyond [`MAX_TITLE_BYTES`] are cut (and the [`Assignment`] says so); ids must be 1 to [`MAX_ID_BYTES`] bytes and unique.

#[doc(hidden)]
pub mod __bench;
mod alias;
mod analyze;
mod article;
mod calendar;
mod clean;
mod cluster;
mod error;
mod features;
pub mod lang;
pub mod lsh;
pub mod minhash;
mod normalize;
pub mod stem;
mod tokenize;
mod translit;

pub use analyze::{MAX_TEXT_BYTES, MAX_TITLE_BYTES};
pub use article::{Article, MAX_ID_BYTES};
pub use cluster::{
    Assignment, Clusterer, ClustererBuilder, Config, Explanation, Match, Split, Stats, StoryId,
    StoryView, DEFAULT_MAX_STORY_SIZE, SNAPSHOT_VERSION,
};
pub use error::{Error, ErrorKind, Result};
pub use lang::Language;

/// The README's code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Unit tests only: a xorshift64 generator from `seed` (non-zero), for
/// random test inputs that are the same on every run.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
