//! Compact forms of what the index keeps for every article (its term vectors
//! and its MinHash signature) and for every story (its centroids' term sums,
//! [`TermSums`]).
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

/// Fewest distinct values a sketch needs before its Jaccard estimate may
/// decide that two articles are near-duplicates (for a sketch of fewer than
/// twice as many values: half its values).
///
/// A short text has few shingles (one, for a text of up to two stems), and
/// densification copies their values across the whole signature. Two such
/// sketches that share no shingle still agree wherever their bytes collide,
/// and with `d` distinct values, agreeing on half the sketch by chance takes
/// about `d / 2` collisions of 1 in 256: for one shingle, 1 time in 256
/// (with the estimate 1), for `d` = 8 about `C(8, 4) · 256⁻⁴` = 1.6·10⁻⁸ a
/// pair, for `d` = 10 about 2.3·10⁻¹⁰, rare enough against the millions of
/// pairs a large index meets.
const MIN_DISTINCT: usize = 10;

/// Fewest distinct values a sketch too short for [`MIN_DISTINCT`] needs
/// before a sketch equal to it in every byte is taken for a copy of its
/// text, and decides as a near-duplicate does. A sketch of `d` distinct
/// values equals another text's by chance about once in `256^d` pairs (for
/// one shingle, whose value fills the whole sketch, 1 in 256; the
/// arrangement of the values must agree too, so it is rarer still): at 5,
/// about once in a trillion pairs.
const MIN_COPY_DISTINCT: usize = 5;

impl<'a> Sketch<'a> {
    /// Whether the sketch holds at least [`MIN_DISTINCT`] distinct values:
    /// enough for its Jaccard estimate to tell a near-duplicate. Not for
    /// an empty sketch.
    pub(super) fn is_informative(&self) -> bool {
        self.has_distinct(MIN_DISTINCT.min(self.0.len() / 2).max(1))
    }

    /// Whether the sketch holds at least [`MIN_COPY_DISTINCT`] distinct
    /// values: enough for a sketch equal to it in every byte to be a copy
    /// of its text, not chance.
    pub(super) fn tells_copies(&self) -> bool {
        self.has_distinct(MIN_COPY_DISTINCT)
    }

    /// Whether the sketch holds at least `need` distinct values.
    fn has_distinct(&self, need: usize) -> bool {
        let mut seen = [0u64; 4];
        let mut distinct = 0;
        for &b in self.0 {
            let (word, bit) = (usize::from(b >> 6), 1u64 << (b & 63));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                distinct += 1;
                if distinct >= need {
                    return true;
                }
            }
        }
        false
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

/// A centroid's `(term id, sum)` entries, sorted by term id without
/// repetitions.
///
/// Up to [`PACK_MAX`] entries they are packed: for each entry the varint
/// of `2 × (gap − 1) + more` (its gap from the previous id; the first id's
/// from −1) and, when `more`, the sum ([`put_sum`]): one byte below `0x80`
/// for a whole sum up to 127 (a term each of that many members had once),
/// else the 4 bytes of the `f32`, big-endian with the sign bit flipped
/// (sums are positive, so the first byte is `0x80` or above). An entry
/// without `more` sums to exactly 1: a term one member had once, 44% of
/// the packed entries on the bench corpus; whole sums are another 35%.
/// Under 3 bytes an entry where `(u32, f32)` takes 8, and the sums read
/// back bit for bit, so scores do not change. A skip table follows the
/// entries: for each [`SKIP`]th entry after the first, the id of the entry
/// before it and the entry's byte offset, as two little-endian `u32`. A
/// look-up decodes at most [`SKIP`] entries, and a [`Cursor`] moving
/// through a long centroid for a short article's terms skips the blocks
/// between them.
///
/// Longer centroids are kept as plain `(u32, f32)` entries and searched by
/// doubling steps: the few stories this large, candidates of many
/// articles, take much of the scoring. On the bench corpus 78 centroids of
/// more than 1,024 entries (14% of the entries) took 38% of the look-ups
/// and 57% of the decoding when packed. The limit is 2,048: with every
/// article's text kept, centroids grew, and packing those of 1,025 to
/// 2,048 entries saves 17 bytes an article (991 against 1,009) for a
/// pipeline about 2% slower on one thread and 3% on two (alternating
/// runs); 7% of the entries stay plain.
#[derive(Clone, PartialEq)]
pub(super) enum TermSums {
    Packed { bytes: Box<[u8]>, len: u32 },
    Plain(Box<[(u32, f32)]>),
}

impl Default for TermSums {
    fn default() -> Self {
        TermSums::Packed {
            bytes: Box::default(),
            len: 0,
        }
    }
}

/// Centroids with more entries than this are kept plain.
pub(super) const PACK_MAX: usize = 2048;

/// Entries between two skip-table marks.
const SKIP: usize = 32;

/// Bytes of a skip-table mark.
const MARK: usize = 8;

impl TermSums {
    /// `entries`, sorted by term id without repetitions.
    ///
    /// # Panics
    /// In debug builds, when the entries are not sorted (callers merge
    /// sorted inputs; a snapshot's entries are checked when it is read).
    pub(super) fn from_sorted(entries: impl IntoIterator<Item = (u32, f32)>) -> TermSums {
        let entries = entries.into_iter();
        TermSums::from_about(entries.size_hint().0, entries)
    }

