//! Compact forms of what the index keeps for every article: its term vectors
//! and its MinHash signature.
//!
//! An article's vectors are read back only when it leaves the index, when it
//! is compared with a new member of its story, or when it is explained;
//! scoring goes through the stories' centroids. So they are kept packed:
//! term-id gaps as LEB128 varints with one bit saying whether a count
//! follows (most terms occur once and need none), about 2 bytes a term where
//! `(u32, f32)` takes 8.
//!
//! The signature is kept as one byte per MinHash value (b-bit MinHash, Li &
//! König 2010): two equal values give equal bytes, two different ones
//! collide with probability 1/256, so the share of equal bytes estimates the
//! Jaccard similarity after a correction for those collisions, and the LSH
//! bands are hashed from the bytes. 128 bytes instead of 512 at K = 128.

use integer_encoding::VarInt;

use crate::features::damp;
use crate::minhash::Signature;

use super::Vector;

/// An article's anchor and stem vectors: `(term id, occurrences)` sorted by
/// term id, packed as varints: the number of anchors, then for each
/// `2 × gap + more` (its gap from the previous id; `more` is 1 when it
/// occurs more than once) and, when `more`, `occurrences − 2`; the same for
/// the stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PackedTerms<'a>(&'a [u8]);

/// Appends the varint of `n` to `out`.
fn put(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 10];
    let len = n.encode_var(&mut buf);
    out.extend_from_slice(&buf[..len]);
}

impl PackedTerms<'_> {
    /// Packs two vectors of `(term id, occurrences)`, each sorted by id
    /// without repetitions, onto the end of `out`.
    pub(super) fn pack_into(anchors: &[(u32, u32)], lexical: &[(u32, u32)], out: &mut Vec<u8>) {
        let mut put = |n: u64| put(out, n);
        for v in [anchors, lexical] {
            debug_assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
            debug_assert!(v.iter().all(|e| e.1 > 0));
            put(v.len() as u64);
            let mut last = 0;
            for &(t, n) in v {
                let gap = u64::from(t - std::mem::replace(&mut last, t));
                put(2 * gap + u64::from(n > 1));
                if n > 1 {
                    put(u64::from(n - 2));
                }
            }
        }
    }

    /// The anchor and stem vectors with damped term frequencies
    /// ([`damp`]), or `None` when the bytes are not a packing (only a
    /// damaged snapshot can hold such bytes).
    pub(super) fn unpack(&self) -> Option<(Vector, Vector)> {
        let (mut anchors, mut lexical) = (Vector::new(), Vector::new());
        self.unpack_into(&mut anchors, &mut lexical, true)
            .then_some((anchors, lexical))
    }

    /// [`unpack`](Self::unpack) into reused vectors, the stems only when
    /// `stems` (`lexical` is left empty otherwise); `false` when the bytes
    /// are not a packing.
    pub(super) fn unpack_into(
        &self,
        anchors: &mut Vector,
        lexical: &mut Vector,
        stems: bool,
    ) -> bool {
        lexical.clear();
        let mut rest = self.0;
        if read_into(&mut rest, anchors).is_none() {
            return false;
        }
        !stems || (read_into(&mut rest, lexical).is_some() && rest.is_empty())
    }
}

/// Reads one packed vector from the front of `rest` into `v`, advancing
/// `rest`.
fn read_into(rest: &mut &[u8], v: &mut Vector) -> Option<()> {
    v.clear();
    let len = usize::try_from(take(rest)?).ok()?;
    // Each term takes at least one byte: a length beyond that is damage,
    // not a reason to allocate.
    if len > rest.len() {
        return None;
    }
    v.reserve(len);
    let mut last: u32 = 0;
    for i in 0..len {
        let code = take(rest)?;
        let gap = u32::try_from(code >> 1).ok()?;
        // Ids strictly increase: only the first gap may be 0.
        if i > 0 && gap == 0 {
            return None;
        }
        last = last.checked_add(gap)?;
        let count = if code & 1 == 0 {
            1
        } else {
            u32::try_from(take(rest)?).ok()?.checked_add(2)?
        };
        v.push((last, damp(count)));
    }
    Some(())
}

