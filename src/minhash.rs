//! MinHash signatures: one-permutation hashing with optimal densification.
//!
//! A [`MinHasher`] turns the 64-bit hashes of a document's shingles into a
//! [`Signature`] of `K` 32-bit values whose position-wise agreement estimates
//! the Jaccard similarity of two shingle sets.
//!
//! # Algorithm
//!
//! Classic MinHash evaluates `K` hash functions per shingle, `O(n·K)`. This
//! module uses one-permutation hashing (OPH): each shingle hash is mixed once
//! with the seed; the high 32 bits pick one of `K` bins, the low 32 bits are
//! the value, and each bin keeps its minimum. Bins that no shingle reached are
//! filled by optimal densification (Shrivastava 2017, "Optimal densification
//! for fast and accurate minwise hashing"; see also Mai et al. 2020): an empty
//! bin `i` probes bins `j = g(i, 1), g(i, 2), …` from a fixed seeded sequence
//! and copies the value of the first bin that was non-empty *before*
//! densification. The cost is `O(n + K)` when `n ≳ K`; for tiny documents the
//! densification takes about `K²/m` cheap probes for `m` non-empty bins (and
//! `K` when `m = 1`). The estimate is unbiased and its variance is at most that
//! of `K` independent permutations.
//!
//! # Stability
//!
//! Signatures are meant to be stored. For a given `num_hashes` and `seed` the
//! output of [`MinHasher::signature`] depends only on the *set* of input
//! hashes, and never changes between versions of this crate (a change would be
//! a breaking release) or platforms: it uses only wrapping integer arithmetic
//! defined in this file. The test vectors at the bottom of this file pin it.
//! [`hash_bytes`] is xxh3-64, whose output its authors promise to keep stable,
//! and [`shingle_hash`] is the fixed mixing function documented on it.

// "MinHash" and "MurmurHash3" are names, not code: no backticks.
#![allow(clippy::doc_markdown)]

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The default number of hash values in a signature.
pub const DEFAULT_NUM_HASHES: usize = 128;

/// The largest supported number of hash values in a signature.
pub const MAX_NUM_HASHES: usize = 1024;

/// The default seed of a [`MinHasher`].
pub const DEFAULT_SEED: u64 = 0x5354_4f52_5943_4c53; // "STORYCLS"

/// The value that marks a bin as empty. A non-empty signature never contains it.
const EMPTY: u32 = u32::MAX;

/// Seed folded into every [`shingle_hash`], so that shingle hashes do not
/// coincide with token hashes.
const SHINGLE_SEED: u64 = 0x9E37_79B9_7F4A_7C15;
/// Odd multiplier of the shingle mixing chain (from xxh64's `PRIME64_2`).
const SHINGLE_MUL: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// Hashes bytes with xxh3-64 and a seed.
///
/// This is `xxhash_rust::xxh3::xxh3_64_with_seed`; its output is stable across
/// versions and platforms, so hashes of tokens may be stored. Seed `0` gives
/// plain `xxh3_64`.
///
/// # Examples
///
/// ```
/// use story_cluster::minhash::hash_bytes;
///
/// assert_eq!(hash_bytes(b"nato", 0), hash_bytes(b"nato", 0));
/// assert_ne!(hash_bytes(b"nato", 0), hash_bytes(b"nato", 1));
/// ```
#[inline]
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(bytes, seed)
}

/// Combines the hashes of consecutive tokens into the hash of their shingle.
///
/// This lets a caller hash every token once (for example with
/// [`hash_bytes`]) and build word n-shingle hashes without materialising the
/// shingle strings. The function is fixed and stable:
///
/// ```text
/// acc = SHINGLE_SEED ^ (len × SHINGLE_MUL)            (wrapping)
/// for t in token_hashes: acc = (rotl(acc, 27) ^ t) × SHINGLE_MUL
/// result = fmix64(acc)                                 (MurmurHash3's finaliser)
/// ```
///
/// with `SHINGLE_SEED = 0x9E3779B97F4A7C15` and
/// `SHINGLE_MUL = 0xC2B2AE3D27D4EB4F`. It is order-sensitive and includes the
/// length, so `[a, b]`, `[b, a]` and `[a, b, c]` give different hashes. Two
/// shingles hash equal exactly when their token hash sequences are equal
/// (up to 64-bit collisions).
///
/// # Examples
///
/// ```
/// use story_cluster::minhash::{hash_bytes, shingle_hash};
///
/// let t: Vec<u64> = ["mark", "rutte", "nato"].iter().map(|w| hash_bytes(w.as_bytes(), 0)).collect();
/// assert_ne!(shingle_hash(&t), shingle_hash(&[t[1], t[0], t[2]]));
/// ```
#[inline]
pub fn shingle_hash(token_hashes: &[u64]) -> u64 {
    let mut acc = SHINGLE_SEED ^ (token_hashes.len() as u64).wrapping_mul(SHINGLE_MUL);
    for &t in token_hashes {
        acc = (acc.rotate_left(27) ^ t).wrapping_mul(SHINGLE_MUL);
    }
    fmix64(acc)
}

