//! The near-duplicate index of short texts: exact copies of sketches too
//! short for LSH.
//!
//! A sketch of fewer than [`MIN_DISTINCT`](super::packed) distinct values
//! (a text of a few words: a headline, a caption) cannot tell a
//! near-duplicate by its Jaccard estimate, and its bands are runs of one or
//! two repeated bytes, which collide with other short texts' 1 time in 256:
//! kept in the LSH band tables, such sketches only made every probe walk
//! the collisions, slower as the index grew (one `add` of a two-word text
//! took 160 µs with 12,500 articles in the index, 770 µs with 200,000).
//! What they can tell is an exact copy: two sketches equal in every byte
//! come from the same shingles (or from a collision of the shingles'
//! 32-bit hashes). So they are kept here instead, by a hash of the whole
//! sketch, and a short text finds its copies whatever its language
//! (identical headlines in a language without stemming were never put
//! together before).

use std::collections::BTreeSet;

/// Copies returned for one query at most, the newest: a flood of one
/// headline need not be scored copy by copy (the LSH index keeps as many
/// per band value).
const MAX_COPIES: usize = 64;

/// Short sketches by `(hash of the sketch, time, slot)`: a query reads the
/// range of its hash, newest last.
#[derive(Debug, Default)]
pub(super) struct ShortCopies {
    set: BTreeSet<(u64, i64, u32)>,
}

fn key(sketch: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(sketch)
}

impl ShortCopies {
    /// Adds the article in `slot`, ranked by `time`, with its sketch.
    pub(super) fn insert(&mut self, slot: u32, time: i64, sketch: &[u8]) {
        self.set.insert((key(sketch), time, slot));
    }

    /// Removes what [`insert`](Self::insert) added.
    pub(super) fn remove(&mut self, slot: u32, time: i64, sketch: &[u8]) {
        self.set.remove(&(key(sketch), time, slot));
    }

    /// Replaces `out` with the slots of the (at most [`MAX_COPIES`] newest)
    /// articles whose sketch equals `sketch` in every byte.
    pub(super) fn query_into<'s>(
        &self,
        sketch: &[u8],
        out: &mut Vec<u32>,
        sketch_of: impl Fn(u32) -> &'s [u8],
    ) {
        out.clear();
        let k = key(sketch);
        out.extend(
            self.set
                .range((k, i64::MIN, 0)..=(k, i64::MAX, u32::MAX))
                .rev()
                .filter(|e| sketch_of(e.2) == sketch)
                .take(MAX_COPIES)
                .map(|e| e.2),
        );
        out.sort_unstable();
    }

    pub(super) fn len(&self) -> usize {
        self.set.len()
    }

    /// Approximate heap bytes: 16-byte entries in B-tree nodes, about two
    /// thirds full, with their node headers.
    pub(super) fn approx_bytes(&self) -> usize {
        self.set.len() * 28
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_found_by_their_bytes_newest_first() {
        let mut c = ShortCopies::default();
        let sketches = [[7u8; 8], [7u8; 8], [9u8; 8]];
        for (slot, s) in (0u32..).zip(&sketches) {
            c.insert(slot, i64::from(slot), s);
        }
        let of = |slot: u32| &sketches[slot as usize][..];
        let mut out = Vec::new();
        c.query_into(&[7u8; 8], &mut out, of);
        assert_eq!(out, [0, 1]);
        c.query_into(&[8u8; 8], &mut out, of);
        assert!(out.is_empty());
        c.remove(0, 0, &sketches[0]);
        c.query_into(&[7u8; 8], &mut out, of);
        assert_eq!(out, [1]);
        assert_eq!(c.len(), 2);
        // A flood: only the newest copies.
        let flood = [[3u8; 8]; 100];
        let mut c = ShortCopies::default();
        for slot in 0..100 {
            c.insert(slot, i64::from(slot), &flood[slot as usize]);
        }
        c.query_into(&[3u8; 8], &mut out, |s| &flood[s as usize][..]);
        assert_eq!(out, (36..100).collect::<Vec<u32>>());
    }
}
