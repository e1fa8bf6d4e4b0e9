//! story-cluster: group news articles that report the same event, across languages.

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

pub use analyze::MAX_TEXT_BYTES;
pub use article::{Article, MAX_ID_BYTES};
pub use cluster::{
    Assignment, Clusterer, ClustererBuilder, Config, Explanation, Match, Stats, StoryId, StoryView,
    DEFAULT_MAX_STORY_SIZE, SNAPSHOT_VERSION,
};
pub use error::{Error, ErrorKind, Result};
pub use lang::Language;