/// Appends the hashes of the word `n`-shingles of a token hash sequence to `out`.
///
/// Every window of `n` consecutive tokens gives [`shingle_hash`] of the
/// window. A sequence shorter than `n` (but not empty) gives one shingle made
/// of all its tokens, so that short texts still have a signature; an empty
/// sequence gives nothing. `n = 0` is treated as `n = 1`.
///
/// # Examples
///
/// ```
/// use story_cluster::minhash::{shingle_hashes_into, shingle_hash};
///
/// let mut out = Vec::new();
/// shingle_hashes_into(&[1, 2, 3, 4], 3, &mut out);
/// assert_eq!(out, [shingle_hash(&[1, 2, 3]), shingle_hash(&[2, 3, 4])]);
/// out.clear();
/// shingle_hashes_into(&[1, 2], 3, &mut out);
/// assert_eq!(out, [shingle_hash(&[1, 2])]);
/// ```
pub fn shingle_hashes_into(token_hashes: &[u64], n: usize, out: &mut Vec<u64>) {
    let n = n.max(1);
    if token_hashes.is_empty() {
        return;
    }
    if token_hashes.len() < n {
        out.push(shingle_hash(token_hashes));
        return;
    }
    if n == 3 {
        // The common case, unrolled by the compiler with a fixed length.
        out.extend(
            token_hashes
                .windows(3)
                .map(|w| shingle_hash(&[w[0], w[1], w[2]])),
        );
    } else {
        out.extend(token_hashes.windows(n).map(shingle_hash));
    }
}

/// MurmurHash3's 64-bit finaliser: a fixed bijection with good avalanche.
#[inline]
fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^ (x >> 33)
}

/// Maps a 32-bit value uniformly onto `0..k` (Lemire's multiply-shift).
#[inline]
fn fast_range(x: u32, k: usize) -> usize {
    ((u64::from(x) * k as u64) >> 32) as usize
}

/// A MinHash signature: `len()` 32-bit values.
///
/// Two signatures from the same [`MinHasher`] estimate the Jaccard
/// similarity of their shingle sets by [`Signature::jaccard`].
///
/// A signature of an empty shingle set is *empty* ([`Signature::is_empty`]):
/// it has the usual length, every value is `u32::MAX` (a value no non-empty
/// signature contains), and its similarity to anything, itself and other
/// empty signatures included, is `0`. Short texts without shingles therefore
/// never look alike.
///
/// Serialises as a plain array of numbers.
///
/// Memory: `4 × len()` bytes plus a `Vec` header.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Signature {
    values: Vec<u32>,
}

impl Signature {
    /// Wraps stored values, for example read back from a database.
    pub fn from_vec(values: Vec<u32>) -> Self {
        Signature { values }
    }

    /// The empty signature with `len` values (see the type's docs).
    pub fn empty(len: usize) -> Self {
        Signature {
            values: vec![EMPTY; len],
        }
    }

    /// The hash values.
    pub fn as_slice(&self) -> &[u32] {
        &self.values
    }

    /// Consumes the signature, returning its values.
    pub fn into_vec(self) -> Vec<u32> {
        self.values
    }

    /// The number of hash values (the hasher's `num_hashes`), also for an
    /// empty signature.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether this is the signature of an empty shingle set.
    ///
    /// Note that this is not `len() == 0`: an empty signature still has
    /// `num_hashes` values, all `u32::MAX`. A zero-length signature also
    /// counts as empty.
    pub fn is_empty(&self) -> bool {
        self.values.first().is_none_or(|&v| v == EMPTY)
    }

