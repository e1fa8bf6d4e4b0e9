//! Compact forms of what the index keeps for every article: its term vectors
//! and its MinHash signature.
//!
//! An article's vectors are read back only when it leaves the index, when it
//! is compared with a new member of its story, or when it is explained;
//! scoring goes through the stories' centroids. So they are kept packed:
//! term-id gaps and occurrence counts as varints (postcard's encoding), about
//! 3 bytes a term where `(u32, f32)` takes 8.
//!
//! The signature is kept as one byte per MinHash value (b-bit MinHash, Li &
//! König 2010): two equal values give equal bytes, two different ones
//! collide with probability 1/256, so the share of equal bytes estimates the
//! Jaccard similarity after a correction for those collisions, and the LSH
//! bands are hashed from the bytes. 128 bytes instead of 512 at K = 128.

use crate::features::damp;
use crate::minhash::Signature;

use super::Vector;

/// An article's anchor and stem vectors: `(term id, occurrences)` sorted by
/// term id, packed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct PackedTerms(Box<[u8]>);

/// Gaps between successive term ids, with each term's count.
type Gaps = Vec<(u32, u32)>;

impl PackedTerms {
    /// Packs two vectors of `(term id, occurrences)`, each sorted by id
    /// without repetitions.
    pub(super) fn pack(anchors: &[(u32, u32)], lexical: &[(u32, u32)]) -> PackedTerms {
        let gaps = |v: &[(u32, u32)]| -> Gaps {
            debug_assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
            let mut last = 0;
            v.iter()
                .map(|&(t, n)| (t - std::mem::replace(&mut last, t), n))
                .collect()
        };
        let bytes = postcard::to_allocvec(&(gaps(anchors), gaps(lexical)))
            .expect("a pair of integer vectors always serialises");
        PackedTerms(bytes.into_boxed_slice())
    }

    /// The anchor and stem vectors with damped term frequencies
    /// ([`damp`]), or `None` when the bytes are not a packing (only a
    /// damaged snapshot can hold such bytes).
    pub(super) fn unpack(&self) -> Option<(Vector, Vector)> {
        let (anchors, lexical): (Gaps, Gaps) = postcard::from_bytes(&self.0).ok()?;
        let ids = |gaps: Gaps| -> Option<Vector> {
            let mut last: u32 = 0;
            gaps.into_iter()
                .enumerate()
                .map(|(i, (gap, n))| {
                    // Ids strictly increase: only the first gap may be 0.
                    if i > 0 && gap == 0 {
                        return None;
                    }
                    last = last.checked_add(gap)?;
                    Some((last, damp(n)))
                })
                .collect()
        };
        Some((ids(anchors)?, ids(lexical)?))
    }

    /// Heap bytes.
    pub(super) fn bytes(&self) -> usize {
        self.0.len()
    }
}

/// A MinHash signature reduced to one byte per value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Sketch(Box<[u8]>);

/// Chance that two different MinHash values give the same byte.
const COLLISION: f64 = 1.0 / 256.0;

impl Sketch {
    /// One byte per value: the top byte of the value times an odd constant,
    /// which depends on every bit of the value. (A minimum's own top bits
    /// lean towards 0, so they would collide more often than 1 in 256.)
    /// The sketch of an empty signature is empty (no bytes), so that it
    /// stays unlike everything.
    pub(super) fn of(signature: &Signature) -> Sketch {
        if signature.is_empty() {
            return Sketch(Box::new([]));
        }
        Sketch(
            signature
                .as_slice()
                .iter()
                .map(|&v| (v.wrapping_mul(0x9E37_79B9) >> 24) as u8)
                .collect(),
        )
    }

