//! Stage 7, the story side: a story's centroids (the sums of its members'
//! term frequencies, one over anchors and one over stems per language) and
//! the IDF weights their cosines and norms use.

use super::{TermSums, Vector, Vocab};
use crate::lang::Language;

/// A term's squared weight in a norm: its (damped) count or centroid sum
/// times its IDF, squared. One expression wherever a norm is summed, so
/// that a centroid's norm computed on a join, a removal or a refresh
/// agrees bit for bit.
fn squared_weight(sum: f32, idf: f64) -> f64 {
    (f64::from(sum) * idf).powi(2)
}

/// The norm of `(term, count or sum)` entries weighted by `idf`, summed in
/// their order: a centroid's on refresh, an article's in a pair cosine.
pub(super) fn norm(v: impl Iterator<Item = (u32, f32)>, mut idf: impl FnMut(u32) -> f64) -> f64 {
    v.map(|(t, w)| squared_weight(w, idf(t)))
        .sum::<f64>()
        .sqrt()
}

/// A story's centroid over one kind of feature: for each term the sum of
/// its members' damped term frequencies, and the norm of the IDF-weighted
/// centroid as of the story's last change.
///
/// Scores weigh the shared terms with the IDF of the moment (exact), and
/// divide by a norm computed on the story's last change or, when the index
/// has grown by more than [`NORM_STALENESS`] since, refreshed before the
/// score: recomputing it for every score would cost a logarithm per story
/// term each time.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Centroid {
    /// `(term, sum of tf)`, sorted by term and packed (under 3 bytes a
    /// term): scores walk them with a cursor for the article's sorted
    /// terms.
    pub(super) terms: TermSums,
    norm: f64,
    /// Number of indexed articles when `norm` was computed.
    norm_at: usize,
}

/// Relative growth of the index after which a centroid's norm is recomputed.
const NORM_STALENESS: f64 = 0.05;

/// A centroid term whose sum falls below this is gone. Every member term
/// weighs at least 1 (`1 + ln tf`), so a term still carried by a member
/// sums to at least 1, and one carried by none to 0 up to `f32` rounding.
pub(super) const GONE_BELOW: f32 = 0.5;

impl Centroid {
    /// Adds a member's vector (sorted by term), calling `is_new` for terms
    /// new to the story, in term order; computes the norm for an index of
    /// `n` articles on the way, as [`refresh`](Self::refresh) would.
    pub(super) fn add(
        &mut self,
        v: impl IntoIterator<Item = (u32, f32)>,
        n: usize,
        mut idf: impl FnMut(u32) -> f64,
        is_new: impl FnMut(u32),
    ) {
        let mut squares = -0.0;
        self.terms = self
            .terms
            .merged(v, |t, tf| squares += squared_weight(tf, idf(t)), is_new);
        self.norm = f64::sqrt(squares);
        self.norm_at = n;
    }

    /// Makes `entries` (sorted by term, about `len`) the terms, and
    /// computes their norm for an index of `n` articles on the way, as
    /// [`refresh`](Self::refresh) would.
    fn pack(
        &mut self,
        len: usize,
        entries: impl Iterator<Item = (u32, f32)>,
        n: usize,
        mut idf: impl FnMut(u32) -> f64,
    ) {
        let mut squares = -0.0;
        self.terms = TermSums::from_about(
            len,
            entries.inspect(|&(t, tf)| squares += squared_weight(tf, idf(t))),
        );
        self.norm = f64::sqrt(squares);
        self.norm_at = n;
    }

    /// Subtracts a member's vector, calling `gone` for terms no remaining
    /// member carries.
    pub(super) fn remove(
        &mut self,
        v: &Vector,
        n: usize,
        idf: impl FnMut(u32) -> f64,
        mut gone: impl FnMut(u32),
    ) {
        let mut member = v.iter().peekable();
        let terms = std::mem::take(&mut self.terms);
        let kept = terms.iter().filter_map(|(t, sum)| {
            while member.next_if(|e| e.0 < t).is_some() {}
            let Some(&(_, tf)) = member.next_if(|e| e.0 == t) else {
                return Some((t, sum));
            };
            let sum = sum - tf;
            if sum < GONE_BELOW {
                gone(t);
                return None;
            }
            Some((t, sum))
        });
        self.pack(terms.len(), kept, n, idf);
    }

