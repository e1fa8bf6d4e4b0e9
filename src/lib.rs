//! story-cluster: group news articles that report the same event, across languages.

mod error;
pub mod lang;
pub mod lsh;
pub mod minhash;

pub use error::{Error, ErrorKind, Result};
pub use lang::Language;
