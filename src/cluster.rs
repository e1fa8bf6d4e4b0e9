//! Stage 7: assigning each article to a story.
//!
//! For each new article the clusterer
//!
//! 1. gathers **candidate stories** without looking at all pairs: stories that
//!    share one of the article's rarer anchors (an inverted index from anchor
//!    to stories), and stories of its near-duplicates (LSH over MinHash
//!    signatures of stemmed word shingles);
//! 2. scores each candidate **as a story**, not through one member: the
//!    cosine between the article and the story's centroid, over anchors
//!    weighted by rarity (IDF) and, where the story already has members in
//!    the article's language, over stems as well;
//! 3. joins the best story if its score reaches the threshold (or if the
//!    article is a near-duplicate of a member), and opens a new story
//!    otherwise; a score is lowered when the years the article mentions
//!    conflict with the story's, and raised when a specific quantity it
//!    reports (`7.5`, `832`) is one the story's articles report too (the
//!    choice in `cluster/decide.rs`, the centroids in
//!    `cluster/centroid.rs`);
//! 4. merges into the joined story any other story the article also reached
//!    the threshold with, when the two stories' anchor centroids are that
//!    close too, their stems agree and the result fits the maximum story
//!    size (see `cluster/merge.rs`);
//! 5. splits the story in two when its members have come to form two
//!    groups unlike each other (see `cluster/merge.rs`): an early wrong join is
//!    undone once later articles show it.
//!
//! Comparing against centroids is what keeps unrelated articles from being
//! chained through one shared neighbour: a story's centroid only moves
//! towards what most of its members share.
//!
//! Document frequencies are learnt online, so an article's decision depends
//! only on the articles added before it. That makes [`Clusterer::add_batch`]
//! equal to adding one at a time, whatever the thread count.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::analyze::{analyze, Analysis};
use crate::article::{check_id_bounds, Article};
use crate::error::{Error, ErrorKind, Result};
use crate::features::damp;
use crate::lang::Language;
use crate::lsh::{LshParams, SketchIndex};
use crate::minhash::MinHasher;
use packed::{ArticleData, TermSums};
use postings::Postings;

mod centroid;
mod config;
mod decide;
mod merge;
mod packed;
mod persist;
mod postings;
mod store;

use centroid::{ByLanguage, Centroid, IdfCache};
pub use config::{ClustererBuilder, Config, DEFAULT_MAX_STORY_SIZE};
use decide::{cosine, fold_shared, DecideScratch};
pub use persist::SNAPSHOT_VERSION;
use store::{id_hash, push_grown, Langs, Slots, SlotsById, Vocab};

/// LSH bands and rows for the near-duplicate threshold. Missing a
/// near-duplicate costs a wrong story; a spurious candidate costs one
/// signature comparison. So false negatives weigh [`LSH_FN_WEIGHT`] times
/// false positives in the S-curve fit, among the bandings whose chance
/// agreements of one-byte sketch values stay rare
/// ([`LshParams::for_sketch_bytes`]).
fn lsh_params(near_duplicate: f64, num_hashes: usize) -> Result<LshParams> {
    LshParams::for_sketch_bytes(near_duplicate, num_hashes, 1.0, LSH_FN_WEIGHT)
}

/// Weight of false negatives against false positives when choosing bands.
/// At the default near-duplicate threshold (0.5, 128 values) 5 gives 32
/// bands of 4 rows, every hash value in use; 4 gave 30 × 4, whose recall of
/// the bench corpus's near-duplicate pairs was 0.989 against 0.992.
const LSH_FN_WEIGHT: f64 = 5.0;

/// Identifies a story within one [`Clusterer`]. Ids are assigned in the
/// order stories open, from 0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct StoryId(pub u32);

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

impl std::str::FromStr for StoryId {
    type Err = Error;

    /// Reads a story id as [`Display`](fmt::Display) writes it (`"s12"`,
    /// as the examples print stories), or as its number (`"12"`, as serde
    /// writes it).
    ///
    /// ```
    /// use story_cluster::StoryId;
    ///
    /// assert_eq!("s12".parse::<StoryId>()?, StoryId(12));
    /// assert_eq!("12".parse::<StoryId>()?, StoryId(12));
    /// assert_eq!(StoryId(7).to_string().parse::<StoryId>()?, StoryId(7));
    /// assert!("story 12".parse::<StoryId>().is_err());
    /// # Ok::<(), story_cluster::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let digits = s.strip_prefix('s').unwrap_or(s);
        let bad = || Error::from(ErrorKind::Input(format!("not a story id: {s:?}")));
        // `u32::from_str` takes a leading `+`; a story id has none.
        if digits.starts_with('+') {
            return Err(bad());
        }
        digits.parse().map(StoryId).map_err(|_| bad())
    }
}

/// One article that the new article resembles, with its score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Match {
    /// The member's id.
    pub id: String,
    /// Article-to-article similarity in `[0, 1]`.
    pub score: f64,
}

/// A story split in two: the articles that left it for a new story.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Split {
    /// The new story.
    pub story: StoryId,
    /// The ids of the articles now in it, in the order they were added.
    pub articles: Vec<String>,
}

/// Where [`Clusterer::add`] put an article.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assignment {
    /// The story the article joined or opened (after any merge or split
    /// its joining caused). A later article can merge this story into
    /// another or split it; then [`Clusterer::story_of`] gives the story the
    /// article is in.
    pub story: StoryId,
    /// `true` when the article opened a new story.
    pub is_new: bool,
    /// Stories this article showed to be one event with `story` and that
    /// were merged into it: their ids no longer exist, and their articles
    /// are now in `story` (usually empty; see "Merging" on [`Clusterer`]).
    pub merged: Vec<StoryId>,
    /// When this article's joining split its story (see "Splitting" on
    /// [`Clusterer`]): the new story and the articles that moved into it,
    /// possibly this one. Earlier assignments of those articles are stale.
    pub split: Option<Split>,
    /// The story-level score that decided (0 for a new story without
    /// candidates): the shingle Jaccard for a near-duplicate, else the
    /// article-to-story score, in `[0, 1]` except for a story that
    /// corroborates a specific quantity the article reports, whose score
    /// is multiplied by 2.5 (so up to 2.5). The article-to-story score
    /// blends the anchor and stem cosines, never below the anchor cosine
    /// (see [`ClustererBuilder::anchor_weight`]); a story that LSH did not offer
    /// counts its stems only when a stem cosine at
    /// [`Config::near_duplicate`] could lift it to the threshold (half the
    /// threshold for a one-article story).
    pub score: f64,
    /// The language the article was analysed in.
    pub language: Language,
    /// The story's members most similar to the article, best first (at most
    /// three, chosen among the story's 16 most recent members; empty for a
    /// new story).
    pub matches: Vec<Match>,
    /// The text was longer than [`MAX_TEXT_BYTES`](crate::MAX_TEXT_BYTES),
    /// or the title longer than [`MAX_TITLE_BYTES`](crate::MAX_TITLE_BYTES),
    /// and only its beginning was analysed.
    pub truncated: bool,
}

/// A story: articles that report one event.
#[derive(Clone, Copy)]
pub struct StoryView<'a> {
    clusterer: &'a Clusterer,
    index: u32,
}

/// The story's id, size and languages: not the clusterer it borrows,
/// which would print the whole index.
impl std::fmt::Debug for StoryView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoryView")
            .field("id", &self.id())
            .field("len", &self.len())
            .field("languages", &self.languages())
            .finish()
    }
}

impl<'a> StoryView<'a> {
    /// The story's id.
    pub fn id(&self) -> StoryId {
        StoryId(self.clusterer.stories[self.index as usize].id)
    }

    /// Ids of the story's articles, in the order they were added (the
    /// members of a story merged into this one follow its own).
    pub fn members(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let c = self.clusterer;
        c.stories[self.index as usize]
            .members
            .iter()
            .map(move |&m| &*c.articles[m as usize].id)
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.clusterer.stories[self.index as usize].members.len()
    }

    /// Always `false`: a story has at least one article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The languages of the story's articles, sorted, without repeats.
    pub fn languages(&self) -> Vec<Language> {
        let c = self.clusterer;
        let mut langs: Vec<Language> = c.stories[self.index as usize]
            .members
            .iter()
            .map(|&m| c.articles[m as usize].language)
            .collect();
        langs.sort_unstable();
        langs.dedup();
        langs
    }