    /// Recomputes the norm for an index of `n` articles when forced or when
    /// it was computed at fewer than `n / (1 + NORM_STALENESS)` articles.
    pub(super) fn refresh(&mut self, n: usize, idf: impl FnMut(u32) -> f64, force: bool) {
        if !force && (n as f64) <= self.norm_at as f64 * (1.0 + NORM_STALENESS) {
            return;
        }
        self.norm_at = n;
        self.norm = norm(self.terms.iter(), idf);
    }

    /// Cosine between weighted article terms (sorted by term, with their
    /// norm) and the centroid.
    pub(super) fn cosine(&self, weighted: &[(u32, f64, f64)], norm: f64) -> f64 {
        self.cosine_shared(weighted, norm).0
    }

    /// [`cosine`](Self::cosine), and the number of terms shared.
    pub(super) fn cosine_shared(&self, weighted: &[(u32, f64, f64)], norm: f64) -> (f64, usize) {
        self.cosine_shared_over(weighted, norm, self.norm)
    }

    /// [`cosine_shared`](Self::cosine_shared) with `own_norm` for the
    /// centroid's norm: the norm of a part of the centroid that holds every
    /// term the article could share (see [`Centroid::norm_over`]).
    pub(super) fn cosine_shared_over(
        &self,
        weighted: &[(u32, f64, f64)],
        norm: f64,
        own_norm: f64,
    ) -> (f64, usize) {
        if norm == 0.0 || own_norm == 0.0 {
            return (0.0, 0);
        }
        // Shared terms in the article's order, from -0.0 as `sum` starts.
        let mut dot = -0.0;
        let mut shared = 0;
        self.terms.for_each_shared(
            weighted,
            |e| e.0,
            |&(_, w, idf), tf| {
                dot += w * f64::from(tf) * idf;
                shared += 1;
            },
        );
        ((dot / (norm * own_norm)).min(1.0), shared)
    }

    /// The norm over the terms `keep` keeps, weighted with `idf`.
    pub(super) fn norm_over(&self, keep: impl Fn(u32) -> bool, idf: impl FnMut(u32) -> f64) -> f64 {
        norm(self.terms.iter().filter(|&(t, _)| keep(t)), idf)
    }
}

/// A story's stem centroids, one per language of its members, sorted by
/// language. Most stories have one or two languages: a short vector takes
/// a fraction of a hash map's memory and iterates in a fixed order.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct ByLanguage(pub(super) Vec<(Language, Centroid)>);

impl ByLanguage {
    fn position(&self, lang: Language) -> std::result::Result<usize, usize> {
        self.0.binary_search_by_key(&lang, |e| e.0)
    }

    pub(super) fn get(&self, lang: Language) -> Option<&Centroid> {
        self.position(lang).ok().map(|i| &self.0[i].1)
    }

    pub(super) fn get_mut(&mut self, lang: Language) -> Option<&mut Centroid> {
        self.position(lang).ok().map(|i| &mut self.0[i].1)
    }

    /// The centroid of `lang`, added empty when missing.
    pub(super) fn entry(&mut self, lang: Language) -> &mut Centroid {
        let i = self.position(lang).unwrap_or_else(|i| {
            self.0.reserve_exact(1);
            self.0.insert(i, (lang, Centroid::default()));
            i
        });
        &mut self.0[i].1
    }

