//! Stage 7, the settings: [`Config`] and its one point of validation,
//! [`ClustererBuilder::build`].

use super::Clusterer;
use crate::error::{Error, Result};

/// The clusterer's settings, read with [`Clusterer::config`]. Set them with
/// [`Clusterer::builder`]; [`ClustererBuilder::from`] starts from a
/// clusterer's settings (a restored snapshot's, say) to build another
/// that decides as it does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub(super) threshold: f64,
    pub(super) anchor_weight: f64,
    pub(super) num_hashes: usize,
    pub(super) seed: u64,
    pub(super) near_duplicate: f64,
    pub(super) window_secs: Option<i64>,
    pub(super) max_candidates: usize,
    pub(super) max_story_size: usize,
    pub(super) retention_secs: Option<i64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            threshold: 0.3,
            anchor_weight: 0.5,
            num_hashes: 128,
            seed: 0x5354_4f52_595f_4d48, // "STORY_MH"
            near_duplicate: 0.5,
            window_secs: Some(7 * 24 * 3600),
            max_candidates: 32,
            max_story_size: DEFAULT_MAX_STORY_SIZE,
            retention_secs: None,
        }
    }
}

impl Config {
    /// Score an article needs to join a story (default 0.3).
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Weight of anchors against stems (default 0.5): see
    /// [`ClustererBuilder::anchor_weight`].
    pub fn anchor_weight(&self) -> f64 {
        self.anchor_weight
    }

    /// Number of MinHash values per signature (default 128).
    pub fn num_hashes(&self) -> usize {
        self.num_hashes
    }

    /// Seed of the MinHash permutations: signatures made with different
    /// seeds are not comparable.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Most candidate stories scored per article (default 32): see
    /// [`ClustererBuilder::max_candidates`].
    pub fn max_candidates(&self) -> usize {
        self.max_candidates
    }

    /// Estimated Jaccard similarity of shingles above which two articles are
    /// near-duplicates and share a story regardless of the score (default
    /// 0.5). The estimate comes from the one-byte-a-value signatures the
    /// index keeps, corrected for chance byte collisions (b-bit MinHash).
    pub fn near_duplicate(&self) -> f64 {
        self.near_duplicate
    }

    /// How long after its latest article a story still accepts new ones
    /// (default 7 days; `None`: forever).
    pub fn window_secs(&self) -> Option<i64> {
        self.window_secs
    }

    /// Most articles a story holds (default [`DEFAULT_MAX_STORY_SIZE`]). A
    /// full story is no candidate: an article that would have joined it
    /// joins the best other story it reaches the threshold with, or opens a
    /// new one, which the articles like it that follow then join (a flood of
    /// copies of one text fills one story after another).
    pub fn max_story_size(&self) -> usize {
        self.max_story_size
    }

    /// How long articles are kept, measured back from the clock (the
    /// second-newest publication time, so that one article dated far ahead
    /// cannot evict the index; see [`Clusterer::clock`]), default `None`:
    /// until removed. See [`Clusterer::evict_before`]. An article already
    /// older than the horizon when it arrives is still clustered (its
    /// assignment is returned, so a late report still finds its story) and
    /// stays until the clock next moves or [`Clusterer::evict_before`] is
    /// called; a caller replaying old input can skip such articles, as the
    /// `stream` example does.
    pub fn retention_secs(&self) -> Option<i64> {
        self.retention_secs
    }
}

/// The default [`Config::max_story_size`].
pub const DEFAULT_MAX_STORY_SIZE: usize = 10_000;

/// Builds a [`Clusterer`], validating the configuration once.
///
/// # Examples
///
/// ```
/// use story_cluster::Clusterer;
///
/// let clusterer = Clusterer::builder().threshold(0.35).window_days(3).build()?;
/// assert_eq!(clusterer.config().threshold(), 0.35);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[must_use]
pub struct ClustererBuilder {
    pub(super) config: Config,
}

/// A builder that starts from `config`: a clusterer built from it without
/// changes decides as the one whose configuration it is.
///
/// ```
/// use story_cluster::{Clusterer, ClustererBuilder};
///
/// let first = Clusterer::builder().threshold(0.35).seed(7).build()?;
/// let second = ClustererBuilder::from(*first.config()).build()?;
/// assert_eq!(second.config(), first.config());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<Config> for ClustererBuilder {
    fn from(config: Config) -> Self {
        ClustererBuilder { config }
    }
}