    /// The story's strongest anchors (rarity-weighted, best first).
    pub fn top_anchors(&self, n: usize) -> Vec<&'a str> {
        let c = self.clusterer;
        let mut terms: Vec<(f64, &str)> = c.stories[self.index as usize]
            .anchors
            .terms
            .iter()
            .filter_map(|(t, tf)| {
                Some((
                    f64::from(tf) * c.vocab.idf(t, c.articles.len()),
                    c.vocab.text(t)?,
                ))
            })
            .collect();
        terms.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        terms.into_iter().take(n).map(|(_, t)| t).collect()
    }
}

/// Why two articles were, or were not, put together.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// Anchors both articles carry, with their rarity weight (IDF), heaviest
    /// first.
    pub shared_anchors: Vec<(String, f64)>,
    /// Cosine of the two articles' rarity-weighted anchors.
    pub anchor_score: f64,
    /// Cosine of their stems: 0 across languages and between articles in
    /// no known language, where stems do not count.
    pub lexical_score: f64,
    /// MinHash estimate of the Jaccard similarity of their shingles, from
    /// the one-byte-a-value signatures the index keeps (b-bit MinHash). For
    /// texts of a few words it is unreliable (their few shingles fill the
    /// signature with copies, which agree by chance 1 time in 256), and
    /// such articles are never taken for near-duplicates on it: only for
    /// exact copies, from five distinct values in the signature.
    pub shingle_jaccard: f64,
    /// The article-to-article score the clusterer uses to rank a story's
    /// members (the matches of an [`Assignment`]), from the anchor and stem
    /// cosines as [`ClustererBuilder::anchor_weight`] says. Not the score
    /// of a decision, which adds the rules listed on
    /// [`Clusterer::explain`].
    pub score: f64,
    /// Both articles are in the same story.
    pub same_story: bool,
}

type Vector = Vec<(u32, f32)>;

/// What the index keeps of an article.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct ArticleState {
    id: Box<str>,
    story: u32,
    language: Language,
    /// [`ArticleState::stamp`] and [`ArticleState::published`], in one
    /// value and [`Time`] (the two options took 16 bytes each).
    time: i64,
    time_kind: Time,
    /// The MinHash signature, one byte a value, and the packed anchor and
    /// stem vectors ([`ArticleState::vectors`]).
    data: ArticleData,
    /// Norms of the IDF-weighted vectors, with the IDF of insertion time.
    anchor_norm: f32,
    lexical_norm: f32,
}

/// What [`ArticleState::time`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Time {
    /// No time: the article is undated and arrived when the index held no
    /// dated article.
    None,
    /// The publication time.
    Published,
    /// The undated article's arrival time: the clock when it arrived (see
    /// [`Clusterer::arrival_time`]).
    Arrival,
}

/// An article's term vectors, sorted by term id, with damped term
/// frequencies.
#[derive(Debug, Default)]
struct Vectors {
    anchors: Vector,
    lexical: Vector,
}

/// The stored sketch of each article slot, as the LSH index reads them.
fn sketches<'a>(articles: &'a Slots<ArticleState>) -> impl Fn(u32) -> &'a [u8] + Copy + 'a {
    move |m| articles[m as usize].data.sketch().bytes()
}

/// The LSH index's rank of each stored article: its time, so that of many
/// articles sharing a band the newest stay in the index (see
/// [`SketchIndex`]).
fn ranks(articles: &Slots<ArticleState>) -> impl Fn(u32) -> i64 + Copy + '_ {
    move |m| articles[m as usize].time
}

impl ArticleState {
    /// The publication time, if known.
    fn published(&self) -> Option<i64> {
        (self.time_kind == Time::Published).then_some(self.time)
    }

    /// The time retention measures the article's age from: its publication
    /// time or, undated, its arrival time.
    fn stamp(&self) -> Option<i64> {
        (self.time_kind != Time::None).then_some(self.time)
    }

    /// The article's vectors into `buf`, the stems only when `stems`.
    fn vectors_into(&self, buf: &mut Vectors, stems: bool) {
        let ok = self
            .data
            .terms()
            .unpack_into(&mut buf.anchors, &mut buf.lexical, stems);
        assert!(
            ok,
            "terms are packed by the index and checked when a snapshot loads"
        );
    }

    fn vectors(&self) -> Vectors {
        let mut v = Vectors::default();
        self.vectors_into(&mut v, true);
        v
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(from = "StoryWire")]
struct Story {
    members: Vec<u32>,
    anchors: Centroid,
    lexical: ByLanguage,
    /// The latest publication time of a member, when `dated`: an
    /// `Option<i64>` in two fields, so that the flag takes the padding
    /// after `latest_year` (8 bytes less a story).
    latest_time: i64,
    /// The public id ([`StoryId`]); slots are reused, ids are not.
    id: u32,
    /// The latest year among the anchors (0 for none): what the year
    /// conflict check needs of them, without a scan of their texts.
    /// Derived, rebuilt when a snapshot is loaded.
    latest_year: u16,
    /// Whether any member is dated (`latest_time` is meaningful).
    dated: bool,
}

impl Story {
    /// The latest publication time of a member, if any is dated.
    fn latest(&self) -> Option<i64> {
        self.dated.then_some(self.latest_time)
    }

    fn set_latest(&mut self, latest: Option<i64>) {
        self.dated = latest.is_some();
        self.latest_time = latest.unwrap_or(0);
    }
}

/// A [`Story`] as snapshots hold it (`latest` an `Option<i64>`, no
/// `latest_year`).
#[derive(serde::Deserialize)]
struct StoryWire {
    members: Vec<u32>,
    anchors: Centroid,
    lexical: ByLanguage,
    latest: Option<i64>,
    id: u32,
}

impl From<StoryWire> for Story {
    fn from(w: StoryWire) -> Story {
        let mut story = Story {
            members: w.members,
            anchors: w.anchors,
            lexical: w.lexical,
            id: w.id,
            ..Story::default()
        };
        story.set_latest(w.latest);
        story
    }
}

/// Written as [`StoryWire`]'s fields, in its order.
impl serde::Serialize for Story {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Story", 5)?;
        st.serialize_field("members", &self.members)?;
        st.serialize_field("anchors", &self.anchors)?;
        st.serialize_field("lexical", &self.lexical)?;
        st.serialize_field("latest", &self.latest())?;
        st.serialize_field("id", &self.id)?;
        st.end()
    }
}