    /// [`from_sorted`](Self::from_sorted) for about `len` entries: more
    /// than [`PACK_MAX`] are collected plain first, fewer packed with room
    /// for that many.
    pub(super) fn from_about(
        len: usize,
        entries: impl IntoIterator<Item = (u32, f32)>,
    ) -> TermSums {
        if len > PACK_MAX {
            let mut plain = Vec::with_capacity(len);
            plain.extend(entries);
            return if plain.len() > PACK_MAX {
                TermSums::Plain(plain.into_boxed_slice())
            } else {
                TermSums::pack(plain.len(), plain)
            };
        }
        TermSums::pack(len, entries)
    }

    /// Packs `entries` (about `len`), or keeps them plain when there are
    /// more than [`PACK_MAX`].
    fn pack(len: usize, entries: impl IntoIterator<Item = (u32, f32)>) -> TermSums {
        let mut packer = Packer::with_capacity(len * 4);
        for (t, sum) in entries {
            packer.push(t, sum);
        }
        packer.finish()
    }

    /// These entries with `new` (sorted by term id without repetitions)
    /// added, a term in both summing the two: the entries
    /// [`from_sorted`](Self::from_sorted) would give for the merge, byte
    /// for byte. Calls `each` with every entry of the result and `is_new`
    /// with every term of `new` not here, each in term order (the two
    /// interleaved for packed entries, all `is_new` calls first for plain
    /// ones).
    ///
    /// Packed entries are not all encoded again: the bytes of a run of
    /// entries that keep their sum and their previous id (an entry's code
    /// is its gap from that id) are copied as they are.
    pub(super) fn merged(
        &self,
        new: impl IntoIterator<Item = (u32, f32)>,
        mut each: impl FnMut(u32, f32),
        mut is_new: impl FnMut(u32),
    ) -> TermSums {
        let mut new = new.into_iter().peekable();
        let new_len = new.size_hint().0;
        let (old, old_len) = match self {
            TermSums::Packed { bytes, len } => (TermSums::split(bytes, *len).0, *len as usize),
            TermSums::Plain(terms) => {
                // Plain entries stay plain: a merge only adds entries.
                let mut out = Vec::with_capacity(terms.len() + new_len);
                for &(t, sum) in terms {
                    while let Some(&(u, tf)) = new.peek().filter(|e| e.0 < t) {
                        is_new(u);
                        out.push((u, tf));
                        new.next();
                    }
                    let sum = match new.next_if(|e| e.0 == t) {
                        Some((_, tf)) => sum + tf,
                        None => sum,
                    };
                    out.push((t, sum));
                }
                for (u, tf) in new {
                    is_new(u);
                    out.push((u, tf));
                }
                for &(t, sum) in &out {
                    each(t, sum);
                }
                return TermSums::Plain(out.into_boxed_slice());
            }
        };
        // Room enough: a new term adds at most 9 bytes (an entry's code of
        // 5 and sum of 4, or the sum an old entry gains: 4 bytes from a sum
        // of 1, 3 from a whole sum of one byte), and an old entry otherwise
        // takes no more than it did (its gap can only shrink).
        let marks = (old_len + new_len) / SKIP * MARK;
        let mut packer = Packer::with_capacity(old.len() + 9 * new_len + marks);
        // The old entry at byte `pos`, the one before it, and the old
        // bytes to copy before the next entry pushed.
        let (mut pos, mut prev) = (0, u32::MAX);
        let mut run = 0..0;
        while pos < old.len() {
            let (t, sum) = entry_at(old, pos, prev);
            let end = sum.end;
            let sum = sum_in(old, sum);
            while let Some(&(u, tf)) = new.peek().filter(|e| e.0 < t) {
                is_new(u);
                packer.copy(old, &mut run);
                each(u, tf);
                packer.push(u, tf);
                new.next();
            }
            if let Some((_, tf)) = new.next_if(|e| e.0 == t) {
                packer.copy(old, &mut run);
                each(t, sum + tf);
                packer.push(t, sum + tf);
            } else if packer.prev == prev {
                // Same gap, same sum: the same bytes.
                each(t, sum);
                packer.skip(t, run.len());
                if run.start == run.end {
                    run = pos..pos;
                }
                run.end = end;
            } else {
                packer.copy(old, &mut run);
                each(t, sum);
                packer.push(t, sum);
            }
            (pos, prev) = (end, t);
        }
        packer.copy(old, &mut run);
        for (u, tf) in new {
            is_new(u);
            each(u, tf);
            packer.push(u, tf);
        }
        packer.finish()
    }