/// Reads one varint from the front of `rest`, advancing it.
#[inline]
fn take(rest: &mut &[u8]) -> Option<u64> {
    // Most codes and counts fit one byte.
    if let Some((&b, tail)) = rest.split_first() {
        if b < 0x80 {
            *rest = tail;
            return Some(u64::from(b));
        }
    }
    let (n, len) = u64::decode_var(rest)?;
    *rest = &rest[len..];
    Some(n)
}

/// A MinHash signature reduced to one byte per value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sketch<'a>(&'a [u8]);

/// Chance that two different MinHash values give the same byte.
const COLLISION: f64 = 1.0 / 256.0;

/// One byte per value: the top byte of the value times an odd constant,
/// which depends on every bit of the value. (A minimum's own top bits lean
/// towards 0, so they would collide more often than 1 in 256.) The sketch
/// of an empty signature (no shingles) is kept empty, no bytes, so that it
/// stays unlike everything ([`ArticleData::new`]).
fn sketch_bytes(signature: &Signature) -> impl Iterator<Item = u8> + '_ {
    signature
        .as_slice()
        .iter()
        .map(|&v| (v.wrapping_mul(0x9E37_79B9) >> 24) as u8)
}

impl<'a> Sketch<'a> {
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
        let equal = self.0.iter().zip(other.0).filter(|(a, b)| a == b).count();
        let m = equal as f64 / self.0.len() as f64;
        ((m - COLLISION) / (1.0 - COLLISION)).clamp(0.0, 1.0)
    }

    /// The bytes, for the LSH bands: two articles share a band when the
    /// band's bytes are equal.
    pub(super) fn bytes(&self) -> &'a [u8] {
        self.0
    }
}

/// What the index keeps of an article's content, in one allocation: the
/// length of its [`Sketch`] (`u16` little-endian), the sketch, then its
/// [`PackedTerms`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct ArticleData(Box<[u8]>);

impl ArticleData {
    /// The sketch of `signature` and the packing of `anchors` and `lexical`
    /// ([`PackedTerms::pack_into`]).
    pub(super) fn new(
        signature: &Signature,
        anchors: &[(u32, u32)],
        lexical: &[(u32, u32)],
    ) -> ArticleData {
        // The signature of no shingles keeps no bytes ([`sketch_bytes`]).
        let k = if signature.is_empty() {
            0
        } else {
            signature.len()
        };
        let mut out = Vec::with_capacity(2 + k + 2 * (anchors.len() + lexical.len()) + 2);
        let k16 = u16::try_from(k).expect("at most 1,024 hash values");
        out.extend_from_slice(&k16.to_le_bytes());
        out.extend(sketch_bytes(signature).take(k));
        PackedTerms::pack_into(anchors, lexical, &mut out);
        ArticleData(out.into_boxed_slice())
    }

    /// The sketch and the packed terms; an empty sketch and no terms when
    /// the length does not fit (only a damaged snapshot can hold such
    /// bytes, and loading refuses them: [`ArticleData::is_framed`]).
    #[inline]
    fn split(&self) -> (&[u8], &[u8]) {
        self.frame().unwrap_or((&[], &[]))
    }

    /// The sketch and the packed terms, or `None` when the sketch length
    /// does not fit the bytes.
    #[inline]
    fn frame(&self) -> Option<(&[u8], &[u8])> {
        let (k, rest) = self.0.split_first_chunk::<2>()?;
        rest.split_at_checked(usize::from(u16::from_le_bytes(*k)))
    }

    /// Whether the sketch length fits the bytes.
    pub(super) fn is_framed(&self) -> bool {
        self.frame().is_some()
    }