/// Groups articles into stories, one article at a time or in batches.
///
/// # Time
///
/// A story accepts an article only within [`Config::window_secs`] of its
/// latest dated article. An article without a publication time skips the
/// check and can join any story (a wire copy without a date is still the
/// same event), and it does not move the story's latest time; a story whose
/// members are all undated accepts any article. Dating articles is what
/// keeps a recurring event (a yearly summit) from joining last year's story.
///
/// # Merging
///
/// An article that reaches the threshold with two stories joins the best
/// one, and the other is merged into it when their anchor centroids are at
/// least as similar as the threshold, their stems agree (mean cosine of at
/// least 0.2 over the languages both have), their years do not conflict,
/// they are within the window of each other and the merged story fits
/// [`Config::max_story_size`]. A story of one article is a candidate
/// already when the new article scores half the threshold with it (the
/// story joined may by now be close to that earlier article), and it merges
/// when it would join the story on its own score, over anchors and stems.
/// A join decided by a near-duplicate merges nothing. The larger story
/// survives (the older on a tie); the other's
/// [`StoryId`] disappears, like the id of a story whose articles were all
/// removed, so an [`Assignment`]'s story may later be merged away:
/// [`Clusterer::story_of`] gives the final one.
///
/// # Splitting
///
/// When a story has grown to a multiple of 3 members (up to 32), its
/// members in its main language are clustered in two; if both groups have
/// at least 3 members and score on average below 0.85 times the threshold
/// across, or below 0.55 times their mean within the looser group, the
/// smaller group (with the other languages' members closer to it) moves to
/// a new story. This undoes an early join of two events that
/// later articles followed.
///
/// # Removal and retention
///
/// [`remove`](Self::remove) takes an article out: its story's centroids,
/// the LSH index and the document frequencies forget it, and a story left
/// empty disappears. [`evict_before`](Self::evict_before), or a
/// [`retention`](ClustererBuilder::retention_secs) horizon applied each time
/// the [`clock`](Self::clock) moves, removes old articles. Memory is
/// reclaimed: article, story and term slots are reused, so on an endless
/// stream the index stays the size of the retained window. An undated
/// article is aged from the clock when it arrived. A
/// [`StoryId`] is never given to another story (ids wrap only after 2^32
/// stories), so a story that disappears leaves its id unused.
///
/// # Limits
///
/// Ids up to [`MAX_ID_BYTES`](crate::MAX_ID_BYTES) bytes; text beyond
/// [`MAX_TEXT_BYTES`](crate::MAX_TEXT_BYTES) and a title beyond
/// [`MAX_TITLE_BYTES`](crate::MAX_TITLE_BYTES) are cut; a story holds at most
/// [`Config::max_story_size`] articles, after which it is no candidate (a
/// matching article joins another story or opens one). Of many articles
/// that share an LSH band (a flood of copies of one text), the 64 newest
/// and the 64 closest in time on either side of the new article stand for
/// the rest as near-duplicate candidates, so a flood costs each article a
/// bounded number of comparisons.
///
/// # Concurrency
///
/// Writes (`add`, `add_batch`, `remove`, `evict_before`, `set_clock`,
/// `reserve`, `try_reserve`) take `&mut self`;
/// everything else takes `&self`. `Clusterer` is `Send + Sync`, so a
/// service wraps it in a `std::sync::RwLock`: readers call
/// [`stories`](Self::stories), [`story_of`](Self::story_of) or
/// [`explain`](Self::explain) in parallel, and the writer holds the lock for
/// one `add` (or one batch) at a time. `add_batch` analyses in parallel on
/// rayon's pool while it takes decisions in order, and shares the scoring
/// of each decision with the pool; `add` runs on its caller's thread alone.
/// So call `add_batch` from outside rayon tasks that wait for the lock it
/// is called under: a thread of the pool waiting inside `add_batch` may
/// take up such a task, which then waits for the lock forever.
///
/// # Persistence
///
/// [`save`](Self::save) and [`load`](Self::load) write and read the whole
/// state atomically, with a checksummed, versioned header; a restored
/// clusterer makes the same decisions as the saved one.
///
/// # Examples
///
/// ```
/// use story_cluster::{Article, Clusterer};
///
/// let mut c = Clusterer::new();
/// let a = c.add(Article::new("1", "Cutremur în Vrancea", "Un cutremur de 5,6 grade a lovit Vrancea miercuri, a anunțat INFP."))?;
/// let b = c.add(Article::new("2", "Terremoto in Romania", "Un terremoto di magnitudo 5,6 ha colpito la Vrancea mercoledì, secondo l'INFP."))?;
/// assert!(a.is_new);
/// assert_eq!(a.story, b.story);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Clusterer {
    config: Config,
    minhasher: MinHasher,
    lsh: SketchIndex,
    vocab: Vocab,
    /// Articles by slot; `len()` counts live ones (see [`Slots`]).
    articles: Slots<ArticleState>,
    by_id: SlotsById,
    /// Stories by slot. A slot is internal and reused; the public
    /// [`StoryId`] is `Story::id`, never reused.
    stories: Slots<Story>,
    /// Anchor id → story slots that carry it. Kept exact: a story leaves a
    /// list when its last member carrying the anchor is removed.
    postings: Postings,
    /// Public story id → slot, in opening order.
    story_slots: BTreeMap<u32, u32>,
    /// The public id of the next story to open.
    next_story: u32,
    /// The second-newest time of the index when it last moved (retention
    /// measures back from it; see [`Clusterer::clock`]).
    clock: Option<i64>,
    /// `(retention time, slot)` of every article that has one, oldest first.
    by_time: BTreeSet<(i64, u32)>,
    scratch: DecideScratch,
    idf_cache: IdfCache,
    /// Live articles by language (`Language as usize`): how much of the
    /// other languages the index has seen ([`decide::LINKABLE_AFTER`]).
    by_language: [u32; Language::ALL.len()],
    /// Whether decisions may share their scoring with rayon's pool: only
    /// within [`add_batch`](Clusterer::add_batch), which runs there
    /// already. A plain `add` stays on its caller's thread, so a rayon task
    /// that holds a lock around `add` cannot be handed another task that
    /// waits for the same lock.
    parallel: bool,
}

/// The configuration and the index's counts, not its contents (a large
/// index would print for pages): [`stats`](Clusterer::stats) has the
/// sizes.
impl std::fmt::Debug for Clusterer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clusterer")
            .field("config", &self.config)
            .field("articles", &self.len())
            .field("stories", &self.story_slots.len())
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Default for Clusterer {
    fn default() -> Self {
        Clusterer::new()
    }
}

/// Articles analysed ahead of the decisions in [`Clusterer::add_batch`]: big
/// enough to spread over threads, small enough that the first chunk (analysed
/// before any decision can start) is a small share of a batch.
const BATCH_CHUNK: usize = 256;

impl Clusterer {
    /// A clusterer with a configuration that [`ClustererBuilder::build`]
    /// has validated, and an empty index.
    fn with_config(c: Config) -> Result<Self> {
        let minhasher = MinHasher::builder()
            .num_hashes(c.num_hashes)
            .seed(c.seed)
            .build()?;
        let lsh = SketchIndex::with_capacity(lsh_params(c.near_duplicate, c.num_hashes)?, 0);
        Ok(Clusterer {
            config: c,
            minhasher,
            lsh,
            vocab: Vocab::default(),
            articles: Slots::default(),
            by_id: SlotsById::default(),
            stories: Slots::default(),
            postings: Postings::default(),
            story_slots: BTreeMap::new(),
            next_story: 0,
            clock: None,
            by_time: BTreeSet::new(),
            scratch: DecideScratch::default(),
            idf_cache: IdfCache::default(),
            by_language: [0; Language::ALL.len()],
            parallel: false,
        })
    }

    /// A clusterer with the default configuration.
    ///
    /// # Panics
    ///
    /// Never: the default configuration is valid (a unit test checks it).
    pub fn new() -> Self {
        ClustererBuilder::default()
            .build()
            .expect("the default configuration is valid")
    }