    pub(super) fn len(&self) -> usize {
        match self {
            TermSums::Packed { len, .. } => *len as usize,
            TermSums::Plain(terms) => terms.len(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes allocated.
    pub(super) fn bytes(&self) -> usize {
        match self {
            TermSums::Packed { bytes, .. } => bytes.len(),
            TermSums::Plain(terms) => std::mem::size_of_val(&**terms),
        }
    }

    /// Packed: the entries' bytes and the skip table's.
    fn split(bytes: &[u8], len: u32) -> (&[u8], &[u8]) {
        let marks = (len as usize).saturating_sub(1) / SKIP;
        bytes.split_at(bytes.len() - marks * MARK)
    }

    /// The entries in term order.
    pub(super) fn iter(&self) -> Iter<'_> {
        match self {
            TermSums::Packed { bytes, len } => Iter::Packed(Decoder {
                entries: TermSums::split(bytes, *len).0,
                pos: 0,
                prev: u32::MAX,
                left: *len,
            }),
            TermSums::Plain(terms) => Iter::Plain(terms.iter()),
        }
    }

    /// A cursor for look-ups in increasing term order.
    pub(super) fn cursor(&self) -> Cursor<'_> {
        match self {
            TermSums::Packed { bytes, len } => {
                let (entries, marks) = TermSums::split(bytes, *len);
                Cursor::Packed(PackedCursor {
                    entries,
                    marks,
                    pos: 0,
                    prev: u32::MAX,
                    next_mark: 0,
                    peeked: None,
                })
            }
            TermSums::Plain(terms) => Cursor::Plain(terms),
        }
    }

    /// Calls `f` with each item of `items` whose term (`term` of the
    /// item) the centroid has, and that term's sum, in the items' order;
    /// the terms must increase. What a [`Cursor`] gives for each item, with
    /// the choice between packed and plain entries made once rather than
    /// for each item (the loop of a cosine).
    #[inline]
    pub(super) fn for_each_shared<T>(
        &self,
        items: &[T],
        term: impl Fn(&T) -> u32,
        mut f: impl FnMut(&T, f32),
    ) {
        match self.cursor() {
            Cursor::Packed(mut c) => {
                for x in items {
                    if let Some(sum) = c.seek(term(x)) {
                        f(x, sum);
                    }
                }
            }
            Cursor::Plain(mut terms) => {
                for x in items {
                    if let Some(sum) = seek_plain(&mut terms, term(x)) {
                        f(x, sum);
                    }
                }
            }
        }
    }

    /// The sum of term `t`, if the centroid has it.
    pub(super) fn get(&self, t: u32) -> Option<f32> {
        self.cursor().seek(t)
    }

    pub(super) fn contains(&self, t: u32) -> bool {
        self.get(t).is_some()
    }
}

impl std::fmt::Debug for TermSums {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Written as the sequence of `(term id, sum)` pairs a `Vec<(u32, f32)>`
/// gives, so snapshots keep their format.
impl serde::Serialize for TermSums {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for e in self.iter() {
            seq.serialize_element(&e)?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for TermSums {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = Vec::<(u32, f32)>::deserialize(d)?;
        if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return Err(serde::de::Error::custom(
                "unsorted or repeated centroid terms",
            ));
        }
        // Sums are of damped term frequencies, each at least 1, and a term
        // goes when its sum falls below `GONE_BELOW`: anything else is
        // damage (and a sum that is not positive would not pack).
        if let Some(&(t, sum)) = entries
            .iter()
            .find(|e| !(e.1.is_finite() && e.1 >= super::centroid::GONE_BELOW))
        {
            return Err(serde::de::Error::custom(format!(
                "centroid sum {sum} of term {t} out of range"
            )));
        }
        Ok(TermSums::from_sorted(entries))
    }
}

/// Packed entries being read in order.
#[derive(Clone)]
pub(super) struct Decoder<'a> {
    entries: &'a [u8],
    /// Byte offset of the next entry.
    pos: usize,
    /// Id of the last entry read (`u32::MAX` before the first).
    prev: u32,
    /// Entries not yet read.
    left: u32,
}

impl Iterator for Decoder<'_> {
    type Item = (u32, f32);