    /// Estimates the Jaccard similarity: the fraction of positions whose
    /// values are equal.
    ///
    /// Returns `0.0` when either signature is empty.
    ///
    /// # Panics
    ///
    /// Panics if the signatures have different lengths, which means they come
    /// from differently configured hashers.
    ///
    /// # Examples
    ///
    /// ```
    /// use story_cluster::minhash::MinHasher;
    ///
    /// let h = MinHasher::new();
    /// let a = h.signature(&[1, 2, 3, 4]);
    /// assert_eq!(a.jaccard(&a), 1.0);
    /// let empty = h.signature(&[]);
    /// assert_eq!(empty.jaccard(&empty), 0.0);
    /// ```
    pub fn jaccard(&self, other: &Signature) -> f64 {
        assert_eq!(
            self.len(),
            other.len(),
            "signatures of different lengths ({} and {}) cannot be compared",
            self.len(),
            other.len()
        );
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let equal = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / self.len() as f64
    }
}

/// Configuration of a [`MinHasher`], validated by [`MinHasherBuilder::build`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinHasherBuilder {
    num_hashes: usize,
    seed: u64,
}

impl Default for MinHasherBuilder {
    fn default() -> Self {
        MinHasherBuilder {
            num_hashes: DEFAULT_NUM_HASHES,
            seed: DEFAULT_SEED,
        }
    }
}

impl MinHasherBuilder {
    /// Sets the number of hash values per signature, `K` (default 128).
    ///
    /// The standard error of the Jaccard estimate is about
    /// `sqrt(J(1-J)/K)`: 0.044 at `J = 0.5`, `K = 128`.
    #[must_use]
    pub fn num_hashes(mut self, num_hashes: usize) -> Self {
        self.num_hashes = num_hashes;
        self
    }

    /// Sets the seed (default [`DEFAULT_SEED`]). Signatures are comparable
    /// only when made with the same seed and `num_hashes`.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Builds the hasher.
    ///
    /// # Errors
    ///
    /// Returns a configuration error if `num_hashes` is not in
    /// `1..=`[`MAX_NUM_HASHES`].
    ///
    /// # Examples
    ///
    /// ```
    /// use story_cluster::minhash::MinHasher;
    ///
    /// let h = MinHasher::builder().num_hashes(64).seed(7).build()?;
    /// assert_eq!(h.signature(&[1, 2, 3]).len(), 64);
    /// assert!(MinHasher::builder().num_hashes(0).build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<MinHasher> {
        check_num_hashes(self.num_hashes)?;
        Ok(MinHasher::from_parts(self.num_hashes, self.seed))
    }
}

/// A configuration error unless `num_hashes` is in `1..=`[`MAX_NUM_HASHES`]:
/// the one bound for signatures and for the LSH parameters over them.
pub(crate) fn check_num_hashes(num_hashes: usize) -> Result<()> {
    if (1..=MAX_NUM_HASHES).contains(&num_hashes) {
        return Ok(());
    }
    Err(Error::config(format!(
        "num_hashes ({num_hashes}) must be between 1 and {MAX_NUM_HASHES}"
    )))
}

/// Computes MinHash signatures by one-permutation hashing with optimal
/// densification (see the module docs).
///
/// Cheap to clone, `Send + Sync`; one hasher can serve all threads.
///
/// # Examples
///
/// ```
/// use story_cluster::minhash::{hash_bytes, shingle_hashes_into, MinHasher};
///
/// let h = MinHasher::new();
/// let tokens = |s: &str| s.split(' ').map(|w| hash_bytes(w.as_bytes(), 0)).collect::<Vec<_>>();
/// let (mut a, mut b) = (Vec::new(), Vec::new());
/// shingle_hashes_into(&tokens("nato chief mark rutte said on monday"), 3, &mut a);
/// shingle_hashes_into(&tokens("nato chief mark rutte said on tuesday"), 3, &mut b);
/// let j = h.signature(&a).jaccard(&h.signature(&b));
/// assert!(j > 0.4 && j < 1.0, "{j}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinHasher {
    num_hashes: usize,
    seed: u64,
    input_key: u64,
    probe_key: u64,
}