    /// A builder to configure a clusterer.
    pub fn builder() -> ClustererBuilder {
        ClustererBuilder::default()
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The LSH banding chosen for the near-duplicate threshold, with its
    /// false-positive and false-negative rates
    /// ([`LshParams::false_positive_rate`], [`LshParams::false_negative_rate`]).
    pub fn lsh_params(&self) -> LshParams {
        self.lsh.params()
    }

    /// Number of articles in the index.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// `true` when the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Makes room for at least `additional` more articles, as
    /// [`Vec::reserve`] does: a caller that adds articles one at a time
    /// and knows about how many will come (a day's feed, say) saves the
    /// rebuilds of the near-duplicate index's band tables, which otherwise
    /// grow by an eighth each time they fill: the `add` that fills them
    /// re-places every article, and waits many times longer than the
    /// others. It changes no assignment.
    /// [`add_batch`](Self::add_batch) reserves for its batch itself.
    ///
    /// Room is memory: tables never shrink, so with a retention horizon
    /// reserve for the articles kept, not for all that will pass through.
    /// There an evicted article leaves a tombstone in each band table,
    /// which later insertions reuse; a table they fill is rebuilt at its
    /// size during an `add` (reading each sketch once, into a new set of
    /// tables), about every sixteenth of the table's size in articles.
    /// Reserving does not save those rebuilds (nor does
    /// [`try_reserve`](Self::try_reserve) make their memory fallible):
    /// it saves growth.
    /// `additional` is capped at the 2^32 articles the index can address;
    /// as with [`Vec::reserve`], room the machine's memory cannot hold
    /// aborts the process: [`try_reserve`](Self::try_reserve) returns an
    /// error instead.
    pub fn reserve(&mut self, additional: usize) {
        let additional = self.capped_room(additional);
        self.lsh.reserve(additional, sketches(&self.articles));
        self.articles.reserve(additional);
        let slots = &self.articles;
        self.by_id
            .0
            .reserve(additional, |&s| id_hash(&slots[s as usize].id));
    }

    /// [`reserve`](Self::reserve), with an error where `reserve` aborts:
    /// for a number of articles read from a user, say.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Limit`] when the memory for the room cannot be
    /// allocated. No article or assignment changes then, though part of
    /// the room may have been made. Unlike `reserve`'s, the band tables'
    /// room (about 180 bytes an article) is written, so used, at once:
    /// where the system promises memory it does not have, as Linux may,
    /// room beyond the machine's memory can end the process here rather
    /// than return the error.
    pub fn try_reserve(&mut self, additional: usize) -> Result<()> {
        let additional = self.capped_room(additional);
        let out_of_memory = || {
            Error::limit(format!(
                "cannot allocate room for {additional} more articles"
            ))
        };
        // The article slots first: the largest single allocation.
        self.articles
            .try_reserve(additional)
            .map_err(|_| out_of_memory())?;
        let slots = &self.articles;
        self.by_id
            .0
            .try_reserve(additional, |&s| id_hash(&slots[s as usize].id))
            .map_err(|_| out_of_memory())?;
        self.lsh
            .try_reserve(additional, sketches(&self.articles))
            .map_err(|_| out_of_memory())
    }

    /// `additional`, capped at the room left of the 2^32 articles the
    /// index can address.
    fn capped_room(&self, additional: usize) -> usize {
        let room = (u32::MAX as usize).saturating_sub(self.articles.slots());
        additional.min(room)
    }

    /// Adds one article and assigns it to a story.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateId`] when an article with this id is in the
    /// index; [`ErrorKind::Limit`] when the id is empty or longer than
    /// [`MAX_ID_BYTES`](crate::MAX_ID_BYTES). Article text never causes an error: text longer
    /// than [`MAX_TEXT_BYTES`](crate::MAX_TEXT_BYTES) (a title longer than
    /// [`MAX_TITLE_BYTES`](crate::MAX_TITLE_BYTES)) is cut and the
    /// assignment says so.
    pub fn add(&mut self, article: Article) -> Result<Assignment> {
        // Off even after a batch that panicked.
        self.parallel = false;
        self.check_id(&article.id)?;
        let analysis = analyze(&article, &self.minhasher);
        Ok(self.add_analysed(article, &analysis))
    }

    /// Adds articles in order, analysing them in parallel (rayon's thread
    /// pool). The result is the one [`add`](Self::add) gives for each article
    /// in turn, whatever the number of threads. Without a retention
    /// horizon, the index makes room for the whole batch first, so one
    /// large batch is cheaper than many small ones; with one, it grows as
    /// articles arrive, since the batch's oldest may be evicted before its
    /// newest arrive.
    ///
    /// # Errors
    ///
    /// As [`add`](Self::add), checked for every article before any is added:
    /// on error nothing is added. An id is taken when an article holding it
    /// is in the index when the article comes, as with `add`: one already
    /// there, or earlier in the batch, unless retention evicts it on the
    /// way. An [`ErrorKind::Limit`] message gives the article's position in
    /// the batch.
    pub fn add_batch(&mut self, articles: Vec<Article>) -> Result<Vec<Assignment>> {
        self.check_batch_ids(&articles)?;
        // Room for the whole batch, unless a retention horizon may evict
        // much of it on the way (the tables never shrink).
        if self.config.retention_secs.is_none() {
            self.reserve(articles.len());
        }
        // Analysis of one chunk overlaps the in-order decisions of the
        // previous one: with two threads or more, one decides while the
        // others analyse. Decisions still happen one article at a time, in
        // order, so the result does not depend on the chunking.
        let minhasher = self.minhasher;
        let analyse = |chunk: &[Article]| -> Vec<Analysis> {
            chunk.par_iter().map(|a| analyze(a, &minhasher)).collect()
        };
        let mut out = Vec::with_capacity(articles.len());
        let mut rest = articles.into_iter();
        let mut current: Vec<Article> = rest.by_ref().take(BATCH_CHUNK).collect();
        let mut analyses = analyse(&current);
        self.parallel = true;
        while !current.is_empty() {
            let next: Vec<Article> = rest.by_ref().take(BATCH_CHUNK).collect();
            let (next_analyses, ()) = rayon::join(
                || analyse(&next),
                || {
                    for (article, analysis) in current.drain(..).zip(analyses.drain(..)) {
                        out.push(self.add_analysed(article, &analysis));
                    }
                },
            );
            current = next;
            analyses = next_analyses;
        }
        self.parallel = false;
        Ok(out)
    }

    /// The id checks `add` would make for each article of the batch in
    /// turn, made before any is added: the clock and retention's evictions
    /// are followed article by article (they depend on the articles' times
    /// alone), so an id evicted on the way may come again.
    fn check_batch_ids(&self, articles: &[Article]) -> Result<()> {
        // `add` checks an id's length before whether it is taken: so do
        // the loops below, article by article.
        let bounds = |i: usize, id: &str| {
            check_id_bounds(id).map_err(|e| match e.into_kind() {
                ErrorKind::Limit(msg) => Error::limit(format!(
                    "article {} of {} in the batch: {msg}",
                    i + 1,
                    articles.len()
                )),
                other => other.into(),
            })
        };
        // The two newest times in the index, the clock, the latest eviction
        // horizon and the number of evictions so far (none without a
        // retention horizon); the batch's articles by id, with their time
        // and the number of evictions before them.
        let mut held = FxHashMap::with_capacity_and_hasher(articles.len(), FxBuildHasher);
        let mut times = self.by_time.iter().rev().map(|&(t, _)| t);
        let mut newest = (times.next(), times.next());
        let mut clock = self.clock;
        let (mut horizon, mut evictions) = (i64::MIN, 0u32);
        let evicted = |stamp: Option<i64>, horizon: i64| stamp.is_some_and(|t| t < horizon);
        for (i, a) in articles.iter().enumerate() {
            bounds(i, &a.id)?;
            let taken = match held.get(a.id.as_str()) {
                Some(&(stamp, before)) => !(evictions > before && evicted(stamp, horizon)),
                None => self
                    .by_id
                    .get(&a.id, &self.articles)
                    .is_some_and(|slot| !evicted(self.articles[slot as usize].stamp(), horizon)),
            };
            if taken {
                return Err(ErrorKind::DuplicateId(a.id.clone()).into());
            }
            if let Some(moved) = a.published.and_then(|p| moved_clock(clock, newest, p)) {
                clock = Some(moved);
                if let Some(retention) = self.config.retention_secs {
                    horizon = moved.saturating_sub(retention);
                    evictions += 1;
                }
            }
            let stamp = a.published.or(clock.or(newest.0));
            if let Some(t) = stamp {
                newest = match newest {
                    (Some(first), _) if t < first => (Some(first), newest.1.max(Some(t))),
                    (first, _) => (Some(t), first),
                };
            }
            held.insert(a.id.as_str(), (stamp, evictions));
        }
        Ok(())
    }

    fn check_id(&self, id: &str) -> Result<()> {
        check_id_bounds(id)?;
        if self.by_id.get(id, &self.articles).is_some() {
            return Err(ErrorKind::DuplicateId(id.to_string()).into());
        }
        Ok(())
    }

    fn add_analysed(&mut self, article: Article, analysis: &Analysis) -> Assignment {
        self.advance_clock(article.published);
        let index = self.articles.next_slot();
        let f = &analysis.features;
        // `(term id, occurrences)`.
        let mut anchors: Vec<(u32, u32)> = f
            .anchors
            .iter()
            .zip(&f.anchor_text)
            .map(|(t, text)| (self.vocab.intern(t.key, Some(text)), t.count))
            .collect();
        let mut lexical: Vec<(u32, u32)> = f
            .lexical
            .iter()
            .map(|t| (self.vocab.intern(t.key, None), t.count))
            .collect();
        // Vectors are sorted by term id, for merge joins.
        anchors.sort_unstable_by_key(|e| e.0);
        lexical.sort_unstable_by_key(|e| e.0);
        for &(t, _) in anchors.iter().chain(&lexical) {
            self.vocab.df[t as usize] += 1;
        }
        for &(t, _) in &anchors {
            self.vocab.seen_in(t, analysis.language);
        }
        let damped =
            |v: &[(u32, u32)]| -> Vector { v.iter().map(|&(t, n)| (t, damp(n))).collect() };
        let vectors = Vectors {
            anchors: damped(&anchors),
            lexical: damped(&lexical),
        };
        let arrival = self.arrival_time();
        let mut state = ArticleState {
            id: article.id.into_boxed_str(),
            story: u32::MAX,
            language: analysis.language,
            time: article.published.or(arrival).unwrap_or(0),
            time_kind: match (article.published, arrival) {
                (Some(_), _) => Time::Published,
                (None, Some(_)) => Time::Arrival,
                (None, None) => Time::None,
            },
            data: ArticleData::new(&analysis.signature, &anchors, &lexical),
            anchor_norm: 0.0,
            lexical_norm: 0.0,
        };
        let weighted = self.weigh(state.language, &vectors);
        state.anchor_norm = weighted.anchor_norm as f32;
        state.lexical_norm = weighted.lexical_norm as f32;
        let decision = self.decide(&state, &weighted);
        // Decisions offer only stories that can take the article (not full).
        let (story, is_new) = match decision.story {
            Some(s) => {
                debug_assert!(self.open_to(s, state.published()));
                (s, false)
            }
            None => (self.open_story(), true),
        };
        let matches = if is_new {
            Vec::new()
        } else {
            self.best_members(&state, &vectors, &weighted, story, 3)
        };
        self.lsh.insert(
            (index, state.time),
            state.data.sketch().bytes(),
            sketches(&self.articles),
            ranks(&self.articles),
        );
        if let Some(t) = state.stamp() {
            self.by_time.insert((t, index));
        }
        self.by_language[state.language as usize] += 1;
        let slot = self.articles.insert(ArticleState { story, ..state });
        debug_assert_eq!(slot, index);
        self.by_id.insert(slot, &self.articles);
        self.join(story, index, &vectors);
        let mut merged = Vec::new();
        let mut split = None;
        let story = if is_new {
            story
        } else {
            let close = std::mem::take(&mut self.scratch.close);
            let story = self.merge_candidates(story, &close, &mut merged);
            self.scratch.close = close;
            split = self.maybe_split(story).map(|(new, moved)| Split {
                story: StoryId(self.stories[new as usize].id),
                articles: moved
                    .iter()
                    .map(|&m| self.articles[m as usize].id.to_string())
                    .collect(),
            });
            self.articles[index as usize].story
        };
        Assignment {
            story: StoryId(self.stories[story as usize].id),
            is_new,
            merged,
            split,
            score: decision.score,
            language: analysis.language,
            matches,
            truncated: analysis.truncated,
        }
    }

    fn join(&mut self, story: u32, article: u32, v: &Vectors) {
        let n = self.articles.len();
        let a = &self.articles[article as usize];
        let s = &mut self.stories[story as usize];
        let vocab = &self.vocab;
        let cache = &mut self.idf_cache;
        let postings = &mut self.postings;
        // Room for one member at first: most stories keep one (a plain push
        // would reserve four).
        if s.members.capacity() == 0 {
            s.members.reserve_exact(1);
        }
        s.members.push(article);
        s.latest_year = s
            .latest_year
            .max(merge::latest_year(vocab, v.anchors.iter().copied()));
        s.anchors.add(
            v.anchors.iter().copied(),
            n,
            |t| cache.idf(vocab, t, n),
            |t| {
                postings.push(t, story);
            },
        );
        s.lexical.entry(a.language).add(
            v.lexical.iter().copied(),
            n,
            |t| cache.idf(vocab, t, n),
            |_| {},
        );
        if let Some(p) = a.published() {
            s.set_latest(Some(s.latest().map_or(p, |l| l.max(p))));
        }
    }

    /// Every live story, in the order they opened. Stories whose articles
    /// were all removed or evicted are gone.
    pub fn stories(&self) -> impl ExactSizeIterator<Item = StoryView<'_>> + '_ {
        self.story_slots.values().map(move |&index| StoryView {
            clusterer: self,
            index,
        })
    }

    /// One story; `None` when no live story has this id.
    pub fn story(&self, id: StoryId) -> Option<StoryView<'_>> {
        self.story_slots.get(&id.0).map(|&index| StoryView {
            clusterer: self,
            index,
        })
    }