    #[inline]
    fn next(&mut self) -> Option<(u32, f32)> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let (t, sum) = entry_at(self.entries, self.pos, self.prev);
        (self.pos, self.prev) = (sum.end, t);
        Some((t, sum_in(self.entries, sum)))
    }
}

/// The entries of a [`TermSums`], in term order.
#[derive(Clone)]
pub(super) enum Iter<'a> {
    Packed(Decoder<'a>),
    Plain(std::slice::Iter<'a, (u32, f32)>),
}

impl Iterator for Iter<'_> {
    type Item = (u32, f32);

    #[inline]
    fn next(&mut self) -> Option<(u32, f32)> {
        match self {
            Iter::Packed(d) => d.next(),
            Iter::Plain(terms) => terms.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Packed(d) => (d.left as usize, Some(d.left as usize)),
            Iter::Plain(terms) => terms.size_hint(),
        }
    }
}

/// Look-ups in a [`TermSums`] for increasing term ids.
pub(super) enum Cursor<'a> {
    Packed(PackedCursor<'a>),
    /// The entries not yet passed.
    Plain(&'a [(u32, f32)]),
}

impl Cursor<'_> {
    /// The sum of term `t`, if present. Ids must not decrease from one
    /// call to the next.
    #[inline]
    pub(super) fn seek(&mut self, t: u32) -> Option<f32> {
        match self {
            Cursor::Packed(c) => c.seek(t),
            Cursor::Plain(terms) => seek_plain(terms, t),
        }
    }
}

/// [`Cursor::seek`] in plain entries, `terms` being the entries not yet
/// passed. Inlined for the reason [`PackedCursor::seek`] is.
#[allow(clippy::inline_always)]
#[inline(always)]
fn seek_plain(terms: &mut &[(u32, f32)], t: u32) -> Option<f32> {
    // Doubling steps, then a binary search: cheap when the answer is near,
    // as it is for the next term of a sorted article.
    let mut hi = 1;
    while hi < terms.len() && terms[hi - 1].0 < t {
        hi *= 2;
    }
    let lo = hi / 2;
    let hi = hi.min(terms.len());
    *terms = &terms[lo + terms[lo..hi].partition_point(|e| e.0 < t)..];
    terms.first().filter(|e| e.0 == t).map(|e| e.1)
}

/// A [`Cursor`] in packed entries: each look-up skips the blocks of
/// entries below its term and decodes within one block.
///
/// Unlike a [`Decoder`], it keeps no count of the entries left: the end of
/// the entries' bytes is their end.
pub(super) struct PackedCursor<'a> {
    entries: &'a [u8],
    marks: &'a [u8],
    /// Byte offset of the next entry to decode.
    pos: usize,
    /// Id of the last entry decoded (`u32::MAX` before the first, so that
    /// the first gap counts from −1).
    prev: u32,
    /// The first skip-table mark not yet passed.
    next_mark: usize,
    /// The last entry decoded, when its id is not below the last look-up.
    peeked: Option<(u32, f32)>,
}

