//! story-cluster: group news articles that report the same event, across languages.

mod alias;
mod error;
pub mod lang;
mod translit;

pub use error::{Error, ErrorKind, Result};
pub use lang::Language;