    /// The story of an article.
    pub fn story_of(&self, article_id: &str) -> Option<StoryId> {
        self.by_id
            .get(article_id, &self.articles)
            .map(|i| StoryId(self.stories[self.articles[i as usize].story as usize].id))
    }

    /// The anchors of an article in the index with their weight in it, the
    /// damped count (`1 + ln count`) times the rarity (IDF, with the
    /// index's current document frequencies), heaviest first; `None` for
    /// an unknown id.
    pub fn anchors(&self, article_id: &str) -> Option<Vec<(&str, f64)>> {
        let a = &self.articles[self.by_id.get(article_id, &self.articles)? as usize];
        let n = self.articles.len();
        let mut v = Vectors::default();
        a.vectors_into(&mut v, false);
        let mut out: Vec<(&str, f64)> = v
            .anchors
            .iter()
            .map(|&(t, w)| {
                (
                    self.vocab.text(t).unwrap_or("?"),
                    f64::from(w) * self.vocab.idf(t, n),
                )
            })
            .collect();
        out.sort_by(|p, q| q.1.total_cmp(&p.1).then_with(|| p.0.cmp(q.0)));
        Some(out)
    }

    /// Explains the similarity of two articles in the index: the anchors
    /// they share, their anchor and stem cosines, and their pair score.
    ///
    /// The scores are computed now, with the index's current document
    /// frequencies: as articles come and go they drift from the ones that
    /// decided (an [`Assignment`]'s [`Match::score`] is the score at that
    /// time). The pair score is the one behind the matches an assignment
    /// shows, not the score a decision weighs, even against a story of one
    /// article. A decision scores the article against a story's centroid,
    /// and on top of the pair score's anchor and stem cosines it
    /// - counts an anchor cosine over a single shared anchor for at most
    ///   half the threshold (two short reports whose one anchor is the same
    ///   number or town have an anchor cosine of 1), where an event type
    ///   and figures shared without a name count as one;
    /// - across languages, leaves out of the article's norm the anchors no
    ///   other language's article carries (and, in a language that
    ///   capitalises every noun, scores those it can share on their own),
    ///   once the index holds 100 articles in other languages;
    /// - multiplies the score by 0.8 when the article's years conflict with
    ///   the story's, or by 2.5 when the story corroborates a specific
    ///   quantity the article reports;
    /// - counts stems only where they could lift the story to the threshold.
    ///
    /// So a pair score of 1 can stand beside an article that opened a story
    /// of its own: check [`Explanation::shared_anchors`] first.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] when either id is not in the index.
    pub fn explain(&self, a: &str, b: &str) -> Result<Explanation> {
        let get = |id: &str| {
            self.by_id
                .get(id, &self.articles)
                .map(|i| &self.articles[i as usize])
                .ok_or_else(|| Error::from(ErrorKind::UnknownId(id.to_string())))
        };
        let (x, y) = (get(a)?, get(b)?);
        let (xv, yv) = (x.vectors(), y.vectors());
        let n = self.articles.len();
        let mut shared: Vec<(String, f64)> = fold_shared(
            &xv.anchors,
            |e| e.0,
            &yv.anchors,
            |e| e.0,
            Vec::new(),
            |mut shared, i, _| {
                let t = xv.anchors[i].0;
                let text = self.vocab.text(t).unwrap_or("?").to_string();
                shared.push((text, self.vocab.idf(t, n)));
                shared
            },
        );
        shared.sort_by(|p, q| q.1.total_cmp(&p.1).then_with(|| p.0.cmp(&q.0)));
        let lexical_score = if x.language == y.language && x.language != Language::Unknown {
            cosine(
                xv.lexical.iter().copied(),
                yv.lexical.iter().copied(),
                |t| self.vocab.idf(t, n),
            )
        } else {
            0.0
        };
        Ok(Explanation {
            shared_anchors: shared,
            anchor_score: cosine(
                xv.anchors.iter().copied(),
                yv.anchors.iter().copied(),
                |t| self.vocab.idf(t, n),
            ),
            lexical_score,
            shingle_jaccard: x.data.sketch().jaccard(&y.data.sketch()),
            score: self.pair_score((x, &xv), (y, &yv), n),
            same_story: x.story == y.story,
        })
    }
}

/// Sizes of a clusterer's index, from [`Clusterer::stats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Articles in the index.
    pub articles: usize,
    /// Live stories.
    pub stories: usize,
    /// Distinct terms (anchors and stems) carried by the articles.
    pub terms: usize,
    /// Article slots allocated, live or free (memory follows this).
    pub article_slots: usize,
    /// Story slots allocated, live or free.
    pub story_slots: usize,
    /// Term ids allocated, live or free.
    pub term_slots: usize,
    /// Entries in the anchor-to-story postings.
    pub postings: usize,
    /// Articles in the LSH index (those with a non-empty signature).
    pub lsh_len: usize,
    /// Memory of the LSH band tables (ids, with one byte of each band's
    /// hash; the bands themselves are read from the signatures), and of the
    /// ids left out of them where more than 64 articles share a band (a
    /// flood of copies; about 1.1 KB an article left out of every band).
    pub lsh_bytes: usize,
    /// Approximate memory of the whole index in bytes: the sum of the
    /// parts below and [`lsh_bytes`](Self::lsh_bytes).
    pub approx_bytes: usize,
    /// Of `approx_bytes`: the articles' MinHash signatures, kept as one
    /// byte a value (b-bit MinHash; the LSH bands are hashed from the
    /// bytes, and near-duplicate Jaccard is estimated from them).
    pub signature_bytes: usize,
    /// Of `approx_bytes`: the articles' ids and term vectors (anchors and
    /// stems, packed as varints), with the article slots themselves.
    pub article_bytes: usize,
    /// Of `approx_bytes`: the stories (members and centroids).
    pub story_bytes: usize,
    /// Of `approx_bytes`: the anchor-to-story postings.
    pub posting_bytes: usize,
    /// Of `approx_bytes`: the term statistics (ids, document frequencies,
    /// anchor texts).
    pub vocab_bytes: usize,
    /// Of `approx_bytes`: lookup tables by id, by time and by story id.
    pub lookup_bytes: usize,
}