impl PackedCursor<'_> {
    /// The id before the block of mark `k` and the block's byte offset.
    #[inline]
    fn mark(&self, k: usize) -> (u32, usize) {
        let m = &self.marks[k * MARK..(k + 1) * MARK];
        (
            u32::from_le_bytes([m[0], m[1], m[2], m[3]]),
            u32::from_le_bytes([m[4], m[5], m[6], m[7]]) as usize,
        )
    }

    // Inlined into the loop of `for_each_shared`, its state stays in
    // registers: the cosines took a sixth fewer instructions than with a
    // call for each look-up (callgrind, first 8,000 bench articles).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn seek(&mut self, t: u32) -> Option<f32> {
        if let Some((u, sum)) = self.peeked {
            if u >= t {
                return (u == t).then_some(sum);
            }
            self.peeked = None;
        }
        // Skip to the last block whose previous id is below `t`: the
        // entries before it are all below `t`. The marks' ids increase,
        // so the ones below `t` are found by doubling steps from the first
        // not yet passed, then a binary search.
        let marks = self.marks.len() / MARK;
        let from = self.next_mark;
        if from < marks && self.mark(from).0 < t {
            let mut step = 1;
            while from + step < marks && self.mark(from + step).0 < t {
                step *= 2;
            }
            let (mut lo, mut hi) = (from + step / 2, (from + step).min(marks));
            // Invariant: mark `lo` is below `t`, mark `hi` (if any) is not.
            while hi - lo > 1 {
                let mid = usize::midpoint(lo, hi);
                if self.mark(mid).0 < t {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            self.next_mark = lo + 1;
            let (before, offset) = self.mark(lo);
            // Only forwards: the cursor may be inside that block already.
            if offset > self.pos {
                self.pos = offset;
                self.prev = before;
            }
        }
        // In locals, kept in registers, and stored back once.
        let entries = self.entries;
        let (mut pos, mut prev) = (self.pos, self.prev);
        let found = loop {
            if pos >= entries.len() {
                break None;
            }
            let sum;
            (prev, sum) = entry_at(entries, pos, prev);
            pos = sum.end;
            if prev >= t {
                break Some((prev, sum_in(entries, sum)));
            }
        };
        (self.pos, self.prev) = (pos, prev);
        self.peeked = found;
        found.and_then(|(u, sum)| (u == t).then_some(sum))
    }
}

/// The entry at byte `pos` of packed entries, the one before it being
/// `prev`: its id, and the bytes of its sum (none when it sums to 1; the
/// next entry starts at their end). The sum is read only when wanted
/// ([`sum_in`]).
#[inline]
fn entry_at(entries: &[u8], pos: usize, prev: u32) -> (u32, std::ops::Range<usize>) {
    // Nearly all codes take one byte.
    let (code, len) = match entries[pos] {
        b0 if b0 < 0x80 => (u64::from(b0), 1),
        _ => long_code_at(&entries[pos..]),
    };
    let t = prev.wrapping_add((code >> 1) as u32).wrapping_add(1);
    let with_sum = pos + len;
    let sum_len = if code & 1 == 0 {
        0
    } else if entries[with_sum] < 0x80 {
        1
    } else {
        4
    };
    (t, with_sum..with_sum + sum_len)
}

/// The sum whose bytes are `entries[sum]` ([`entry_at`]): 1 without any.
#[inline]
fn sum_in(entries: &[u8], sum: std::ops::Range<usize>) -> f32 {
    match entries[sum] {
        [whole] => f32::from(whole),
        [a, b, c, d] => f32::from_bits(u32::from_be_bytes([a, b, c, d]) ^ SIGN),
        _ => 1.0,
    }
}

/// The sign bit of an `f32`, flipped in a stored sum ([`put_sum`]).
const SIGN: u32 = 0x8000_0000;

/// Appends the bytes of a sum other than 1 ([`TermSums`]): a whole sum
/// below 128 as one byte, any other as the `f32`'s 4 bytes, big-endian
/// with the sign bit flipped, so that a positive sum's first byte is
/// `0x80` or above.
///
/// # Panics
/// In debug builds, when `sum` is not positive. A sum that is not (`-0.0`
/// included) would be read back as a whole one and corrupt the entries
/// after it; none reaches here: every member term weighs at least 1,
/// centroids drop a term whose sum falls below
/// [`GONE_BELOW`](super::centroid::GONE_BELOW), and a snapshot's sums are
/// checked when it is read.
#[inline]
fn put_sum(out: &mut Vec<u8>, sum: f32) {
    debug_assert!(sum > 0.0, "centroid sums are positive: {sum}");
    let whole = sum as u8;
    if whole < 0x80 && f32::from(whole).to_bits() == sum.to_bits() {
        out.push(whole);
    } else {
        out.extend_from_slice(&(sum.to_bits() ^ SIGN).to_be_bytes());
    }
}

/// The code of more than one byte at the front of `bytes`, known to hold
/// one, and its length (out of line: rare, and it would crowd the
/// registers of the loops that decode).
#[inline(never)]
fn long_code_at(bytes: &[u8]) -> (u64, usize) {
    match *bytes {
        [b0, b1, ..] if b1 < 0x80 => (u64::from(b0 & 0x7f) | u64::from(b1) << 7, 2),
        _ => u64::decode_var(bytes).unwrap_or((0, bytes.len())),
    }
}

