//! Stage 7, the decision: the candidate stories of an article, its score
//! against each (anchor cosine blended with stem cosine, times the factor of
//! years and quantities), the story it joins, and the members shown as its
//! matches. See the module docs of `cluster.rs` for the steps.

use rayon::prelude::*;

use super::centroid::norm;
use super::store::Vocab;
use super::{merge, sketches, ArticleState, Clusterer, Match, Vector, Vectors};
use crate::lang::Language;

/// The most recent members of a story among which an article's
/// [`Assignment::matches`](super::Assignment::matches) are chosen. Each
/// costs a decode and a score, which the next decision waits for.
const MATCH_MEMBERS: usize = 16;

/// Fewer recent members than this are ranked for the matches on the
/// deciding thread alone.
const PARALLEL_MIN_MEMBERS: usize = 8;

/// Fewer candidate stories than this are scored on the deciding thread
/// alone: splitting the work would cost more than it saves.
const PARALLEL_MIN_STORIES: usize = 4;

/// Fewest anchors an article must share with a story for their anchor
/// cosine to count in full in its score. Over one shared anchor the cosine
/// says only that one name, place or number recurs, and for an article
/// with one anchor it is 1 whatever the events: a three-line report on
/// rain in Iași and one on a concert there, or reports in three languages
/// whose only anchor is the number 12. Such a cosine counts for at most
/// [`SINGLE_ANCHOR_SHARE`] of the threshold: a join needs stems or a second
/// anchor for the rest. (A follow-up that names the town once and tells
/// the rest in the story's words still joins on its stems.) Two stories
/// that share fewer anchors are not merged either
/// ([`Clusterer::merge_candidates`]). NTREX and the seeds did not move,
/// ECB+ went from 0.9120 to 0.9162 (0.9127 with the cap alone), and the
/// bench corpus made 8,032 stories instead of 6,677, with more of its
/// near-duplicate pairs in one story (14,622 of 14,700, was 14,607).
/// Counting such a cosine as 0 instead of capping it took ECB+ to 0.9149
/// (before the merge rule) but lost the follow-up.
///
/// An event type (`event:earthquake`) and figures shared without a name (a
/// person, place or organisation) count as one shared anchor: they say
/// what happened and how much, not where or to whom. Two reports of
/// magnitude 5.6 earthquakes in Peru and in Indonesia shared just `#5.6`
/// and `event:earthquake` (and often the routine depth, `#10` km) and made
/// one story (then a third and a fourth joined, the story corroborating
/// the magnitude); a town and an event type still count as two.
pub(super) const MIN_SHARED_ANCHORS: usize = 2;

/// Share of the threshold an anchor cosine over fewer than
/// [`MIN_SHARED_ANCHORS`] shared anchors counts for at most.
const SINGLE_ANCHOR_SHARE: f64 = 0.5;

/// Articles in other languages the index must hold before an anchor none of
/// them carries is taken for one no other language carries (and left out
/// of cross-language norms, see [`Weighted`]). Before that, an article's
/// names look unlinkable only for want of other articles: early in a
/// stream, or in one that starts in several languages at once, its norm
/// shrank to the few anchors it shares with the first articles it met, and
/// a report joined another event's story told in another language (on the
/// seeds, in every shuffled order tried; `scripts/order_check.sh`). A
/// file that gives one language after another is affected only while its
/// first language has fewer than this many articles (on NTREX, 81 of each
/// language in turn, the first 19 articles of the second language, with
/// the same stories as before). The count is of live articles: in a
/// stream with a retention horizon where other languages stay below it,
/// an article keeps every anchor in its norm, as before the restriction
/// existed. The same holds in a language that capitalises every noun,
/// where most anchors are nouns no other language carries, and on the
/// story's side, where a story told only in such a language is scored over
/// the anchors other languages carry ([`Clusterer::across_languages`]):
/// with few articles in other languages, those are the few anchors the
/// first articles shared, and a German report of one event scored 0.41
/// with an English report of another on the same minister, against 0.16
/// over all its anchors (a synthetic test; either order).
pub(super) const LINKABLE_AFTER: u32 = 100;

/// An anchor cosine as computed (`raw`, which decides whether stems are
/// scored), and as it counts in a score (`counted`: capped over fewer than
/// [`MIN_SHARED_ANCHORS`] shared anchors).
#[derive(Debug, Clone, Copy, Default)]
struct AnchorCosine {
    raw: f64,
    counted: f64,
}

impl AnchorCosine {
    fn of(
        story: &super::Story,
        weighted: &[(u32, f64, f64)],
        kinds: &AnchorKinds,
        norm: f64,
        cap: f64,
    ) -> AnchorCosine {
        let (raw, shared) = story.anchors.cosine_shared(weighted, norm);
        Self::capped((raw, kinds.counted(story, weighted, shared)), cap)
    }

    /// The cosine and the number of shared anchors, capped over fewer than
    /// [`MIN_SHARED_ANCHORS`].
    fn capped((raw, shared): (f64, usize), cap: f64) -> AnchorCosine {
        AnchorCosine {
            raw,
            counted: if shared >= MIN_SHARED_ANCHORS {
                raw
            } else {
                raw.min(cap)
            },
        }
    }

    /// The better of two, in each part.
    fn max(self, other: AnchorCosine) -> AnchorCosine {
        AnchorCosine {
            raw: self.raw.max(other.raw),
            counted: self.counted.max(other.counted),
        }
    }
}