/// Removal, retention and inspection of the index.
impl Clusterer {
    /// Takes an article out of the index.
    ///
    /// Its story's centroids lose its terms, its LSH entry and document
    /// frequencies go, and a story left without articles disappears (its
    /// [`StoryId`] is never given to another story). Later decisions see the
    /// index nearly as if the article had not been there: its terms,
    /// counts and LSH entry are gone, but what was computed from them for
    /// other stories (their centroid norms, refreshed only as the index
    /// grows) stays until it is refreshed, so scores can differ slightly
    /// from those of an index that never held it.
    /// Decisions already made are not revisited.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] when no article with this id is in the index.
    pub fn remove(&mut self, article_id: &str) -> Result<()> {
        let slot = self
            .by_id
            .get(article_id, &self.articles)
            .ok_or_else(|| Error::from(ErrorKind::UnknownId(article_id.to_string())))?;
        self.remove_slot(slot);
        Ok(())
    }

    /// Removes every article whose retention time is before `unix_seconds`
    /// and returns how many. An article's retention time is its publication
    /// time or, for an undated article, the [`clock`](Self::clock) when it
    /// arrived (before the clock started, the newest time in the index);
    /// undated articles that arrived when the index held no dated article
    /// have none and are kept until [`remove`](Self::remove)d.
    ///
    /// With [`ClustererBuilder::retention_secs`] this runs by itself each
    /// time the clock moves.
    ///
    /// Cost: `O(log n)` per evicted article plus the work of
    /// [`remove`](Self::remove).
    pub fn evict_before(&mut self, unix_seconds: i64) -> usize {
        let mut removed = 0;
        while let Some(&(t, slot)) = self.by_time.first() {
            if t >= unix_seconds {
                break;
            }
            self.remove_slot(slot);
            removed += 1;
        }
        removed
    }

    /// The clock retention measures from, and the time an undated article
    /// is kept as published at: the second-newest time in the index when it
    /// last moved (it never moves back, unless [`set_clock`](Self::set_clock)
    /// sets it back), or `None` until the index has held
    /// two dated articles at once (an undated article that arrives before
    /// takes the newest time in the index).
    ///
    /// The second-newest, not the newest: one article dated far ahead (a
    /// typo in the year, a time in milliseconds taken for seconds) would
    /// otherwise move the clock by years, and retention would evict the
    /// whole index at once and then nothing more. Such an article stays in
    /// the index, newest, until removed; a second one, however much later
    /// it comes, does move the clock (see [`set_clock`](Self::set_clock)
    /// to recover).
    pub fn clock(&self) -> Option<i64> {
        self.clock
    }

    /// Sets the [`clock`](Self::clock) to `unix_seconds`, forward or back,
    /// and with a retention horizon evicts the articles that fall behind it
    /// (returns how many; moving the clock back evicts none). From there
    /// the clock moves as before: to the second-newest time in the index
    /// when a dated article arrives.
    ///
    /// For a service that keeps time itself, and to recover from mis-dated
    /// articles. Two articles dated far ahead (even months apart in the
    /// stream) move the clock to the earlier of their times: retention then
    /// evicts the whole index, and evicts nothing more until real time
    /// catches up. [`remove`](Self::remove) them (they are the newest in
    /// the index; a service does better to refuse times ahead of its own
    /// clock, as the `stream` example does), and the undated articles that
    /// arrived while the clock was ahead (each is kept as published at the
    /// clock of its arrival, so they are the newest too and would move the
    /// clock ahead again), then set the clock back to the present.
    pub fn set_clock(&mut self, unix_seconds: i64) -> usize {
        self.clock = Some(unix_seconds);
        match self.config.retention_secs {
            Some(r) => self.evict_before(unix_seconds.saturating_sub(r)),
            None => 0,
        }
    }

    /// `true` when an article with this id is in the index.
    pub fn contains(&self, article_id: &str) -> bool {
        self.by_id.get(article_id, &self.articles).is_some()
    }

    /// Sizes of the index, to watch memory on a long stream. Walks every
    /// article: `O(n)`.
    pub fn stats(&self) -> Stats {
        use std::mem::size_of;
        let article_bytes: usize = self
            .articles
            .iter()
            .map(|(_, a)| a.id.len() + a.data.bytes() - a.data.sketch().len())
            .sum::<usize>()
            + self.articles.items.capacity() * size_of::<Option<ArticleState>>()
            + self.articles.free.capacity() * 4;
        let signature_bytes: usize = self
            .articles
            .iter()
            .map(|(_, a)| a.data.sketch().len())
            .sum();
        // Hash map entries cost about their key and value plus one control
        // byte, at up to 8/7 load.
        let map = |entries: usize, entry: usize| entries * (entry + 1) * 8 / 7;
        let story_bytes: usize = self
            .stories
            .iter()
            .map(|(_, s)| {
                s.members.capacity() * 4
                    + s.anchors.terms.bytes()
                    + s.lexical.0.capacity() * size_of::<(Language, Centroid)>()
                    + s.lexical.values().map(|c| c.terms.bytes()).sum::<usize>()
            })
            .sum::<usize>()
            + self.stories.items.capacity() * size_of::<Option<Story>>()
            + self.stories.free.capacity() * 4;
        let postings = self.postings.entries();
        let posting_bytes = self.postings.approx_bytes(map);
        let vocab_bytes = self.vocab.df.capacity() * 4
            + self.vocab.langs.capacity()
            + self.vocab.keys.capacity() * 8
            + map(self.vocab.text.capacity(), size_of::<(u32, Box<str>)>())
            + self.vocab.text.values().map(|t| t.len()).sum::<usize>()
            + map(self.vocab.ids.capacity(), size_of::<u32>())
            + self.vocab.free.capacity() * 4;
        let lookup_bytes = map(self.by_id.0.capacity(), size_of::<u32>())
            + self.by_time.len() * 24
            + self.story_slots.len() * 16;
        Stats {
            articles: self.articles.len(),
            stories: self.stories.len(),
            terms: self.vocab.live(),
            article_slots: self.articles.slots(),
            story_slots: self.stories.slots(),
            term_slots: self.vocab.df.len(),
            postings,
            lsh_len: self.lsh.len(),
            lsh_bytes: self.lsh.approx_bytes(),
            approx_bytes: signature_bytes
                + article_bytes
                + story_bytes
                + posting_bytes
                + vocab_bytes
                + lookup_bytes
                + self.lsh.approx_bytes(),
            signature_bytes,
            article_bytes,
            story_bytes,
            posting_bytes,
            vocab_bytes,
            lookup_bytes,
        }
    }

    /// Opens an empty story and returns its slot.
    fn open_story(&mut self) -> u32 {
        // Public ids wrap after 2^32 stories; by then the story that held an
        // id is long evicted, and a live one is skipped.
        let mut id = self.next_story;
        while self.story_slots.contains_key(&id) {
            id = id.wrapping_add(1);
        }
        self.next_story = id.wrapping_add(1);
        let slot = self.stories.insert(Story {
            id,
            ..Story::default()
        });
        self.story_slots.insert(id, slot);
        slot
    }

    /// The time an undated article arriving now is kept as published at:
    /// the clock, or before it has started the newest time in the index
    /// (so that an undated article between the first two dated ones ages
    /// too); `None` in an index of undated articles.
    fn arrival_time(&self) -> Option<i64> {
        self.clock.or_else(|| self.by_time.last().map(|&(t, _)| t))
    }

    /// Moves the clock to the second-newest time of the index with an
    /// article published at `published` added, when that is newer, and with
    /// a retention horizon evicts what fell behind it (see
    /// [`clock`](Self::clock)). Read from the index, the clock moves the
    /// same way in a clusterer restored from a snapshot.
    fn advance_clock(&mut self, published: Option<i64>) {
        let Some(p) = published else { return };
        let mut newest = self.by_time.iter().rev().map(|&(t, _)| t);
        if let Some(second) = moved_clock(self.clock, (newest.next(), newest.next()), p) {
            self.set_clock(second);
        }
    }