/// Packs the entries of a [`TermSums`] one by one.
struct Packer {
    out: Vec<u8>,
    /// The skip table so far.
    marks: Vec<u8>,
    /// The last id pushed (`u32::MAX` before the first).
    prev: u32,
    /// Number of entries pushed.
    len: usize,
}

impl Packer {
    fn with_capacity(bytes: usize) -> Packer {
        Packer {
            out: Vec::with_capacity(bytes),
            marks: Vec::new(),
            prev: u32::MAX,
            len: 0,
        }
    }

    /// Counts entry `t`, starting `pending` bytes past the end of `out`,
    /// with a skip-table mark when one is due.
    #[inline]
    fn skip(&mut self, t: u32, pending: usize) {
        debug_assert!(self.len == 0 || t > self.prev, "terms out of order");
        if self.len > 0 && self.len % SKIP == 0 {
            self.marks.extend_from_slice(&self.prev.to_le_bytes());
            let offset = (self.out.len() + pending) as u32;
            self.marks.extend_from_slice(&offset.to_le_bytes());
        }
        self.prev = t;
        self.len += 1;
    }

    /// Appends entry `(t, sum)`.
    #[inline]
    fn push(&mut self, t: u32, sum: f32) {
        let gap = u64::from(t.wrapping_sub(self.prev).wrapping_sub(1));
        self.skip(t, 0);
        let more = sum.to_bits() != 1f32.to_bits();
        let code = 2 * gap + u64::from(more);
        if code < 0x80 {
            self.out.push(code as u8);
        } else {
            put(&mut self.out, code);
        }
        if more {
            put_sum(&mut self.out, sum);
        }
    }

    /// Appends the bytes `run` of `old` (entries already counted by
    /// [`skip`](Self::skip)) and empties `run`.
    #[inline]
    fn copy(&mut self, old: &[u8], run: &mut std::ops::Range<usize>) {
        if run.start < run.end {
            self.out.extend_from_slice(&old[run.clone()]);
            *run = run.end..run.end;
        }
    }