    /// Number of values (0 for the sketch of an empty signature).
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Estimated Jaccard similarity of the two shingle sets: the share `m`
    /// of equal bytes, less the chance collisions, `(m − c) / (1 − c)` with
    /// `c = 1/256`, clamped to `[0, 1]`. 0 when either sketch is empty.
    ///
    /// # Panics
    ///
    /// Panics if the sketches have different non-zero lengths.
    pub(super) fn jaccard(&self, other: &Sketch) -> f64 {
        if self.0.is_empty() || other.0.is_empty() {
            return 0.0;
        }
        assert_eq!(self.0.len(), other.0.len(), "sketches of different lengths");
        let equal = self.0.iter().zip(&*other.0).filter(|(a, b)| a == b).count();
        let m = equal as f64 / self.0.len() as f64;
        ((m - COLLISION) / (1.0 - COLLISION)).clamp(0.0, 1.0)
    }

    /// The bytes as a signature of small values, for the LSH bands: two
    /// articles share a band when the band's bytes are equal.
    pub(super) fn as_signature(&self) -> Signature {
        Signature::from_vec(self.0.iter().map(|&b| u32::from(b)).collect())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;

    #[test]
    fn terms_round_trip() {
        let anchors = [(0, 1), (7, 3), (4_000_000_000, 1)];
        let lexical = [(2, 2), (3, 1), (70_000, 200)];
        let (a, l) = PackedTerms::pack(&anchors, &lexical).unpack().unwrap();
        let expect = |v: &[(u32, u32)]| -> Vector { v.iter().map(|&(t, n)| (t, damp(n))).collect() };
        assert_eq!(a, expect(&anchors));
        assert_eq!(l, expect(&lexical));
        let (a, l) = PackedTerms::pack(&[], &[]).unpack().unwrap();
        assert!(a.is_empty() && l.is_empty());
    }

    #[test]
    fn packed_terms_are_small() {
        // 120 terms spread over a million ids: gaps of about 8,000 take 2
        // bytes, counts of 1 one byte.
        let terms: Vec<(u32, u32)> = (0..120).map(|i| (i * 8_000 + 5, 1)).collect();
        let packed = PackedTerms::pack(&terms[..20], &terms[20..]);
        assert!(packed.bytes() <= 3 * 120 + 4, "{} bytes", packed.bytes());
    }

    #[test]
    fn damaged_terms_are_refused() {
        // Not postcard at all, and a repeated id (a zero gap after the first).
        assert_eq!(PackedTerms(Box::new([0xff; 3])).unpack(), None);
        let repeated = postcard::to_allocvec(&(vec![(5u32, 1u32), (0, 1)], Gaps::new())).unwrap();
        assert_eq!(PackedTerms(repeated.into_boxed_slice()).unpack(), None);
    }

    fn sketch(hasher: &MinHasher, set: std::ops::Range<u64>) -> Sketch {
        let items: Vec<u64> = set.map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D)).collect();
        Sketch::of(&hasher.signature(&items))
    }

    #[test]
    fn sketch_estimates_jaccard() {
        let hasher = MinHasher::builder().num_hashes(128).seed(7).build().unwrap();
        let a = sketch(&hasher, 0..1000);
        assert_eq!(a.jaccard(&a), 1.0);
        assert_eq!(a.len(), 128);
        // Disjoint sets: only chance collisions, corrected to about 0.
        let far = a.jaccard(&sketch(&hasher, 5000..6000));
        assert!(far < 0.05, "{far}");
        // |A ∩ B| / |A ∪ B| = 600 / 1400.
        let j = a.jaccard(&sketch(&hasher, 400..1400));
        assert!((j - 600.0 / 1400.0).abs() < 0.15, "{j}");
        let empty = Sketch::of(&hasher.signature(&[]));
        assert_eq!(empty.len(), 0);
        assert_eq!(a.jaccard(&empty), 0.0);
        assert_eq!(empty.jaccard(&empty), 0.0);
    }

    #[test]
    fn sketch_bytes_are_spread() {
        // Small values (the minima of large sets) must not all share a byte.
        let values: Vec<u32> = (0..256).collect();
        let s = Sketch::of(&Signature::from_vec(values));
        let distinct: std::collections::BTreeSet<u8> = s.0.iter().copied().collect();
        assert!(distinct.len() > 150, "{}", distinct.len());
    }
}