/// Fewer candidate stories than this have their anchor cosines computed
/// on the deciding thread alone (an anchor cosine is cheaper than a stem
/// cosine).
const PARALLEL_MIN_ANCHORED: usize = 16;

/// Unit tests only: how often each parallel branch ran, so that the tests
/// of parallel decisions can check they took it.
#[cfg(test)]
pub(super) mod counts {
    use std::sync::atomic::AtomicUsize;

    /// Times [`Clusterer::best_story`](super::Clusterer::best_story)
    /// computed stem cosines in parallel.
    pub(in crate::cluster) static PARALLEL_SCORED: AtomicUsize = AtomicUsize::new(0);
    /// Times [`Clusterer::best_story`](super::Clusterer::best_story)
    /// computed anchor cosines in parallel.
    pub(in crate::cluster) static PARALLEL_ANCHORED: AtomicUsize = AtomicUsize::new(0);
    /// Times [`Clusterer::best_members`](super::Clusterer::best_members)
    /// ranked members in parallel.
    pub(in crate::cluster) static PARALLEL_MATCHED: AtomicUsize = AtomicUsize::new(0);
}

/// The article's anchors that are event types or figures (numbers and
/// dates), by id in ascending order, for the count of shared anchors
/// ([`MIN_SHARED_ANCHORS`]). Both are left empty when the article has no
/// event type, as then every shared anchor counts.
#[derive(Default)]
pub(super) struct AnchorKinds {
    events: Vec<u32>,
    figures: Vec<u32>,
}

impl AnchorKinds {
    fn of(vocab: &Vocab, anchors: &[(u32, f64, f64)]) -> AnchorKinds {
        let text = |e: &&(u32, f64, f64)| vocab.text(e.0).unwrap_or_default();
        let events: Vec<u32> = anchors
            .iter()
            .filter(|e| text(e).starts_with("event:"))
            .map(|e| e.0)
            .collect();
        if events.is_empty() {
            return AnchorKinds::default();
        }
        let figures = anchors
            .iter()
            .filter(|e| {
                let t = text(e);
                t.starts_with('#') || t.starts_with("d:")
            })
            .map(|e| e.0)
            .collect();
        AnchorKinds { events, figures }
    }

    /// How many of the `shared` anchors of `weighted` (a slice of the
    /// article's, in id order) with `story` count: where they share an
    /// event type but no name, one (however many figures they share too).
    fn counted(&self, story: &super::Story, weighted: &[(u32, f64, f64)], shared: usize) -> usize {
        if self.events.is_empty() || shared < MIN_SHARED_ANCHORS {
            return shared;
        }
        let (mut names, mut events) = (0, 0);
        story.anchors.terms.for_each_shared(
            weighted,
            |e| e.0,
            |e, _| {
                if self.events.binary_search(&e.0).is_ok() {
                    events += 1;
                } else if self.figures.binary_search(&e.0).is_err() {
                    names += 1;
                }
            },
        );
        if names > 0 || events == 0 {
            shared
        } else {
            // A kind of event and figures, no name: one anchor's worth.
            1
        }
    }
}

/// An article's vectors weighted by the IDF of the moment of its decision.
/// Entries are `(term, tf × idf, idf)`.
pub(super) struct Weighted {
    pub(super) anchors: Vec<(u32, f64, f64)>,
    pub(super) anchor_norm: f64,
    /// Norm over the anchors that other languages' articles carry too: the
    /// ones that can link across languages. A German article capitalises
    /// every noun, an English one every weekday; such anchors never occur
    /// in another language and would only dilute a cross-language score.
    linkable_norm: f64,
    /// Those anchors themselves, kept only for a language that capitalises
    /// every noun ([`Language::capitalises_nouns`]) once the index has
    /// learnt them ([`LINKABLE_AFTER`]): see
    /// [`Clusterer::own_language_anchors`].
    linkable: Vec<(u32, f64, f64)>,
    lexical: Vec<(u32, f64, f64)>,
    pub(super) lexical_norm: f64,
    kinds: AnchorKinds,
}

/// Buffers reused from one article to the next by [`Clusterer::decide`],
/// [`Clusterer::best_members`] and [`Clusterer::add_analysed`].
#[derive(Debug, Default)]
pub(super) struct DecideScratch {
    /// Candidate score by story slot; NaN for a story not reached yet.
    acc: Vec<f64>,
    /// Story slots whose `acc` entry is set.
    touched: Vec<u32>,
    ranked: Vec<(u32, f64)>,
    /// The LSH candidates: article slots, then (sorted) their stories.
    near: Vec<u32>,
    stories: Vec<u32>,
    /// Members' vectors, decoded for [`Clusterer::best_members`].
    members: Vec<Vectors>,
    /// Candidate stories the article reached the threshold with, for
    /// [`Clusterer::merge_candidates`].
    pub(super) close: Vec<u32>,
    pending: Pending,
}

/// Stories awaiting their stem cosine, in [`Clusterer::best_story`].
#[derive(Debug, Default)]
struct Pending {
    /// Of each candidate story, when computed in parallel: its anchor
    /// cosine, its score factor and whether it has stems to score.
    anchors: Vec<(AnchorCosine, f64, bool)>,
    /// `(score bound, slot, anchor cosine, score factor)`.
    stories: Vec<(f64, u32, f64, f64)>,
    /// Stem cosines of the first `stories`, when computed in parallel.
    lexicals: Vec<f64>,
}

/// The outcome of scoring one article against the index.
pub(super) struct Decision {
    pub(super) story: Option<u32>,
    pub(super) score: f64,
}