    fn remove_slot(&mut self, slot: u32) {
        let Some(a) = self.articles.remove(slot) else {
            return;
        };
        self.by_language[a.language as usize] -= 1;
        self.by_id.remove(&a.id, slot);
        self.lsh.remove((slot, a.time), a.data.sketch().bytes());
        let v = a.vectors();
        if let Some(t) = a.stamp() {
            self.by_time.remove(&(t, slot));
        }
        // Document frequencies first: the centroids' norms are refreshed
        // with the IDF of the index without the article.
        let mut released = Vec::new();
        for &(t, _) in v.anchors.iter().chain(&v.lexical) {
            let df = &mut self.vocab.df[t as usize];
            *df -= 1;
            if *df == 0 {
                released.push(t);
            }
        }
        let s = a.story;
        self.detach(s, slot, a.language, a.published(), &v);
        let story = &self.stories[s as usize];
        if story.members.is_empty() {
            debug_assert!(story.anchors.terms.is_empty());
            if let Some(dead) = self.stories.remove(s) {
                self.story_slots.remove(&dead.id);
            }
        }
        for t in released {
            debug_assert!(!self.postings.contains_key(t));
            self.vocab.release(t);
        }
    }

    /// Takes member `slot` (in `language`, published at `published`, with
    /// vectors `v`) out of story `story`: its members, its centroids (terms
    /// no member carries any more leave the postings) and its latest time.
    /// The story is left in place, even empty.
    fn detach(
        &mut self,
        story: u32,
        slot: u32,
        language: Language,
        published: Option<i64>,
        v: &Vectors,
    ) {
        let n = self.articles.len();
        let vocab = &self.vocab;
        let cache = &mut self.idf_cache;
        let postings = &mut self.postings;
        let articles = &self.articles;
        let st = &mut self.stories[story as usize];
        if let Some(pos) = st.members.iter().position(|&m| m == slot) {
            st.members.remove(pos);
        }
        st.anchors.remove(
            &v.anchors,
            n,
            |t| cache.idf(vocab, t, n),
            |t| postings.remove(t, story),
        );
        if st.latest_year != 0
            && merge::latest_year(vocab, v.anchors.iter().copied()) == st.latest_year
        {
            st.latest_year = merge::latest_year(vocab, st.anchors.terms.iter());
        }
        if let Some(lex) = st.lexical.get_mut(language) {
            lex.remove(&v.lexical, n, |t| cache.idf(vocab, t, n), |_| {});
            // The story scores stems in a language while it has a member in
            // it, even one without stems.
            if lex.terms.is_empty()
                && !st
                    .members
                    .iter()
                    .any(|&m| articles[m as usize].language == language)
            {
                st.lexical.remove(language);
            }
        }
        if published.is_some() && published == st.latest() {
            let latest = st
                .members
                .iter()
                .filter_map(|&m| articles[m as usize].published())
                .max();
            st.set_latest(latest);
        }
    }
}