impl Default for MinHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl MinHasher {
    /// A hasher with the defaults: 128 hash values, [`DEFAULT_SEED`].
    pub fn new() -> Self {
        MinHasher::from_parts(DEFAULT_NUM_HASHES, DEFAULT_SEED)
    }

    /// Builds a hasher from an already validated configuration.
    fn from_parts(num_hashes: usize, seed: u64) -> Self {
        MinHasher {
            num_hashes,
            seed,
            // Two derived keys: one whitens the input hashes, one drives the
            // densification probe sequence.
            input_key: fmix64(seed ^ 0x243F_6A88_85A3_08D3),
            probe_key: fmix64(seed ^ 0x1319_8A2E_0370_7344),
        }
    }

    /// A builder to set `num_hashes` and `seed`.
    pub fn builder() -> MinHasherBuilder {
        MinHasherBuilder::default()
    }

    /// The number of values per signature.
    pub fn num_hashes(&self) -> usize {
        self.num_hashes
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The signature of a set of 64-bit shingle hashes.
    ///
    /// Order and repetitions in `hashes` do not matter. An empty slice gives
    /// the empty signature ([`Signature::is_empty`]).
    pub fn signature(&self, hashes: &[u64]) -> Signature {
        let mut sig = Signature::default();
        self.signature_into(hashes, &mut sig);
        sig
    }

    /// Like [`MinHasher::signature`], but writes into `out`, reusing its
    /// allocation.
    ///
    /// # Examples
    ///
    /// ```
    /// use story_cluster::minhash::{MinHasher, Signature};
    ///
    /// let h = MinHasher::new();
    /// let mut sig = Signature::default();
    /// h.signature_into(&[10, 20, 30], &mut sig);
    /// assert_eq!(sig, h.signature(&[30, 20, 10, 10]));
    /// ```
    pub fn signature_into(&self, hashes: &[u64], out: &mut Signature) {
        let k = self.num_hashes;
        let vals = &mut out.values;
        vals.clear();
        vals.resize(k, EMPTY);
        // One-permutation hashing: one mix per input hash. The high half
        // picks the bin, the low half is the value, capped below the EMPTY
        // marker (a 2^-32 event, negligible for the estimate).
        for &h in hashes {
            let x = fmix64(h ^ self.input_key);
            let bin = fast_range((x >> 32) as u32, k);
            let v = (x as u32).min(EMPTY - 1);
            // Branch-free: early on the comparison is a coin flip.
            vals[bin] = vals[bin].min(v);
        }
        self.densify(vals);
    }

    /// Optimal densification: fills every empty bin from the first
    /// originally non-empty bin of its seeded probe sequence.
    fn densify(&self, vals: &mut [u32]) {
        let k = vals.len();
        // Which bins were filled by hashing; K <= 1024 fits in 16 words.
        let mut full = [0u64; MAX_NUM_HASHES / 64];
        let mut filled = 0usize;
        let mut last = 0usize;
        for (i, &v) in vals.iter().enumerate() {
            if v != EMPTY {
                full[i / 64] |= 1 << (i % 64);
                filled += 1;
                last = i;
            }
        }
        if filled == k || filled == 0 {
            // Complete, or the empty signature.
            return;
        }
        if filled == 1 {
            // Every probe sequence ends at the only non-empty bin.
            let v = vals[last];
            vals.fill(v);
            return;
        }
        for i in 0..k {
            if full[i / 64] & (1 << (i % 64)) != 0 {
                continue;
            }
            let base = self.probe_key ^ ((i as u64) << 32);
            let mut attempt: u64 = 1;
            loop {
                let j = fast_range(fmix64(base ^ attempt) as u32, k);
                if full[j / 64] & (1 << (j % 64)) != 0 {
                    vals[i] = vals[j];
                    break;
                }
                attempt += 1;
            }
        }
    }
}

#[cfg(test)]
// The estimates compared here are exact by construction (0 or 1).
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(|x| hash_bytes(&x.to_le_bytes(), 0)).collect()
    }

    #[test]
    fn rejects_bad_num_hashes() {
        let e = MinHasher::builder().num_hashes(0).build().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid configuration: num_hashes (0) must be between 1 and 1024"
        );
        assert!(MinHasher::builder().num_hashes(1025).build().is_err());
        assert!(MinHasher::builder().num_hashes(1024).build().is_ok());
        assert!(MinHasher::builder().num_hashes(1).build().is_ok());
    }

    #[test]
    fn empty_signature_matches_nothing() {
        let h = MinHasher::new();
        let e = h.signature(&[]);
        assert!(e.is_empty());
        assert_eq!(e.len(), 128);
        assert_eq!(e, Signature::empty(128));
        assert_eq!(e.jaccard(&e), 0.0);
        let a = h.signature(&[42]);
        assert!(!a.is_empty());
        assert_eq!(a.jaccard(&e), 0.0);
        assert_eq!(e.jaccard(&a), 0.0);
        assert_eq!(a.jaccard(&a), 1.0);
    }

    #[test]
    fn single_shingle_fills_every_bin() {
        let h = MinHasher::new();
        let s = h.signature(&[7]);
        assert!(s.as_slice().iter().all(|&v| v == s.as_slice()[0]));
    }

    #[test]
    fn buffer_reuse_gives_same_result() {
        let h = MinHasher::new();
        let mut sig = h.signature(&set(0..500));
        h.signature_into(&set(3..9), &mut sig);
        assert_eq!(sig, h.signature(&set(3..9)));
        h.signature_into(&[], &mut sig);
        assert!(sig.is_empty());
    }

    #[test]
    fn seeds_differ() {
        let a = MinHasher::builder().seed(1).build().unwrap();
        let b = MinHasher::builder().seed(2).build().unwrap();
        let s = set(0..100);
        assert!(a.signature(&s).jaccard(&b.signature(&s)) < 0.2);
    }

    #[test]
    fn serde_round_trip() {
        let h = MinHasher::builder().num_hashes(4).build().unwrap();
        let s = h.signature(&[1, 2, 3]);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with('['));
        let back: Signature = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn shingles_of_short_and_empty_sequences() {
        let mut out = Vec::new();
        shingle_hashes_into(&[], 3, &mut out);
        assert!(out.is_empty());
        shingle_hashes_into(&[5], 3, &mut out);
        assert_eq!(out, [shingle_hash(&[5])]);
        assert_ne!(shingle_hash(&[5]), shingle_hash(&[5, 5]));
        assert_ne!(shingle_hash(&[1, 2, 3]), shingle_hash(&[3, 2, 1]));
    }

    /// Pins the output: stored signatures must stay valid across versions.
    #[test]
    fn test_vectors() {
        assert_eq!(hash_bytes(b"", 0), 0x2D06_8005_38D3_94C2);
        assert_eq!(hash_bytes(b"nato", 0), PIN_NATO);
        let tokens: Vec<u64> = ["mark", "rutte", "nato"]
            .iter()
            .map(|w| hash_bytes(w.as_bytes(), 0))
            .collect();
        assert_eq!(shingle_hash(&tokens), PIN_SHINGLE);
        let h = MinHasher::builder().num_hashes(8).build().unwrap();
        assert_eq!(
            h.signature(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).as_slice(),
            PIN_SIG10
        );
        assert_eq!(h.signature(&[1, 2]).as_slice(), PIN_SIG2);
        let d = MinHasher::new().signature(&set(0..1000));
        assert_eq!(&d.as_slice()[..4], PIN_DEFAULT_1000);
    }

    const PIN_NATO: u64 = 0xd445_c499_1591_ba38;
    const PIN_SHINGLE: u64 = 0x740a_89dc_a16d_748b;
    const PIN_SIG10: &[u32] = &[
        1_322_379_427,
        2_367_878_011,
        849_586_826,
        54_393_797,
        1_548_563_226,
        2_367_878_011,
        3_531_523_437,
        4_053_149_332,
    ];
    const PIN_SIG2: &[u32] = &[
        1_322_379_427,
        3_531_523_437,
        1_322_379_427,
        3_531_523_437,
        3_531_523_437,
        1_322_379_427,
        3_531_523_437,
        3_531_523_437,
    ];
    const PIN_DEFAULT_1000: &[u32] = &[303_911_577, 402_728_483, 2_061_378_556, 355_990_686];
}