impl Clusterer {
    /// Weighs an article's vectors with the current IDF (the article itself
    /// already counted in the document frequencies).
    pub(super) fn weigh(&mut self, language: Language, a: &Vectors) -> Weighted {
        let n = self.articles.len() + 1;
        let (vocab, cache) = (&self.vocab, &mut self.idf_cache);
        let mut weigh = |v: &Vector| -> (Vec<(u32, f64, f64)>, f64) {
            let w: Vec<(u32, f64, f64)> = v
                .iter()
                .map(|&(t, tf)| {
                    let idf = cache.idf(vocab, t, n);
                    (t, f64::from(tf) * idf, idf)
                })
                .collect();
            let norm = w.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
            (w, norm)
        };
        let (anchors, anchor_norm) = weigh(&a.anchors);
        let (lexical, lexical_norm) = weigh(&a.lexical);
        // Which anchors other languages carry is learnt from the index: an
        // anchor is taken for one they never carry only once the index
        // holds `LINKABLE_AFTER` articles in other languages. Before that,
        // its absence from them says little, and every anchor counts.
        let learnt = self.others_learnt(language);
        let linkable_anchor =
            |e: &&(u32, f64, f64)| !learnt || self.vocab.seen_beyond(e.0, language);
        let linkable_norm = anchors
            .iter()
            .filter(linkable_anchor)
            .map(|e| e.1 * e.1)
            .sum::<f64>()
            .sqrt();
        // Before the index has learnt, every anchor is linkable, and the
        // cosine over them would be the one over all anchors again.
        let linkable = if language.capitalises_nouns() && learnt {
            anchors.iter().filter(linkable_anchor).copied().collect()
        } else {
            Vec::new()
        };
        let kinds = AnchorKinds::of(&self.vocab, &anchors);
        Weighted {
            anchors,
            anchor_norm,
            linkable_norm,
            linkable,
            lexical,
            lexical_norm,
            kinds,
        }
    }

    /// Chooses the story for `a`, or `None` for a new one.
    pub(super) fn decide(&mut self, a: &ArticleState, w: &Weighted) -> Decision {
        let n = self.articles.len() + 1;
        let mut scratch = std::mem::take(&mut self.scratch);
        let decision = self.decide_with(a, w, n, &mut scratch);
        self.scratch = scratch;
        decision
    }

    fn decide_with(
        &mut self,
        a: &ArticleState,
        w: &Weighted,
        n: usize,
        scratch: &mut DecideScratch,
    ) -> Decision {
        // Candidate scores by story slot, in a dense array: the same sums,
        // in the same order, as a map would hold.
        let DecideScratch {
            acc,
            touched,
            ranked,
            near,
            stories,
            close,
            pending,
            members: _,
        } = scratch;
        close.clear();

        // Near-duplicates found by LSH: their stories are candidates, and a
        // close enough one decides outright, unless either sketch has too
        // few distinct values for its estimate to tell (a short text's);
        // such a sketch decides only with an exact copy, and only with
        // values enough for an equal sketch to be no chance. They come
        // first: a decisive one spares the anchor retrieval.
        let stored = sketches(&self.articles);
        self.lsh
            .query_into(a.data.sketch().bytes(), a.time, near, stored);
        let informative = a.data.sketch().is_informative();
        let copies = !informative && a.data.sketch().tells_copies();
        let mut best_dup: Option<(f64, u32)> = None;
        for &m in near.iter() {
            let other = &self.articles[m as usize];
            let j = a.data.sketch().jaccard(&other.data.sketch());
            let decisive = if informative {
                j >= self.config.near_duplicate && other.data.sketch().is_informative()
            } else {
                copies && other.data.sketch().bytes() == a.data.sketch().bytes()
            };
            if decisive && self.open_to(other.story, a.published()) {
                let better = best_dup.is_none_or(|(bj, bs)| {
                    j.total_cmp(&bj).then(bs.cmp(&other.story)) == std::cmp::Ordering::Greater
                });
                if better {
                    best_dup = Some((j, other.story));
                }
            }
        }
        if let Some((j, s)) = best_dup {
            return Decision {
                story: Some(s),
                score: j,
            };
        }
        self.anchor_candidates(a, w, n, (acc, touched, ranked), stories);
        stories.extend(near.iter().map(|&m| self.articles[m as usize].story));
        stories.sort_unstable();
        stories.dedup();
        // From here on, `near` holds the LSH candidates' stories.
        for m in near.iter_mut() {
            *m = self.articles[*m as usize].story;
        }
        near.sort_unstable();
        near.dedup();

        stories.retain(|&s| self.open_to(s, a.published()));
        for &s in stories.iter() {
            let vocab = &self.vocab;
            let cache = &mut self.idf_cache;
            let story = &mut self.stories[s as usize];
            story.anchors.refresh(n, |t| cache.idf(vocab, t, n), false);
            if let Some(lex) = story.lexical.get_mut(a.language) {
                lex.refresh(n, |t| cache.idf(vocab, t, n), false);
            }
        }
        let years = self.article_facts(w);
        let best = self.best_story(a, w, &years, (stories, near), pending, close);
        match best {
            Some((score, s)) if score >= self.config.threshold => Decision {
                story: Some(s),
                score,
            },
            Some((score, _)) => Decision { story: None, score },
            None => Decision {
                story: None,
                score: 0.0,
            },
        }
    }