    pub(super) fn remove(&mut self, lang: Language) {
        if let Ok(i) = self.position(lang) {
            self.0.remove(i);
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&Language, &Centroid)> {
        self.0.iter().map(|(l, c)| (l, c))
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &Centroid> {
        self.0.iter().map(|e| &e.1)
    }
}

/// `idf(t, n)` depends on the term only through its document frequency:
/// for a fixed `n`, the value for each frequency is computed once. Entries
/// carry the `n` they were computed for, so a new `n` needs no reset.
#[derive(Debug, Default)]
pub(super) struct IdfCache {
    by_df: Vec<(usize, f64)>,
}

impl IdfCache {
    /// [`IdfCache::idf`] without filling the cache, for readers that share
    /// it: a value not cached for `n` is computed (the same value).
    pub(super) fn peek(&self, vocab: &Vocab, id: u32, n: usize) -> f64 {
        match self.by_df.get(vocab.df[id as usize] as usize) {
            Some(&(m, idf)) if m == n => idf,
            _ => vocab.idf(id, n),
        }
    }

    /// [`Vocab::idf`], bit for bit.
    #[inline]
    pub(super) fn idf(&mut self, vocab: &Vocab, id: u32, n: usize) -> f64 {
        let df = vocab.df[id as usize] as usize;
        if df >= self.by_df.len() {
            self.by_df.resize(df + 1, (usize::MAX, 0.0));
        }
        let e = &mut self.by_df[df];
        if e.0 != n {
            *e = (n, vocab.idf(id, n));
        }
        e.1
    }
}

#[cfg(test)]
mod tests {
    use super::super::packed;
    use super::*;

    fn centroid_of(vectors: &[Vector]) -> Centroid {
        let mut c = Centroid::default();
        for v in vectors {
            c.add(v.iter().copied(), 10, |_| 1.0, |_| {});
        }
        c
    }

    /// The cache's reads, filling or not, give `Vocab::idf` bit for bit.
    #[test]
    fn idf_cache_reads_equal_the_idf() {
        let mut v = Vocab::default();
        let ids: Vec<u32> = (0..6).map(|k| v.intern(100 + k, None)).collect();
        for (i, &t) in ids.iter().enumerate() {
            v.df[t as usize] = i as u32 + 1;
        }
        let mut cache = IdfCache::default();
        for n in [10, 11, 500] {
            for &t in &ids[..3] {
                assert_eq!(cache.idf(&v, t, n).to_bits(), v.idf(t, n).to_bits());
            }
            // Cached (the first three) and not (the rest).
            for &t in &ids {
                assert_eq!(cache.peek(&v, t, n).to_bits(), v.idf(t, n).to_bits());
            }
        }
    }

    #[test]
    fn centroid_terms_stay_sorted_and_summed() {
        let mut new_terms = Vec::new();
        let mut c = Centroid::default();
        c.add(vec![(5, 1.0), (9, 2.0)], 10, |_| 1.0, |t| new_terms.push(t));
        c.add(
            vec![(1, 1.0), (5, 1.0), (7, 1.0), (12, 1.0)],
            10,
            |_| 1.0,
            |t| {
                new_terms.push(t);
            },
        );
        assert_eq!(new_terms, [5, 9, 1, 7, 12]);
        assert_eq!(
            c.terms.iter().collect::<Vec<_>>(),
            [(1, 1.0), (5, 2.0), (7, 1.0), (9, 2.0), (12, 1.0)]
        );
        let mut gone = Vec::new();
        c.remove(
            &vec![(1, 1.0), (5, 1.0), (7, 1.0), (12, 1.0)],
            10,
            |_| 1.0,
            |t| {
                gone.push(t);
            },
        );
        assert_eq!(gone, [1, 7, 12]);
        assert_eq!(c.terms.iter().collect::<Vec<_>>(), [(5, 1.0), (9, 2.0)]);
    }

    #[test]
    fn centroid_cosine_is_the_same_plain_packed_or_short() {
        // A centroid long enough to be kept plain, one packed with a skip
        // table, and a short one holding only the terms the article shares
        // with them: the same dot product.
        let long: Vector = (0..packed::PACK_MAX as u32 + 500)
            .map(|t| (t * 3, 1.0 + (t % 7) as f32))
            .collect();
        let shared: Vector = long
            .iter()
            .copied()
            .filter(|e| e.0 % 31 == 0 && e.0 / 31 < 20)
            .collect();
        let (plain, packed, short) = (
            centroid_of(std::slice::from_ref(&long)),
            centroid_of(&[long[..400].to_vec()]),
            centroid_of(&[shared]),
        );
        assert!(matches!(plain.terms, TermSums::Plain(_)));
        assert!(matches!(packed.terms, TermSums::Packed { .. }));
        assert!(short.terms.len() < 20);
        let weighted: Vec<(u32, f64, f64)> = (0..20).map(|i| (i * 31, 1.0, 1.5)).collect();
        // A large article norm keeps the cosines below their cap of 1.
        let dot = |c: &Centroid| c.cosine(&weighted, 1e3) * 1e3 * c.norm;
        assert!(dot(&plain) > 0.0);
        assert!((dot(&plain) - dot(&short)).abs() < 1e-9);
        assert!((dot(&packed) - dot(&short)).abs() < 1e-9);
    }
}