    pub(super) fn sketch(&self) -> Sketch<'_> {
        Sketch(self.split().0)
    }

    pub(super) fn terms(&self) -> PackedTerms<'_> {
        PackedTerms(self.split().1)
    }

    /// Heap bytes.
    pub(super) fn bytes(&self) -> usize {
        self.0.len()
    }

    /// Unit tests only: any bytes, to stand for damaged data.
    #[cfg(test)]
    pub(super) fn from_bytes(bytes: &[u8]) -> ArticleData {
        ArticleData(bytes.into())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;

    /// Packed terms of `anchors` and `lexical`, owned.
    fn pack(anchors: &[(u32, u32)], lexical: &[(u32, u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        PackedTerms::pack_into(anchors, lexical, &mut out);
        out
    }

    #[test]
    fn terms_round_trip() {
        let anchors = [(0, 1), (7, 3), (4_000_000_000, 1)];
        let lexical = [(2, 2), (3, 1), (70_000, 200)];
        let (a, l) = PackedTerms(&pack(&anchors, &lexical)).unpack().unwrap();
        let expect =
            |v: &[(u32, u32)]| -> Vector { v.iter().map(|&(t, n)| (t, damp(n))).collect() };
        assert_eq!(a, expect(&anchors));
        assert_eq!(l, expect(&lexical));
        let (a, l) = PackedTerms(&pack(&[], &[])).unpack().unwrap();
        assert!(a.is_empty() && l.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_vectors_round_trip(
            anchors in proptest::collection::btree_map(proptest::num::u32::ANY, 1u32.., 0..40),
            lexical in proptest::collection::btree_map(proptest::num::u32::ANY, 1u32.., 0..200),
        ) {
            let a: Vec<(u32, u32)> = anchors.into_iter().collect();
            let l: Vec<(u32, u32)> = lexical.into_iter().collect();
            let bytes = pack(&a, &l);
            let packed = PackedTerms(&bytes);
            let expect = |v: &[(u32, u32)]| -> Vector { v.iter().map(|&(t, n)| (t, damp(n))).collect() };
            proptest::prop_assert_eq!(packed.unpack(), Some((expect(&a), expect(&l))));
            // Anchors alone: stale stems in the buffer are cleared.
            let (mut anchors, mut stems) = (vec![(1, 1.0)], vec![(2, 1.0)]);
            proptest::prop_assert!(packed.unpack_into(&mut anchors, &mut stems, false));
            proptest::prop_assert_eq!(anchors, expect(&a));
            proptest::prop_assert!(stems.is_empty());
        }

        #[test]
        fn any_bytes_unpack_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let packed = PackedTerms(&bytes);
            let _ = packed.unpack();
            let _ = packed.unpack_into(&mut Vector::new(), &mut Vector::new(), false);
        }
    }

    #[test]
    fn packed_terms_are_small() {
        // 120 terms spread over a million ids: gaps of about 8,000 take 2
        // bytes with their flag; a count of 1 takes none, a count of 2..129
        // one byte.
        let terms: Vec<(u32, u32)> = (0..120).map(|i| (i * 8_000 + 5, 1)).collect();
        let packed = pack(&terms[..20], &terms[20..]);
        assert!(packed.len() <= 2 * 120 + 2, "{} bytes", packed.len());
        let twice: Vec<(u32, u32)> = terms.iter().map(|&(t, _)| (t, 2)).collect();
        let packed = pack(&twice[..20], &twice[20..]);
        assert!(packed.len() <= 3 * 120 + 2, "{} bytes", packed.len());
    }

    #[test]
    fn damaged_terms_are_refused() {
        // An unfinished varint, a repeated id (a zero gap after the first),
        // a length beyond the bytes, trailing bytes, a missing count, a
        // count beyond 2^32, a gap beyond 2^32.
        assert_eq!(PackedTerms(&[0xff; 3]).unpack(), None);
        assert_eq!(PackedTerms(&[2, 10, 0, 0]).unpack(), None);
        assert_eq!(PackedTerms(&[200, 10, 0]).unpack(), None);
        assert_eq!(PackedTerms(&[1, 10, 0, 9]).unpack(), None);
        assert_eq!(PackedTerms(&[1, 11]).unpack(), None);
        let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
        let mut big_count = vec![1, 11];
        big_count.extend(huge);
        big_count.push(0);
        assert_eq!(PackedTerms(&big_count).unpack(), None);
        let mut big_gap = vec![1, 0xfe];
        big_gap.extend(huge);
        big_gap.push(0);
        assert_eq!(PackedTerms(&big_gap).unpack(), None);
        // Anchor 5 once; stem 3 three times (code 7, then 3 − 2).
        let good = PackedTerms(&[1, 10, 1, 7, 1]);
        assert_eq!(good.unpack(), Some((vec![(5, 1.0)], vec![(3, damp(3))])));
        let (mut anchors, mut stems) = (Vector::new(), vec![(9, 2.0)]);
        assert!(good.unpack_into(&mut anchors, &mut stems, false));
        assert_eq!((anchors, stems), (vec![(5, 1.0)], vec![]));
    }

    fn sketch(hasher: &MinHasher, set: std::ops::Range<u64>) -> ArticleData {
        let items: Vec<u64> = set.map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D)).collect();
        ArticleData::new(&hasher.signature(&items), &[(3, 1)], &[(1, 2), (9, 1)])
    }

    #[test]
    fn sketch_estimates_jaccard() {
        let hasher = MinHasher::builder()
            .num_hashes(128)
            .seed(7)
            .build()
            .unwrap();
        let data = sketch(&hasher, 0..1000);
        let a = data.sketch();
        assert_eq!(a.jaccard(&a), 1.0);
        assert_eq!(a.len(), 128);
        // The terms after the sketch are intact.
        let terms = data.terms().unpack().unwrap();
        assert_eq!(terms, (vec![(3, 1.0)], vec![(1, damp(2)), (9, 1.0)]));
        // Disjoint sets: only chance collisions, corrected to about 0.
        let far = a.jaccard(&sketch(&hasher, 5000..6000).sketch());
        assert!(far < 0.05, "{far}");
        // |A ∩ B| / |A ∪ B| = 600 / 1400.
        let j = a.jaccard(&sketch(&hasher, 400..1400).sketch());
        assert!((j - 600.0 / 1400.0).abs() < 0.15, "{j}");
        let none = ArticleData::new(&hasher.signature(&[]), &[], &[(4, 1)]);
        let empty = none.sketch();
        assert_eq!(empty.len(), 0);
        assert_eq!(a.jaccard(&empty), 0.0);
        assert_eq!(empty.jaccard(&empty), 0.0);
        assert_eq!(none.terms().unpack(), Some((vec![], vec![(4, 1.0)])));
    }

    #[test]
    fn unframed_data_reads_as_empty() {
        // A sketch length beyond the bytes, or no length at all.
        for bytes in [&[200u8, 0, 1, 2][..], &[], &[0x80]] {
            let d = ArticleData::from_bytes(bytes);
            assert!(!d.is_framed());
            assert_eq!(d.sketch().len(), 0);
            assert_eq!(d.terms().unpack(), None);
        }
        assert!(ArticleData::from_bytes(&[2, 0, 7, 7, 0, 0]).is_framed());
    }

    #[test]
    fn sketch_bytes_are_spread() {
        // Small values (the minima of large sets) must not all share a byte.
        let values: Vec<u32> = (0..256).collect();
        let s: std::collections::BTreeSet<u8> =
            sketch_bytes(&Signature::from_vec(values)).collect();
        let distinct = s;
        assert!(distinct.len() > 150, "{}", distinct.len());
    }
}