    /// The candidate stories reached through the article's rarer anchors
    /// into `stories`: the best [`Config::max_candidates`](super::Config::max_candidates)
    /// by the summed weights of the anchors they share, among the stories
    /// that can take the article.
    fn anchor_candidates(
        &self,
        a: &ArticleState,
        w: &Weighted,
        n: usize,
        (acc, touched, ranked): (&mut Vec<f64>, &mut Vec<u32>, &mut Vec<(u32, f64)>),
        stories: &mut Vec<u32>,
    ) {
        if acc.len() < self.stories.slots() {
            acc.resize(self.stories.slots(), f64::NAN);
        }
        touched.clear();
        // Anchors shared with a story, weighted by rarity. Anchors carried by
        // a large share of all articles say little and would make the
        // candidate lists long: they are skipped for retrieval (they still
        // count in the score).
        let max_df = (n / 10).max(50) as u32;
        for &(t, weight, _) in &w.anchors {
            if self.vocab.df[t as usize] > max_df {
                continue;
            }
            for &s in self.postings.get(t) {
                let e = &mut acc[s as usize];
                if e.is_nan() {
                    *e = 0.0;
                    touched.push(s);
                }
                *e += weight;
            }
        }
        ranked.clear();
        ranked.extend(touched.iter().map(|&s| (s, acc[s as usize])));
        for &s in touched.iter() {
            acc[s as usize] = f64::NAN;
        }
        // The best `max_candidates` by score, ties to the lower slot: a total
        // order, so selecting them needs no full sort. Their order does not
        // matter (the candidates are sorted by slot below). Stories that
        // cannot take the article (full, or out of its window) take no
        // candidate place. Checking that reads each story, so the best are
        // selected first: when they are all open they are the answer, and
        // only otherwise are the stories filtered and selected again.
        let published = a.published();
        let k = self.config.max_candidates;
        let by_score = |x: &(u32, f64), y: &(u32, f64)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, by_score);
            if !ranked[..k].iter().all(|&(s, _)| self.open_to(s, published)) {
                ranked.retain(|&(s, _)| self.open_to(s, published));
                if ranked.len() > k {
                    ranked.select_nth_unstable_by(k - 1, by_score);
                }
            }
            ranked.truncate(k);
        } else {
            ranked.retain(|&(s, _)| self.open_to(s, published));
        }
        stories.clear();
        stories.extend(ranked.iter().map(|&(s, _)| s));
    }

    /// The best story by score, ties to the lower slot; the stories that
    /// reach the threshold, and the one-article stories that reach
    /// [`merge::REHOME_MIN_SHARE`] of it, go to `close` (for
    /// [`Clusterer::merge_candidates`]).
    ///
    /// The article-to-story score is the anchor cosine (capped when they
    /// share one anchor, see [`MIN_SHARED_ANCHORS`]), blended with the stem
    /// cosine where the story has members in the article's language, times
    /// the score factor of years and quantities
    /// ([`score_factor`](merge::ArticleFacts::score_factor)).
    ///
    /// Stems count only where they can tell, a heuristic: a story that is
    /// not among the stories of the article's LSH candidates (`near`), and
    /// whose anchor cosine is so low that only a stem cosine above the
    /// near-duplicate Jaccard
    /// ([`Config::near_duplicate`](super::Config::near_duplicate)) could
    /// lift it to the threshold (a one-article story: to the share of it
    /// that makes it a merge candidate), is scored over anchors alone. An
    /// article that shares that little of a story's names and places rarely
    /// reports its event; it takes text close to a rewrite to make up for
    /// it, and LSH offers most of those. (At the defaults and a score
    /// factor of 1: stories of two articles or more with an anchor cosine
    /// below 0.1.)
    ///
    /// A story scored over stems is scored over anchors first: as its stem
    /// cosine is at most 1, `blend(anchor, 1) × score factor` bounds its
    /// score, and stories whose bound is below both the best score so far
    /// and the threshold need no stem cosine (the costly one). Bounds are
    /// exact upper bounds (rounding is monotonic), so the result is the one
    /// of scoring every such story.
    fn best_story(
        &self,
        a: &ArticleState,
        w: &Weighted,
        years: &merge::ArticleFacts,
        (stories, near): (&[u32], &[u32]),
        pending: &mut Pending,
        close: &mut Vec<u32>,
    ) -> Option<(f64, u32)> {
        let threshold = self.config.threshold;
        let cap = self.single_anchor_cap();
        let mut best: Option<(f64, u32)> = None;
        let single = |s: u32| self.stories[s as usize].members.len() == 1;
        let floor = self.close_bar(true);
        let mut offer = |best: &mut Option<(f64, u32)>, score: f64, s: u32| {
            if score >= threshold || (score >= floor && single(s)) {
                close.push(s);
            }
            let better = best.is_none_or(|(b, bs)| {
                score.total_cmp(&b).then(bs.cmp(&s)) == std::cmp::Ordering::Greater
            });
            if better {
                *best = Some((score, s));
            }
        };
        let Pending {
            anchors,
            stories: pending,
            lexicals,
        } = pending;
        // The anchor cosine (over the anchors other languages carry too
        // when the story has no stems in the article's language), the
        // score factor, and whether stems are scored.
        let anchor_score = |s: u32| {
            let story = &self.stories[s as usize];
            let factor = years.score_factor(story);
            match story.lexical.get(a.language) {
                Some(_) if a.language != Language::Unknown => {
                    (Self::own_language_anchors(story, w, cap), factor, true)
                }
                _ => (
                    self.across_languages(story, a.language, w, cap),
                    factor,
                    false,
                ),
            }
        };
        anchors.clear();
        if self.parallel && stories.len() >= PARALLEL_MIN_ANCHORED {
            stories
                .par_iter()
                .map(|&s| anchor_score(s))
                .collect_into_vec(anchors);
            #[cfg(test)]
            counts::PARALLEL_ANCHORED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        pending.clear();
        for (i, &s) in stories.iter().enumerate() {
            let (anchor, factor, stems) =
                anchors.get(i).copied().unwrap_or_else(|| anchor_score(s));
            let near = near.binary_search(&s).is_ok();
            if stems && self.stems_count(anchor.raw, factor, near, single(s)) {
                let counted = anchor.counted;
                pending.push((self.blend(counted, 1.0) * factor, s, counted, factor));
            } else {
                offer(&mut best, anchor.counted * factor, s);
            }
        }
        pending.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let lexical = |s: u32| {
            self.stories[s as usize]
                .lexical
                .get(a.language)
                .map_or(0.0, |lex| lex.cosine(&w.lexical, w.lexical_norm))
        };
        // Stories bounded at the threshold or above are never pruned: their
        // stem cosines are computed up front, in `add_batch` in parallel (a
        // thread done analysing takes some).
        let sure = pending.partition_point(|e| e.0 >= threshold);
        lexicals.clear();
        if self.parallel && sure >= PARALLEL_MIN_STORIES {
            pending[..sure]
                .par_iter()
                .map(|e| lexical(e.1))
                .collect_into_vec(lexicals);
            #[cfg(test)]
            counts::PARALLEL_SCORED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        for (i, &(bound, s, anchor, factor)) in pending.iter().enumerate() {
            let below = |b: f64| bound.total_cmp(&b) == std::cmp::Ordering::Less;
            if below(threshold) && best.is_some_and(|(b, _)| below(b)) {
                // Only a one-article story can still reach `close`.
                if below(floor) {
                    break;
                }
                if !single(s) {
                    continue;
                }
            }
            let lexical = lexicals.get(i).copied().unwrap_or_else(|| lexical(s));
            offer(&mut best, self.blend(anchor, lexical) * factor, s);
        }
        // In slot order, as `stories`: merges happen in that order.
        close.sort_unstable();
        #[cfg(test)]
        self.check_best_story(a, w, years, (stories, near), best, close);
        best
    }

    /// Unit tests only: the pruned [`Clusterer::best_story`] must give the
    /// best story and the stories at the threshold of scoring every story.
    #[cfg(test)]
    fn check_best_story(
        &self,
        a: &ArticleState,
        w: &Weighted,
        years: &merge::ArticleFacts,
        (stories, near): (&[u32], &[u32]),
        best: Option<(f64, u32)>,
        close: &[u32],
    ) {
        let cap = self.single_anchor_cap();
        let mut all: Vec<(f64, u32)> = stories
            .iter()
            .map(|&s| {
                let story = &self.stories[s as usize];
                let factor = years.score_factor(story);
                let score = match story.lexical.get(a.language) {
                    Some(lex) if a.language != Language::Unknown => {
                        let anchor = Self::own_language_anchors(story, w, cap);
                        let single = story.members.len() == 1;
                        if self.stems_count(anchor.raw, factor, near.contains(&s), single) {
                            self.blend(anchor.counted, lex.cosine(&w.lexical, w.lexical_norm))
                        } else {
                            anchor.counted
                        }
                    }
                    _ => self.across_languages(story, a.language, w, cap).counted,
                };
                (score * factor, s)
            })
            .collect();
        let reached: Vec<u32> = all
            .iter()
            .filter(|e| {
                e.0 >= self.config.threshold
                    || (e.0 >= merge::REHOME_MIN_SHARE * self.config.threshold
                        && self.stories[e.1 as usize].members.len() == 1)
            })
            .map(|e| e.1)
            .collect();
        assert_eq!(close, reached.as_slice());
        all.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        assert_eq!(best, all.first().copied());
    }

    /// Whether `story` can take an article published at `published`: within
    /// the window, and not full ([`Config::max_story_size`](super::Config::max_story_size)).
    /// A full story is no candidate, so the copies that follow one that
    /// found it full join the story that one opened, not each a story of
    /// its own.
    pub(super) fn open_to(&self, story: u32, published: Option<i64>) -> bool {
        let s = &self.stories[story as usize];
        s.members.len() < self.config.max_story_size && self.within_window(s.latest(), published)
    }

    /// Whether two times are within the window of each other; an unknown
    /// time (or no window) always is.
    pub(super) fn within_window(&self, a: Option<i64>, b: Option<i64>) -> bool {
        match (self.config.window_secs, a, b) {
            (Some(w), Some(a), Some(b)) => a.abs_diff(b) <= w.unsigned_abs(),
            _ => true,
        }
    }

    /// The anchor cosine of an article and a story with members in its
    /// language, over all its anchors. In a language that capitalises every
    /// noun, most of those anchors are common nouns, which only articles in
    /// that language share: in a story told mostly in other languages they
    /// weigh the article's norm down. (Over all its anchors, the German
    /// translation of an NTREX report scores 0.19 with the English original,
    /// the French, Italian, Dutch, Swedish and Spanish ones 0.43 to 0.68.)
    /// There the cosine over the anchors other languages carry too, mostly
    /// names, counts as well: the better of the two.
    fn own_language_anchors(story: &super::Story, w: &Weighted, cap: f64) -> AnchorCosine {
        let all = AnchorCosine::of(story, &w.anchors, &w.kinds, w.anchor_norm, cap);
        if w.linkable.is_empty() {
            return all;
        }
        all.max(AnchorCosine::of(
            story,
            &w.linkable,
            &w.kinds,
            w.linkable_norm,
            cap,
        ))
    }

    /// The anchor cosine of an article and a story with no members in its
    /// language, over the anchors other languages carry too: the article's
    /// ([`Weighted`]), and, where all the story's members are in one
    /// language that capitalises every noun (its stem centroids, one for
    /// each language of its members, are all of that language), the
    /// story's as well. There most of the story's anchors are common nouns that only that
    /// language carries, and in the norm they would weigh the story down
    /// against every article of another language: on the NTREX set, a
    /// German report that opened a story of its own stayed alone, while
    /// its translations joined one story. (In the fixture
    /// `a_report_joins_a_story_told_only_in_german`, the English report
    /// scores 0.29 with the German one over all the story's anchors, 0.97
    /// over these.) The shared anchors are the article's, so they are all
    /// in that part of the story. Only once the index holds
    /// [`LINKABLE_AFTER`] articles in other languages, which tell the
    /// anchors they carry. A story with members in other languages
    /// as well keeps its whole norm: restricting it there lifted scores
    /// against every story with a German member, and on the NTREX set one
    /// report then merged two stories on the same hearing.
    fn across_languages(
        &self,
        story: &super::Story,
        language: Language,
        w: &Weighted,
        cap: f64,
    ) -> AnchorCosine {
        let mut languages = story.lexical.iter().map(|(&l, _)| l);
        let nouns = match (languages.next(), languages.next()) {
            (Some(l), None) if l.capitalises_nouns() && l != language && self.others_learnt(l) => l,
            _ => return AnchorCosine::of(story, &w.anchors, &w.kinds, w.linkable_norm, cap),
        };
        let n = self.articles.len() + 1;
        let own_norm = story.anchors.norm_over(
            |t| self.vocab.seen_beyond(t, nouns),
            |t| self.idf_cache.peek(&self.vocab, t, n),
        );
        let (raw, shared) = story
            .anchors
            .cosine_shared_over(&w.anchors, w.linkable_norm, own_norm);
        AnchorCosine::capped((raw, w.kinds.counted(story, &w.anchors, shared)), cap)
    }

    /// Whether the index holds enough articles in languages other than
    /// `language` to tell the anchors they never carry ([`LINKABLE_AFTER`]).
    fn others_learnt(&self, language: Language) -> bool {
        self.articles.len() as u32 - self.by_language[language as usize] >= LINKABLE_AFTER
    }

    /// The most an anchor cosine over a single shared anchor counts in a
    /// score ([`MIN_SHARED_ANCHORS`]).
    fn single_anchor_cap(&self) -> f64 {
        SINGLE_ANCHOR_SHARE * self.config.threshold
    }

    /// Whether a story with stems in the article's language is scored over
    /// them (see [`best_story`](Self::best_story)): when LSH found it, or
    /// when a stem cosine at the near-duplicate Jaccard would lift its
    /// anchor cosine to the threshold (for a `single`-article story, to
    /// [`merge::REHOME_MIN_SHARE`] of it, where it becomes a merge
    /// candidate).
    fn stems_count(&self, anchor: f64, factor: f64, near: bool, single: bool) -> bool {
        near || self.blend(anchor, self.config.near_duplicate) * factor >= self.close_bar(single)
    }

    /// The score that puts a story in `close`
    /// ([`best_story`](Self::best_story)): the threshold, or for a
    /// `single`-article story [`merge::REHOME_MIN_SHARE`] of it.
    fn close_bar(&self, single: bool) -> f64 {
        if single {
            merge::REHOME_MIN_SHARE * self.config.threshold
        } else {
            self.config.threshold
        }
    }

    pub(super) fn blend(&self, anchor: f64, lexical: f64) -> f64 {
        let w = self.config.anchor_weight;
        (w * anchor + (1.0 - w) * lexical).max(anchor)
    }

    /// The `k` members of `story` most similar to `a`.
    pub(super) fn best_members(
        &mut self,
        a: &ArticleState,
        av: &Vectors,
        w: &Weighted,
        story: u32,
        k: usize,
    ) -> Vec<Match> {
        let members = &self.stories[story as usize].members;
        // The most recent members suffice to show why; a story can be large.
        let recent = &members[members.len().saturating_sub(MATCH_MEMBERS)..];
        // Each one's vectors, decoded once for both scores.
        let mut decoded = std::mem::take(&mut self.scratch.members);
        if decoded.len() < recent.len() {
            decoded.resize_with(recent.len(), Vectors::default);
        }
        let bufs = &mut decoded[..recent.len()];
        let quick = |(i, (buf, &m)): (usize, (&mut Vectors, &u32))| {
            (
                self.quick_pair_score(a, w, &self.articles[m as usize], buf),
                m,
                i,
            )
        };
        // In `add_batch` in parallel, as the stem cosines of `best_story`.
        let parallel = self.parallel && recent.len() >= PARALLEL_MIN_MEMBERS;
        let mut scored: Vec<(f64, u32, usize)> = if parallel {
            #[cfg(test)]
            counts::PARALLEL_MATCHED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            bufs.par_iter_mut()
                .zip(recent.par_iter())
                .enumerate()
                .map(quick)
                .collect()
        } else {
            bufs.iter_mut().zip(recent).enumerate().map(quick).collect()
        };
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        // The quick score ranks; the few shown get the exact score (the quick
        // one uses a member norm from its insertion, which drifts).
        let n = self.articles.len() + 1;
        let mut cache = std::mem::take(&mut self.idf_cache);
        let top = &scored[..scored.len().min(2 * k)];
        let (vocab, bufs) = (&self.vocab, &decoded);
        let mut exact: Vec<(f64, u32)> = if parallel {
            let cache = &cache;
            top.par_iter()
                .map(|&(_, m, i)| {
                    let idf = |t| cache.peek(vocab, t, n);
                    (self.member_score((a, av, w), m, &bufs[i], idf), m)
                })
                .collect()
        } else {
            top.iter()
                .map(|&(_, m, i)| {
                    let idf = |t| cache.idf(vocab, t, n);
                    (self.member_score((a, av, w), m, &bufs[i], idf), m)
                })
                .collect()
        };
        self.idf_cache = cache;
        self.scratch.members = decoded;
        exact.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        exact
            .into_iter()
            .take(k)
            .map(|(score, m)| Match {
                id: self.articles[m as usize].id.to_string(),
                score,
            })
            .collect()
    }

    /// [`pair_score_with`](Self::pair_score_with) of an article and member
    /// `m`, whose vectors `mv` [`quick_pair_score`](Self::quick_pair_score)
    /// decoded, bit for bit, with the article's side taken from its weights
    /// `w` (computed with the same IDF): only the member's terms need an
    /// IDF.
    fn member_score(
        &self,
        (a, av, w): (&ArticleState, &Vectors, &Weighted),
        m: u32,
        mv: &Vectors,
        mut idf: impl FnMut(u32) -> f64,
    ) -> f64 {
        let member = &self.articles[m as usize];
        let stems = a.language == member.language && a.language != Language::Unknown;
        #[cfg(test)]
        let full = self.pair_score_with((a, av), (member, mv), &mut idf);
        let anchor = weighted_cosine(
            (&av.anchors, &w.anchors, w.anchor_norm),
            &mv.anchors,
            &mut idf,
        );
        let score = if stems {
            self.blend(
                anchor,
                weighted_cosine(
                    (&av.lexical, &w.lexical, w.lexical_norm),
                    &mv.lexical,
                    &mut idf,
                ),
            )
        } else {
            anchor
        };
        #[cfg(test)]
        assert_eq!(score.to_bits(), full.to_bits(), "member score of {m}");
        score
    }

    /// [`pair_score`](Self::pair_score) without logarithms: the member's
    /// shared terms take the article's weights and its norm is the one of its
    /// insertion.
    fn quick_pair_score(
        &self,
        a: &ArticleState,
        w: &Weighted,
        m: &ArticleState,
        buf: &mut Vectors,
    ) -> f64 {
        // Stems count only within a language.
        let stems = a.language == m.language && a.language != Language::Unknown;
        m.vectors_into(buf, stems);
        let anchor = quick_cosine(&w.anchors, w.anchor_norm, &buf.anchors, m.anchor_norm);
        if stems {
            self.blend(
                anchor,
                quick_cosine(&w.lexical, w.lexical_norm, &buf.lexical, m.lexical_norm),
            )
        } else {
            anchor
        }
    }

    pub(super) fn pair_score(
        &self,
        a: (&ArticleState, &Vectors),
        b: (&ArticleState, &Vectors),
        n: usize,
    ) -> f64 {
        self.pair_score_with(a, b, |t| self.vocab.idf(t, n))
    }

    /// [`pair_score`](Self::pair_score) with the IDF given by `idf`.
    fn pair_score_with(
        &self,
        (a, av): (&ArticleState, &Vectors),
        (b, bv): (&ArticleState, &Vectors),
        mut idf: impl FnMut(u32) -> f64,
    ) -> f64 {
        let anchor = cosine(
            av.anchors.iter().copied(),
            bv.anchors.iter().copied(),
            &mut idf,
        );
        if a.language == b.language && a.language != Language::Unknown {
            self.blend(
                anchor,
                cosine(
                    av.lexical.iter().copied(),
                    bv.lexical.iter().copied(),
                    &mut idf,
                ),
            )
        } else {
            anchor
        }
    }
}

/// Folds `f` over the positions `(i, j)` with `key_a(&a[i]) ==
/// key_b(&b[j])`, in key order: the terms two vectors sorted by term share
/// (a merge join). Both cursors advance without a branch on the comparison,
/// which is unpredictable.
pub(super) fn fold_shared<A, B, T>(
    a: &[A],
    key_a: impl Fn(&A) -> u32,
    b: &[B],
    key_b: impl Fn(&B) -> u32,
    init: T,
    mut f: impl FnMut(T, usize, usize) -> T,
) -> T {
    let (mut i, mut j, mut acc) = (0, 0, init);
    while i < a.len() && j < b.len() {
        let (x, y) = (key_a(&a[i]), key_b(&b[j]));
        if x == y {
            acc = f(acc, i, j);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    acc
}

/// Cosine of two sparse vectors sorted by term, weighted by `idf`.
pub(super) fn cosine<A, B>(a: A, b: B, idf: impl FnMut(u32) -> f64) -> f64
where
    A: Iterator<Item = (u32, f32)> + Clone,
    B: Iterator<Item = (u32, f32)> + Clone,
{
    cosine_shared(a, b, idf).0
}

/// [`cosine`], and the number of terms the two vectors share.
pub(super) fn cosine_shared<A, B>(a: A, b: B, mut idf: impl FnMut(u32) -> f64) -> (f64, usize)
where
    A: Iterator<Item = (u32, f32)> + Clone,
    B: Iterator<Item = (u32, f32)> + Clone,
{
    let (na, nb) = (norm(a.clone(), &mut idf), norm(b.clone(), &mut idf));
    // A fold from +0.0, not `sum` (which starts from -0.0): scores are
    // ranked with `total_cmp`, which tells the two zeros apart.
    let mut dot = 0.0;
    let mut shared = 0;
    let mut b = b.peekable();
    for (t, x) in a {
        while b.next_if(|e| e.0 < t).is_some() {}
        if let Some((_, y)) = b.next_if(|e| e.0 == t) {
            let idf = idf(t);
            dot += f64::from(x) * f64::from(y) * idf * idf;
            shared += 1;
        }
    }
    if na == 0.0 || nb == 0.0 {
        return (0.0, shared);
    }
    // Rounding can take identical vectors a hair above 1.
    ((dot / (na * nb)).min(1.0), shared)
}

/// [`cosine`] of an article's vector `a` (its counts, its weights from
/// [`Clusterer::weigh`] and their norm) and `b`, bit for bit: the same
/// products in the same order, with the article's IDF read from its
/// weights rather than looked up again.
fn weighted_cosine(
    (a, weighted, na): (&Vector, &[(u32, f64, f64)], f64),
    b: &Vector,
    mut idf: impl FnMut(u32) -> f64,
) -> f64 {
    debug_assert_eq!(a.len(), weighted.len());
    let nb = norm(b.iter().copied(), &mut idf);
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    // From +0.0, as `cosine`.
    let dot = fold_shared(
        a,
        |e| e.0,
        b,
        |e| e.0,
        0.0,
        |dot, i, j| {
            let idf = weighted[i].2;
            dot + f64::from(a[i].1) * f64::from(b[j].1) * idf * idf
        },
    );
    (dot / (na * nb)).min(1.0)
}

/// Cosine of weighted article terms and another article's vector: shared
/// terms weigh `w × tf × idf`, with the IDF carried in `weighted`.
fn quick_cosine(weighted: &[(u32, f64, f64)], norm: f64, other: &Vector, other_norm: f32) -> f64 {
    if norm == 0.0 || other_norm == 0.0 {
        return 0.0;
    }
    let dot = fold_shared(
        weighted,
        |e| e.0,
        other,
        |e| e.0,
        0.0,
        |dot, i, j| {
            let (_, w, idf) = weighted[i];
            dot + w * f64::from(other[j].1) * idf
        },
    );
    (dot / (norm * f64::from(other_norm))).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Article;

    #[test]
    fn stems_count_where_they_could_lift_a_story_to_the_threshold() {
        // Defaults: threshold 0.3, anchor weight 0.5, near-duplicate 0.5,
        // so stems count from an anchor cosine of 0.1.
        let c = Clusterer::new();
        assert!(!c.stems_count(0.09, 1.0, false, false));
        assert!(c.stems_count(0.11, 1.0, false, false));
        // The story of an LSH candidate, or a corroborated quantity, always
        // may.
        assert!(c.stems_count(0.0, 1.0, true, false));
        assert!(c.stems_count(0.05, merge::CORROBORATION_FACTOR, false, false));
        // A conflicting year asks for more anchors.
        assert!(!c.stems_count(0.15, merge::YEAR_CONFLICT_FACTOR, false, false));
        // A one-article story needs half the threshold, to be merged later.
        assert!(c.stems_count(0.0, 1.0, false, true));
        let high = Clusterer::builder().threshold(0.6).build().unwrap();
        assert!(!high.stems_count(0.09, 1.0, false, true));
        assert!(high.stems_count(0.11, 1.0, false, true));
        // A threshold lowered for recall scores every story over stems
        // (bar a conflicting year).
        let low = Clusterer::builder().threshold(0.25).build().unwrap();
        assert!(low.stems_count(0.0, 1.0, false, false));
        assert!(!low.stems_count(0.0, merge::YEAR_CONFLICT_FACTOR, false, false));
    }

    /// Every decision on the fixture articles, at several thresholds, runs
    /// through [`Clusterer::check_best_story`].
    #[test]
    fn pruned_decisions_equal_scoring_every_story() {
        let fixtures = include_str!("../../tests/fixtures/articles.jsonl");
        for threshold in [0.05, 0.1, 0.2, 0.3, 0.5] {
            for anchor_weight in [0.0, 0.5, 0.8, 0.9, 1.0] {
                let mut c = Clusterer::builder()
                    .threshold(threshold)
                    .anchor_weight(anchor_weight)
                    .build()
                    .unwrap();
                for line in fixtures.lines().filter(|l| !l.trim().is_empty()) {
                    c.add(Article::from_json(line).unwrap()).unwrap();
                }
                // An article that reaches two stories, one far better than
                // the other (scores about 0.38 and 0.23 at anchor weight 1).
                for (id, text) in [
                    (
                        "x1",
                        "Boxer Dorin Vasilache beat Teodor Munteanu in Galati on Saturday, \
                         the promoter Vesna Radulescu said after the 4815 fans left.",
                    ),
                    (
                        "x2",
                        "Ilie Costache of Navrom closed the port of Braila on the Danube \
                         after 1250 tonnes of fuel leaked into the river.",
                    ),
                    (
                        "x3",
                        "Vasilache and Munteanu met Radulescu in Galati on Saturday before \
                         4815 fans, and Ilie Costache of Navrom watched.",
                    ),
                ] {
                    let article = Article::new(id, "", text).with_language(Language::English);
                    c.add(article).unwrap();
                }
            }
        }
    }
}