/// The clock once an article published at `p` joins an index whose two
/// newest times are `newest` (newest first) and whose clock is `clock`:
/// the second-newest time with the article counted, when that is newer
/// than the clock (see [`Clusterer::clock`]); `None` when it stays.
fn moved_clock(clock: Option<i64>, newest: (Option<i64>, Option<i64>), p: i64) -> Option<i64> {
    let second = match newest {
        // The article's time would be the only one.
        (None, _) => return None,
        (Some(first), _) if p >= first => first,
        (Some(_), Some(second)) if p < second => second,
        _ => p,
    };
    clock.is_none_or(|c| c < second).then_some(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    use decide::counts::{PARALLEL_ANCHORED, PARALLEL_MATCHED, PARALLEL_SCORED};

    /// Held by the tests that read the parallel-branch counters.
    static COUNTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn parallel_count() -> usize {
        PARALLEL_SCORED.load(std::sync::atomic::Ordering::Relaxed)
            + PARALLEL_ANCHORED.load(std::sync::atomic::Ordering::Relaxed)
            + PARALLEL_MATCHED.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Articles sharing names and words in varied sentences: scored over
    /// stems, each meets many stories.
    fn overlapping_articles(n: usize) -> Vec<Article> {
        // Each name in about a sixth of the articles: rare enough to retrieve
        // stories by.
        let names = [
            "Drumkell",
            "Ambrevik",
            "Sarnowo",
            "Teloria",
            "Quarnish",
            "Velmora",
            "Ostrabel",
            "Orsolya Brandt",
            "Idris Kallweit",
            "Mirela Soto",
            "Luuk Verhaeg",
            "Ruslan Ivo",
        ];
        let words = [
            "harbour", "cranes", "ships", "jobs", "mayor", "promised", "council", "budget",
            "workers", "strike", "bridge", "river", "storm", "flood", "school", "doctors",
        ];
        let mut next = crate::xorshift(0x5EED);
        let mut pick = |n: usize| (next() % n as u64) as usize;
        (0..n)
            .map(|i| {
                let mut text = String::new();
                for _ in 0..2 {
                    text.push_str("Then");
                    for _ in 0..6 {
                        text.push(' ');
                        text.push_str(words[pick(words.len())]);
                    }
                    text.push_str(" in ");
                    text.push_str(names[pick(names.len())]);
                    text.push_str(". ");
                }
                Article::new(format!("a{i}"), "", text).with_language(Language::English)
            })
            .collect()
    }

    /// The counters' lock, [`overlapping_articles`] and a pool of two
    /// threads.
    fn parallel_setup() -> (
        std::sync::MutexGuard<'static, ()>,
        Vec<Article>,
        rayon::ThreadPool,
    ) {
        let counting = COUNTING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        (counting, overlapping_articles(150), pool)
    }

    /// A clusterer with `threshold` and `anchor_weight` (at 0, a story's
    /// score is the better of its stem and anchor cosines).
    fn configured(threshold: f64, anchor_weight: f64, near_duplicate: f64) -> Clusterer {
        Clusterer::builder()
            .threshold(threshold)
            .anchor_weight(anchor_weight)
            .near_duplicate(near_duplicate)
            .build()
            .unwrap()
    }

    /// A plain `add` never shares its work with rayon's pool, even when
    /// called from inside it: a task holding a lock around `add` must not
    /// be handed another task waiting for that lock.
    #[test]
    fn add_stays_on_its_thread_inside_a_pool() {
        let (_counting, articles, pool) = parallel_setup();
        let shared = std::sync::Mutex::new(configured(0.9, 0.0, 0.5));
        // A batch first: `add` after it must not fork either.
        pool.install(|| shared.lock().unwrap().add_batch(articles[..20].to_vec()))
            .unwrap();
        let before = parallel_count();
        pool.install(|| {
            articles[20..].par_iter().for_each(|a| {
                shared.lock().unwrap().add(a.clone()).unwrap();
            });
        });
        assert_eq!(parallel_count(), before);
        assert_eq!(shared.lock().unwrap().len(), articles.len());
    }

    /// Stem cosines computed in parallel inside a pool decide as the ones
    /// computed in turn, and so do matches ranked in parallel: articles
    /// sharing names and words in varied sentences.
    #[test]
    fn parallel_stem_cosines_decide_as_one_thread() {
        let (_counting, articles, pool) = parallel_setup();
        let count =
            |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
        // At 0.9 most articles open stories and meet many; at 0.1 stories
        // grow and joins rank many members for their matches; at threshold
        // 0.6 and anchor weight 0.5, with near-duplicates at 0.95, the
        // stories scored over stems up front mix with stories whose stems do
        // not count (at near-duplicates 0.5, too few are scored over stems
        // to be shared out).
        for (threshold, anchor_weight, near_duplicate, counter) in [
            (0.9, 0.0, 0.5, &PARALLEL_SCORED),
            (0.9, 0.0, 0.5, &PARALLEL_ANCHORED),
            (0.1, 0.0, 0.5, &PARALLEL_MATCHED),
            (0.6, 0.5, 0.95, &PARALLEL_SCORED),
        ] {
            let config = || configured(threshold, anchor_weight, near_duplicate);
            let mut one = config();
            let expected: Vec<Assignment> = articles
                .iter()
                .map(|a| one.add(a.clone()).unwrap())
                .collect();
            let before = count(counter);
            let batch = pool.install(|| config().add_batch(articles.clone()).unwrap());
            assert!(count(counter) > before, "threshold {threshold}");
            assert_eq!(batch, expected, "threshold {threshold}");
        }
    }

    /// A batch refuses an id as `add` would at that point: one that the
    /// batch's own articles evict on the way may come again, one still in
    /// the index may not; a bad id's message gives its position.
    #[test]
    fn batch_ids_are_checked_as_adding_one_at_a_time_would() {
        const T: i64 = 1_700_000_000;
        const DAY: i64 = 86_400;
        let quake = |id: &str, t: i64| {
            Article::new(
                id,
                "Cutremur în Vrancea",
                format!("Un cutremur a lovit Vrancea. {id}"),
            )
            .with_published(t)
        };
        let indexed = || {
            let mut c = Clusterer::builder().retention_days(1).build().unwrap();
            c.add(quake("old", T)).unwrap();
            c.add(quake("x", T + 10)).unwrap();
            c
        };
        // "b" moves the clock five days on, which evicts "old" first.
        let batch = vec![
            quake("a", T + 5 * DAY),
            quake("b", T + 5 * DAY + 1),
            quake("old", T + 5 * DAY + 2),
        ];
        let mut one = indexed();
        let expected: Vec<Assignment> = batch.iter().map(|a| one.add(a.clone()).unwrap()).collect();
        let mut c = indexed();
        assert_eq!(c.add_batch(batch).unwrap(), expected);
        assert_eq!(c.len(), one.len());
        // Not evicted yet when it comes again: refused, and nothing added.
        let mut c = indexed();
        let early = vec![quake("a", T + 20), quake("old", T + 30)];
        let e = c.add_batch(early).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::DuplicateId(id) if id == "old"),
            "{e}"
        );
        assert_eq!(c.len(), 2);
        let e = c
            .add_batch(vec![quake("c", T + 40), quake("", T + 50)])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "limit exceeded: article 2 of 2 in the batch: article id is empty"
        );
        // The first article's error comes first, as adding in turn.
        let e = c
            .add_batch(vec![quake("x", T + 60), quake("", T + 70)])
            .unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::DuplicateId(id) if id == "x"),
            "{e}"
        );
    }

    /// Between articles in no known language stems do not count, and
    /// `explain` says so: its stem cosine is 0 and its score the anchors'.
    #[test]
    #[allow(clippy::float_cmp)] // Exactly: no stems, and the same cosine.
    fn explain_counts_no_stems_in_no_known_language() {
        let mut c = Clusterer::new();
        for id in ["u1", "u2"] {
            let text = "Qarnevo Drumkell Velmora tarsk ulvenni morrask 2031 tarsk ulvenni";
            c.add(Article::new(id, "", text).with_language(Language::Unknown))
                .unwrap();
        }
        let why = c.explain("u1", "u2").unwrap();
        assert_eq!(why.lexical_score, 0.0);
        assert_eq!(why.score, why.anchor_score);
        assert!(why.anchor_score > 0.9, "{why:?}");
    }

    /// `Debug` of a clusterer and of a story is a line, whatever the size
    /// of the index (it printed the whole index, megabytes for a few
    /// hundred articles).
    #[test]
    fn debug_output_does_not_grow_with_the_index() {
        let mut c = Clusterer::new();
        for a in overlapping_articles(400) {
            c.add(a).unwrap();
        }
        let whole = format!("{c:?}");
        assert!(whole.len() < 1_000, "{} bytes", whole.len());
        assert!(whole.contains("articles: 400"), "{whole}");
        let story = c.stories().max_by_key(StoryView::len).unwrap();
        assert!(story.len() > 1);
        let one = format!("{story:?}");
        assert!(one.len() < 200, "{one}");
        assert!(one.contains(&format!("len: {}", story.len())), "{one}");
    }

    /// Articles added one at a time after `reserve` take the assignments
    /// they take without it, and the band tables are not rebuilt on the way.
    #[test]
    fn reserve_saves_rebuilds_and_changes_no_assignment() {
        let articles = overlapping_articles(400);
        let mut grown = Clusterer::new();
        let first = grown.lsh.table_slots();
        let expected: Vec<Assignment> = articles
            .iter()
            .map(|a| grown.add(a.clone()).unwrap())
            .collect();
        assert!(grown.lsh.table_slots() > first, "the tables must grow");

        let mut reserved = Clusterer::new();
        reserved.reserve(0);
        assert_eq!(reserved.lsh.table_slots(), first);
        reserved.reserve(articles.len());
        let room = reserved.lsh.table_slots();
        let (early, late) = articles.split_at(articles.len() / 2);
        let mut got: Vec<Assignment> = early
            .iter()
            .map(|a| reserved.add(a.clone()).unwrap())
            .collect();
        // A reservation within the room left changes nothing.
        reserved.reserve(late.len());
        got.extend(late.iter().map(|a| reserved.add(a.clone()).unwrap()));
        assert_eq!(got, expected);
        assert_eq!(reserved.lsh.table_slots(), room);

        // `try_reserve` makes the same room and changes nothing either.
        let mut tried = Clusterer::new();
        tried.try_reserve(0).unwrap();
        assert_eq!(tried.lsh.table_slots(), first);
        tried.try_reserve(articles.len()).unwrap();
        assert_eq!(tried.lsh.table_slots(), room);
        let got: Vec<Assignment> = articles
            .iter()
            .map(|a| tried.add(a.clone()).unwrap())
            .collect();
        assert_eq!(got, expected);
        assert_eq!(tried.lsh.table_slots(), room);
    }

    /// Room for 2^32 articles (about 240 GB of article slots) is an error, not an
    /// abort, and the clusterer goes on as before. Checked only where the
    /// system refuses an allocation it cannot hold: Linux's default
    /// overcommit heuristic (or strict accounting) with less than 200 GiB
    /// of memory and swap; elsewhere the allocation could succeed on paper
    /// and the test would fill the machine's memory.
    #[test]
    fn try_reserve_reports_room_memory_cannot_hold() {
        let refuses = std::fs::read_to_string("/proc/sys/vm/overcommit_memory")
            .is_ok_and(|mode| matches!(mode.trim(), "0" | "2"));
        let total_kib: u64 = std::fs::read_to_string("/proc/meminfo").map_or(u64::MAX, |info| {
            info.lines()
                .filter(|l| l.starts_with("MemTotal:") || l.starts_with("SwapTotal:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum()
        });
        if !refuses || total_kib >= 200 << 20 {
            eprintln!("skipped: this system may promise memory it does not have");
            return;
        }
        let quake = |id: &str| Article::new(id, "", "Un cutremur a lovit Vrancea miercuri.");
        let mut c = Clusterer::new();
        let a = c.add(quake("a")).unwrap();
        let e = c.try_reserve(usize::MAX).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Limit(_)), "{e}");
        assert!(e.to_string().contains("more articles"), "{e}");
        let b = c.add(quake("b")).unwrap();
        assert_eq!((c.len(), a.story), (2, b.story));
    }

    #[test]
    fn low_near_duplicate_thresholds_keep_chance_candidates_rare() {
        // One-byte sketch values agree by chance 1 time in 256: one row a
        // band (what the S-curve fit alone picks at 0.05 and 0.1) would make
        // about a fifth of unrelated pairs candidates.
        // Fewer hash values: 2 rows with few bands pass too.
        let settings = [0.05, 0.1, 0.2, 0.3, 0.5, 0.9]
            .map(|j| (128, j))
            .into_iter()
            .chain([8, 16, 32].map(|k| (k, 0.3)));
        for (k, j) in settings {
            let c = Clusterer::builder()
                .num_hashes(k)
                .near_duplicate(j)
                .build()
                .unwrap();
            let p = c.lsh_params();
            let chance = crate::lsh::chance_candidates(p.bands(), p.rows());
            let setting = format!("{k} values at {j}: {} × {}", p.bands(), p.rows());
            assert!(chance <= 1e-4, "{setting} gives {chance}");
            assert!(k < 128 || p.rows() >= 3, "{setting}");
        }
        let free = LshParams::for_threshold_weighted(0.05, 128, 1.0, LSH_FN_WEIGHT).unwrap();
        assert_eq!(free.rows(), 1);
        // No banding passes with one value (the clusterer takes 8 or more):
        // one band of all of them.
        let p = LshParams::for_sketch_bytes(0.5, 1, 1.0, LSH_FN_WEIGHT).unwrap();
        assert_eq!((p.bands(), p.rows()), (1, 1));
        assert!(LshParams::for_sketch_bytes(1.5, 128, 1.0, 1.0).is_err());
        assert!(LshParams::for_sketch_bytes(0.5, 128, f64::INFINITY, 1.0).is_err());
    }

    #[test]
    fn default_banding_is_32_by_4() {
        let p = Clusterer::new().lsh_params();
        assert_eq!((p.bands(), p.rows()), (32, 4));
    }
}