    /// The packed entries, or plain ones when there are more than
    /// [`PACK_MAX`].
    fn finish(mut self) -> TermSums {
        self.out.extend_from_slice(&self.marks);
        let packed = TermSums::Packed {
            bytes: self.out.into_boxed_slice(),
            len: u32::try_from(self.len).expect("fewer than 2^32 terms in a centroid"),
        };
        if self.len > PACK_MAX {
            TermSums::Plain(packed.iter().collect())
        } else {
            packed
        }
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

    /// Sorted entries for [`TermSums`]: ids from `ids`, sums 1 or not.
    fn entries(ids: std::collections::BTreeSet<u32>, sums: &[f32]) -> Vec<(u32, f32)> {
        ids.into_iter()
            .enumerate()
            .map(|(i, t)| (t, sums[i % sums.len()]))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn term_sums_read_back_bit_for_bit(
            ids in proptest::collection::btree_set(proptest::num::u32::ANY, 0..3 * PACK_MAX),
            sums in proptest::collection::vec(
                proptest::prop_oneof![proptest::strategy::Just(1.0f32), 0.5f32..1e4],
                1..8,
            ),
        ) {
            let v = entries(ids, &sums);
            let s = TermSums::from_sorted(v.iter().copied());
            proptest::prop_assert_eq!(s.len(), v.len());
            proptest::prop_assert_eq!(matches!(s, TermSums::Plain(_)), v.len() > PACK_MAX);
            let back: Vec<(u32, f32)> = s.iter().collect();
            proptest::prop_assert_eq!(back.len(), v.len());
            for (a, b) in back.iter().zip(&v) {
                proptest::prop_assert!(a.0 == b.0 && a.1.to_bits() == b.1.to_bits());
            }
        }

        #[test]
        fn cursor_finds_what_a_search_finds(
            ids in proptest::collection::btree_set(0u32..50_000, 0..2 * PACK_MAX),
            queries in proptest::collection::btree_set(0u32..50_000, 0..400),
        ) {
            let v = entries(ids, &[1.0, 2.5, 1.0, 7.25]);
            let s = TermSums::from_sorted(v.iter().copied());
            let search = |t: u32| v.binary_search_by_key(&t, |e| e.0).ok().map(|i| v[i].1);
            let mut cursor = s.cursor();
            for &t in &queries {
                proptest::prop_assert_eq!(cursor.seek(t), search(t));
                // Asking again for the same id gives the same answer.
                proptest::prop_assert_eq!(cursor.seek(t), search(t));
                proptest::prop_assert_eq!(s.get(t), search(t));
            }
            // The cosine's loop finds the same, with either entries.
            let queries: Vec<u32> = queries.into_iter().collect();
            let mut shared = Vec::new();
            s.for_each_shared(&queries, |&t| t, |&t, sum| shared.push((t, sum)));
            let expect: Vec<(u32, f32)> =
                queries.iter().filter_map(|&t| Some((t, search(t)?))).collect();
            proptest::prop_assert_eq!(shared, expect);
        }
    }

    /// Ids for a merge: most near each other, so that old and new share
    /// some, a few anywhere (codes of several bytes).
    fn merge_ids() -> impl proptest::strategy::Strategy<Value = u32> {
        proptest::prop_oneof![9 => 0u32..4_000, 1 => proptest::num::u32::ANY]
    }

    /// Sums of 1 (no bytes), whole sums (one byte up to 127, then 4) and
    /// any others.
    fn merge_sums() -> impl proptest::strategy::Strategy<Value = f32> {
        use proptest::strategy::{Just, Strategy};
        proptest::prop_oneof![Just(1.0f32), (2u8..=130).prop_map(f32::from), 0.25f32..1e4]
    }

    proptest::proptest! {
        #[test]
        fn merged_is_the_packing_of_the_merge(
            old in proptest::collection::btree_map(merge_ids(), merge_sums(), 0..1_300),
            new in proptest::collection::btree_map(merge_ids(), merge_sums(), 0..300),
        ) {
            let s = TermSums::from_sorted(old.iter().map(|(&t, &sum)| (t, sum)));
            let mut expect = old.clone();
            for (&t, &tf) in &new {
                expect.entry(t).and_modify(|sum| *sum += tf).or_insert(tf);
            }
            let expect: Vec<(u32, f32)> = expect.into_iter().collect();
            let (mut each, mut fresh) = (Vec::new(), Vec::new());
            let merged = s.merged(
                new.iter().map(|(&t, &tf)| (t, tf)),
                |t, sum| each.push((t, sum.to_bits())),
                |t| fresh.push(t),
            );
            // The same bytes (or plain entries) as packing from scratch.
            proptest::prop_assert_eq!(&merged, &TermSums::from_sorted(expect.iter().copied()));
            let bits: Vec<(u32, u32)> = expect.iter().map(|&(t, sum)| (t, sum.to_bits())).collect();
            proptest::prop_assert_eq!(&each, &bits);
            let back: Vec<(u32, u32)> = merged.iter().map(|(t, sum)| (t, sum.to_bits())).collect();
            proptest::prop_assert_eq!(&back, &bits);
            let new_terms: Vec<u32> = new.keys().copied().filter(|t| !old.contains_key(t)).collect();
            proptest::prop_assert_eq!(fresh, new_terms);
        }
    }

    /// Ids at the ends of the range (0 and `u32::MAX`), which random ids
    /// all but never reach, in the old entries, the new or both.
    #[test]
    fn merged_and_seek_at_the_ends_of_the_id_range() {
        let ends = [0, 1, 77, u32::MAX - 1, u32::MAX];
        for old_mask in 0u32..32 {
            for new_mask in 0u32..32 {
                let pick = |mask: u32, sum: f32| -> Vec<(u32, f32)> {
                    (0..5)
                        .filter(|i| mask >> i & 1 == 1)
                        .map(|i| (ends[i], sum))
                        .collect()
                };
                let (old, new) = (pick(old_mask, 1.0), pick(new_mask, 0.5));
                let mut expect = std::collections::BTreeMap::new();
                for &(t, sum) in old.iter().chain(&new) {
                    *expect.entry(t).or_insert(0.0) += sum;
                }
                let merged = TermSums::from_sorted(old.iter().copied()).merged(
                    new.iter().copied(),
                    |_, _| {},
                    |_| {},
                );
                let packed = TermSums::from_sorted(expect.iter().map(|(&t, &sum)| (t, sum)));
                assert_eq!(merged, packed, "{old:?} + {new:?}");
                let mut cursor = merged.cursor();
                for &t in &ends {
                    assert_eq!(cursor.seek(t), expect.get(&t).copied(), "{t}");
                }
            }
        }
    }

    #[test]
    fn term_sums_keep_the_format_of_a_vector() {
        let v: Vec<(u32, f32)> = vec![(0, 1.0), (3, 2.5), (4_000_000_000, 1.0)];
        let s = TermSums::from_sorted(v.iter().copied());
        let bytes = postcard::to_allocvec(&s).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&v).unwrap());
        assert_eq!(postcard::from_bytes::<TermSums>(&bytes).unwrap(), s);
        // Unsorted or repeated ids, and sums no centroid holds (below
        // `GONE_BELOW`, not finite), are refused, not packed into nonsense.
        let bad_sums = [-1.0, -0.0, 0.0, 0.25, 0.499_999_97, f32::NAN, f32::INFINITY];
        let bad = [vec![(3, 1.0), (1, 1.0)], vec![(3, 1.0), (3, 2.0)]]
            .into_iter()
            .chain(bad_sums.map(|sum| vec![(1, 1.0), (3, sum)]));
        for bad in bad {
            let bytes = postcard::to_allocvec(&bad).unwrap();
            assert!(postcard::from_bytes::<TermSums>(&bytes).is_err(), "{bad:?}");
        }
        let least = vec![(1, super::super::centroid::GONE_BELOW)];
        let bytes = postcard::to_allocvec(&least).unwrap();
        assert!(postcard::from_bytes::<TermSums>(&bytes).is_ok());
    }

    #[test]
    fn whole_sums_take_one_byte() {
        // (sum, bytes after the one-byte code)
        let cases = [
            (1.0f32, 0),
            (2.0, 1),
            (127.0, 1),
            (128.0, 4),
            (1.5, 4),
            (2.693_147, 4),
            (0.75, 4),
            (3e9, 4),
            (f32::MIN_POSITIVE, 4),
        ];
        for (sum, extra) in cases {
            let s = TermSums::from_sorted([(5, sum), (6, 1.0)]);
            assert_eq!(s.bytes(), 2 + extra, "{sum}");
            let back: Vec<(u32, u32)> = s.iter().map(|(t, x)| (t, x.to_bits())).collect();
            assert_eq!(back, [(5, sum.to_bits()), (6, 1f32.to_bits())], "{sum}");
            assert_eq!(s.cursor().seek(5).map(f32::to_bits), Some(sum.to_bits()));
        }
    }

    #[test]
    fn term_sums_are_small() {
        // 1,000 terms with gaps under 64 (a one-byte code with the flag),
        // 30% of them summing to 1 (no sum bytes), 40% to a whole number
        // (one byte), 30% to another (4 bytes), and a skip-table mark for
        // every 32 terms after the first 32: about 2.8 bytes a term, where
        // `(u32, f32)` takes 8.
        let sum = |i: u32| match i % 10 {
            0..=2 => 1.0,
            3..=6 => 2.0,
            _ => 2.5,
        };
        let v: Vec<(u32, f32)> = (0..1000u32).map(|i| (i * 40 + i % 7, sum(i))).collect();
        let s = TermSums::from_sorted(v.iter().copied());
        assert_eq!(s.bytes(), 1000 + 400 + 300 * 4 + 31 * MARK);
        assert!(TermSums::default().is_empty() && TermSums::default().bytes() == 0);
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

    /// A set of a few shingles fills the sketch with copies of few values:
    /// too few to tell a near-duplicate from a chance agreement.
    #[test]
    fn sketches_of_few_shingles_are_not_informative() {
        let hasher = MinHasher::builder()
            .num_hashes(128)
            .seed(7)
            .build()
            .unwrap();
        let distinct = |data: &ArticleData| {
            let mut bytes = data.sketch().bytes().to_vec();
            bytes.sort_unstable();
            bytes.dedup();
            bytes.len()
        };
        for n in [1, 2, 5, 9, 10, 12, 20, 100, 1000] {
            let data = sketch(&hasher, 0..n);
            let d = distinct(&data);
            assert!(d <= n as usize);
            assert_eq!(
                data.sketch().is_informative(),
                d >= MIN_DISTINCT,
                "{n} shingles"
            );
        }
        assert!(!sketch(&hasher, 0..1).sketch().is_informative());
        assert!(sketch(&hasher, 0..100).sketch().is_informative());
        let empty = ArticleData::new(&hasher.signature(&[]), &[], &[]);
        assert!(!empty.sketch().is_informative());
        // A short sketch needs half its values distinct.
        let short = MinHasher::builder().num_hashes(8).seed(7).build().unwrap();
        assert!(sketch(&short, 0..100).sketch().is_informative());
        assert!(!sketch(&short, 0..1).sketch().is_informative());
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
