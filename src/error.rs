//! The crate's one error type.

use std::fmt;

/// A specialised `Result` whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// An error from configuration, I/O or a malformed input record.
///
/// Article *content* never produces an error unless it exceeds a documented
/// limit; odd text (empty, binary-looking, huge, any script) is analysed as
/// well as it can be.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A configuration value is out of range or inconsistent with another.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// An input record (for example one JSON line) could not be used.
    #[error("invalid input: {0}")]
    Input(String),
    /// A documented limit was exceeded.
    #[error("limit exceeded: {0}")]
    Limit(String),
    /// An article with this id is already in the index (for
    /// [`add_batch`](crate::Clusterer::add_batch): or will be, from earlier
    /// in the same batch, when the article comes).
    #[error("duplicate article id {0:?}")]
    DuplicateId(String),
    /// No article with this id is in the index.
    #[error("unknown article id {0:?}")]
    UnknownId(String),
    /// A language code that this crate does not know.
    #[error("unknown language code {0:?}")]
    UnknownLanguage(String),
    /// A saved snapshot could not be restored.
    #[error("bad snapshot: {0}")]
    Snapshot(String),
    /// Reading or writing failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    pub(crate) fn config(msg: impl Into<String>) -> Self {
        ErrorKind::Config(msg.into()).into()
    }

    pub(crate) fn input(msg: impl Into<String>) -> Self {
        ErrorKind::Input(msg.into()).into()
    }

    pub(crate) fn limit(msg: impl Into<String>) -> Self {
        ErrorKind::Limit(msg.into()).into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An I/O error's message already carries the I/O error's own (and the
/// path it concerns), so its source is the error below that: the
/// operating system's, where the I/O error wraps one with its path. A
/// chain printed whole (`anyhow`'s `{:#}`) then shows each message once
/// or twice, not three times.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            // An `io::Error`'s source is the source of the error it wraps.
            ErrorKind::Io(e) => e.source().or(Some(e)),
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        ErrorKind::Io(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_carry_values() {
        let e = Error::config("bands (20) times rows (7) must equal num_hashes (128)");
        assert_eq!(
            e.to_string(),
            "invalid configuration: bands (20) times rows (7) must equal num_hashes (128)"
        );
        assert!(matches!(e.kind(), ErrorKind::Config(_)));
    }
}