impl ClustererBuilder {
    /// Score an article needs to join a story, in `(0, 1]`. Lower values
    /// trade precision for recall.
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.config.threshold = threshold;
        self
    }

    /// Weight of anchors against stems when an article is scored against a
    /// story that has members in its language, in `[0, 1]` (default 0.5):
    /// the score is `w × anchors + (1 − w) × stems`, but never below the
    /// anchor cosine alone, so stems can lift a score and never sink it (at
    /// 0 the score is the larger of the two cosines). Across languages, and
    /// in no known language, only anchors count.
    pub fn anchor_weight(mut self, weight: f64) -> Self {
        self.config.anchor_weight = weight;
        self
    }

    /// Number of MinHash values per signature, 8 to 1024 (default 128).
    pub fn num_hashes(mut self, num_hashes: usize) -> Self {
        self.config.num_hashes = num_hashes;
        self
    }

    /// Seed of the MinHash permutation. Signatures made with different seeds
    /// cannot be compared.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Near-duplicate Jaccard threshold in `(0, 1)` (default 0.5); it also
    /// chooses the LSH bands and rows. The index keeps one byte a hash
    /// value, which unrelated articles share 1 time in 256, so only bandings
    /// that make at most 1 in 10,000 unrelated pairs candidates by chance
    /// are chosen (3 rows a band or more at 64 hash values or more): at a
    /// threshold of 0.3 or below, fewer of the pairs near the threshold are
    /// found than an unrestricted banding would find
    /// ([`Clusterer::lsh_params`] reports the rates). A story LSH did not
    /// offer is scored over stems only where a stem cosine at this level
    /// could lift it to the threshold (see
    /// [`Assignment::score`](crate::Assignment::score)).
    pub fn near_duplicate(mut self, jaccard: f64) -> Self {
        self.config.near_duplicate = jaccard;
        self
    }

    /// Time window in days (see [`Config::window_secs`]).
    pub fn window_days(mut self, days: u32) -> Self {
        self.config.window_secs = Some(i64::from(days) * 24 * 3600);
        self
    }

    /// Time window in seconds, or `None` for no window.
    pub fn window_secs(mut self, secs: Option<i64>) -> Self {
        self.config.window_secs = secs;
        self
    }

    /// Most candidate stories scored per article (default 32).
    pub fn max_candidates(mut self, n: usize) -> Self {
        self.config.max_candidates = n;
        self
    }

    /// Most articles a story holds, at least 1 (see
    /// [`Config::max_story_size`]).
    pub fn max_story_size(mut self, n: usize) -> Self {
        self.config.max_story_size = n;
        self
    }

    /// Retention horizon in seconds, or `None` to keep articles until they
    /// are removed (see [`Config::retention_secs`]).
    pub fn retention_secs(mut self, secs: Option<i64>) -> Self {
        self.config.retention_secs = secs;
        self
    }

    /// Retention horizon in days (see [`Config::retention_secs`]).
    pub fn retention_days(mut self, days: u32) -> Self {
        self.config.retention_secs = Some(i64::from(days) * 24 * 3600);
        self
    }

    /// Validates the configuration and builds the clusterer.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the offending
    /// value.
    pub fn build(self) -> Result<Clusterer> {
        let c = self.config;
        if !(c.threshold > 0.0 && c.threshold <= 1.0) {
            return Err(Error::config(format!(
                "threshold ({}) must be in (0, 1]",
                c.threshold
            )));
        }
        if !(0.0..=1.0).contains(&c.anchor_weight) {
            return Err(Error::config(format!(
                "anchor_weight ({}) must be in [0, 1]",
                c.anchor_weight
            )));
        }
        if !(8..=1024).contains(&c.num_hashes) {
            return Err(Error::config(format!(
                "num_hashes ({}) must be in 8..=1024",
                c.num_hashes
            )));
        }
        if !(c.near_duplicate > 0.0 && c.near_duplicate < 1.0) {
            return Err(Error::config(format!(
                "near_duplicate ({}) must be in (0, 1)",
                c.near_duplicate
            )));
        }
        if let Some(w) = c.window_secs {
            if w <= 0 {
                return Err(Error::config(format!("window ({w} s) must be positive")));
            }
        }
        if c.max_candidates == 0 {
            return Err(Error::config("max_candidates (0) must be at least 1"));
        }
        if c.max_story_size == 0 {
            return Err(Error::config("max_story_size (0) must be at least 1"));
        }
        if let Some(r) = c.retention_secs {
            if r <= 0 {
                return Err(Error::config(format!("retention ({r} s) must be positive")));
            }
        }
        Clusterer::with_config(c)
    }
}
