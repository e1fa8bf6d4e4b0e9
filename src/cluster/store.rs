//! The index's tables: slabs of articles and stories by slot, article
//! slots by id, and the term vocabulary (dense ids, document frequencies,
//! the languages a term occurs in, anchor texts).

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

use super::ArticleState;
use crate::lang::Language;

/// Term statistics: stable term keys to dense ids, document frequencies and,
/// for anchors, their text.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Vocab {
    /// Live term ids by key. The table holds ids only: the keys are in
    /// `keys` and, being hashes already, serve as their own hash. Rebuilt
    /// from `keys` when a snapshot is loaded.
    #[serde(skip)]
    pub(super) ids: hashbrown::HashTable<u32>,
    pub(super) df: Vec<u32>,
    /// The readable text of anchors (stems have none): a map, as most terms
    /// are stems. Saved in id order, so that a snapshot does not depend on
    /// the map's history (its iteration order does).
    #[serde(serialize_with = "in_id_order")]
    pub(super) text: FxHashMap<u32, Box<str>>,
    /// For each term, the languages of the articles it occurred in, as far
    /// as [`Vocab::seen_beyond`] needs them: [`Langs::NONE`], one language
    /// (its index in [`Language::ALL`] plus 1) or [`Langs::MANY`]. One byte
    /// where a bit set took four.
    pub(super) langs: Vec<u8>,
    /// The key of each id (to forget it when its df drops to 0).
    pub(super) keys: Vec<u64>,
    /// Ids whose df dropped to 0, reused by new terms.
    pub(super) free: Vec<u32>,
}

/// Serialises `text` as a map in ascending id order.
fn in_id_order<S: serde::Serializer>(
    text: &FxHashMap<u32, Box<str>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut sorted: Vec<(&u32, &Box<str>)> = text.iter().collect();
    sorted.sort_unstable_by_key(|&(id, _)| *id);
    serializer.collect_map(sorted)
}

impl Vocab {
    pub(super) fn intern(&mut self, key: u64, text: Option<&str>) -> u32 {
        if let Some(id) = self.id_of(key) {
            return id;
        }
        let id = if let Some(id) = self.free.pop() {
            self.df[id as usize] = 0;
            self.keys[id as usize] = key;
            self.langs[id as usize] = 0;
            id
        } else {
            let id = self.df.len() as u32;
            push_grown(&mut self.df, 0, 16);
            push_grown(&mut self.langs, 0, 16);
            push_grown(&mut self.keys, key, 16);
            id
        };
        if let Some(text) = text {
            self.text.insert(id, text.into());
        }
        self.index(id);
        id
    }

    /// The live id of `key`.
    pub(super) fn id_of(&self, key: u64) -> Option<u32> {
        self.ids
            .find(key, |&id| self.keys[id as usize] == key)
            .copied()
    }

    /// Makes `id` findable by its key (`keys[id]`), which no live id has.
    pub(super) fn index(&mut self, id: u32) {
        let Vocab { ids, keys, .. } = self;
        ids.insert_unique(keys[id as usize], id, |&i| keys[i as usize]);
    }

    /// Records that `id` occurred in an article in `lang`.
    pub(super) fn seen_in(&mut self, id: u32, lang: Language) {
        let e = &mut self.langs[id as usize];
        let one = Langs::one(lang);
        if *e == Langs::NONE {
            *e = one;
        } else if *e != one {
            *e = Langs::MANY;
        }
    }

    /// Whether `id` occurred in an article of another language than `lang`.
    pub(super) fn seen_beyond(&self, id: u32, lang: Language) -> bool {
        let e = self.langs[id as usize];
        e != Langs::NONE && e != Langs::one(lang)
    }

    pub(super) fn text(&self, id: u32) -> Option<&str> {
        self.text.get(&id).map(|t| &**t)
    }

    /// Smoothed inverse document frequency over `n` articles.
    pub(super) fn idf(&self, id: u32, n: usize) -> f64 {
        let df = f64::from(self.df[id as usize].max(1));
        (1.0 + n.max(1) as f64 / df).ln()
    }

    /// Forgets a term whose document frequency dropped to 0; its id is
    /// reused by the next new term.
    pub(super) fn release(&mut self, id: u32) {
        debug_assert_eq!(self.df[id as usize], 0);
        if let Ok(entry) = self.ids.find_entry(self.keys[id as usize], |&i| i == id) {
            entry.remove();
        }
        self.text.remove(&id);
        self.free.push(id);
    }

    /// Number of terms in use.
    pub(super) fn live(&self) -> usize {
        self.df.len() - self.free.len()
    }
}

/// Pushes `value`, growing a full `v` by a quarter (at least `at_least`)
/// rather than doubling it: the index's slabs, vocabulary and posting lists
/// live long, so a doubled vector would keep up to half its room empty for
/// good.
pub(super) fn push_grown<T>(v: &mut Vec<T>, value: T, at_least: usize) {
    if v.len() == v.capacity() {
        v.reserve_exact(growth_step(v.len(), at_least));
    }
    v.push(value);
}

/// How much [`push_grown`] grows a full vector of `len` values by.
fn growth_step(len: usize, at_least: usize) -> usize {
    (len / 4).max(at_least)
}

/// The values of [`Vocab::langs`].
pub(super) struct Langs;

impl Langs {
    /// In no article yet.
    const NONE: u8 = 0;
    /// In articles of two languages or more.
    pub(super) const MANY: u8 = u8::MAX;

    /// In articles of `lang` only.
    fn one(lang: Language) -> u8 {
        // Every language, `Unknown` included, is in `ALL` (32 of them); one
        // left out would still be a language of its own (snapshots accept
        // `ALL.len() + 1`).
        let index = Language::ALL.iter().position(|&l| l == lang);
        index.map_or(Language::ALL.len() + 1, |i| i + 1) as u8
    }
}

/// Article slots by article id. The table holds slots only: the ids live in
/// the articles, so no id is stored twice.
#[derive(Debug, Default)]
pub(super) struct SlotsById(pub(super) hashbrown::HashTable<u32>);

pub(super) fn id_hash(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}

impl SlotsById {
    pub(super) fn get(&self, id: &str, articles: &Slots<ArticleState>) -> Option<u32> {
        self.0
            .find(id_hash(id), |&s| &*articles[s as usize].id == id)
            .copied()
    }

    /// Makes the article in `slot` findable by its id, which must not be
    /// indexed yet.
    pub(super) fn insert(&mut self, slot: u32, articles: &Slots<ArticleState>) {
        let hash = id_hash(&articles[slot as usize].id);
        self.0
            .insert_unique(hash, slot, |&s| id_hash(&articles[s as usize].id));
    }

    /// Forgets the article `id` held in `slot`.
    pub(super) fn remove(&mut self, id: &str, slot: u32) {
        if let Ok(entry) = self.0.find_entry(id_hash(id), |&s| s == slot) {
            entry.remove();
        }
    }
}

/// A slab of values by `u32` slot. Freed slots are reused, last freed
/// first, so memory follows the peak number of live values rather than the
/// number ever inserted. `len()` counts live values, which is what the
/// scoring code wants as "number of indexed articles". Indexing a free slot
/// panics: the clusterer only follows slots of live values.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Slots<T> {
    pub(super) items: Vec<Option<T>>,
    pub(super) free: Vec<u32>,
    pub(super) live: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots {
            items: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Slots<T> {
    pub(super) fn len(&self) -> usize {
        self.live
    }

    pub(super) fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The slot the next [`insert`](Self::insert) will use.
    pub(super) fn next_slot(&self) -> u32 {
        self.free.last().copied().unwrap_or(self.items.len() as u32)
    }

    pub(super) fn insert(&mut self, value: T) -> u32 {
        self.live += 1;
        if let Some(slot) = self.free.pop() {
            self.items[slot as usize] = Some(value);
            slot
        } else {
            push_grown(&mut self.items, Some(value), 16);
            (self.items.len() - 1) as u32
        }
    }

    /// Makes room for `additional` more values: exactly, unless that is
    /// less than [`push_grown`]'s step (many small batches stay amortised).
    pub(super) fn reserve(&mut self, additional: usize) {
        if let Some(more) = self.growth_for(additional) {
            self.items.reserve_exact(more);
        }
    }

    /// [`reserve`](Self::reserve), with an error when the memory cannot be
    /// had.
    pub(super) fn try_reserve(
        &mut self,
        additional: usize,
    ) -> std::result::Result<(), std::collections::TryReserveError> {
        match self.growth_for(additional) {
            Some(more) => self.items.try_reserve_exact(more),
            None => Ok(()),
        }
    }

    /// The slots to add to the capacity for `additional` more values, or
    /// `None` when the free and spare slots hold them.
    fn growth_for(&self, additional: usize) -> Option<usize> {
        let new = additional.saturating_sub(self.free.len());
        (self.items.capacity() - self.items.len() < new)
            .then(|| new.max(growth_step(self.items.len(), 16)))
    }

    pub(super) fn remove(&mut self, slot: u32) -> Option<T> {
        let value = self.items.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        self.live -= 1;
        Some(value)
    }

    pub(super) fn get(&self, slot: u32) -> Option<&T> {
        self.items.get(slot as usize)?.as_ref()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i as u32, v.as_ref()?)))
    }

    /// Number of slots, live or free.
    pub(super) fn slots(&self) -> usize {
        self.items.len()
    }
}

impl<T> std::ops::Index<usize> for Slots<T> {
    type Output = T;

    fn index(&self, slot: usize) -> &T {
        self.items[slot].as_ref().expect("a live slot")
    }
}

impl<T> std::ops::IndexMut<usize> for Slots<T> {
    fn index_mut(&mut self, slot: usize) -> &mut T {
        self.items[slot].as_mut().expect("a live slot")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_reserve_counts_free_slots() {
        let mut slots = Slots::default();
        for i in 0..5 {
            slots.insert(i);
        }
        slots.remove(1);
        slots.remove(3);
        slots.reserve(10);
        let room = slots.items.capacity() - slots.items.len();
        // Two values go into the free slots, the other eight need room.
        assert!(room >= 8, "{room}");
        let before = slots.items.capacity();
        for i in 0..10 {
            slots.insert(i);
        }
        assert_eq!(slots.items.capacity(), before);
        assert_eq!(slots.len(), 13);
        // One at a time, reservations grow by steps.
        let mut grown = 0;
        for i in 0..2_000 {
            let before = slots.items.capacity();
            slots.reserve(1);
            grown += usize::from(slots.items.capacity() != before);
            slots.insert(i);
        }
        assert!(grown < 30, "{grown} growths");
    }

    #[test]
    fn term_languages_answer_seen_beyond() {
        let mut v = Vocab::default();
        let t = v.intern(42, Some("#42"));
        assert!(!v.seen_beyond(t, Language::English));
        v.seen_in(t, Language::English);
        v.seen_in(t, Language::English);
        assert!(!v.seen_beyond(t, Language::English));
        assert!(v.seen_beyond(t, Language::Italian));
        v.seen_in(t, Language::Italian);
        for lang in Language::ALL {
            assert!(v.seen_beyond(t, lang), "{lang:?}");
        }
        let u = v.intern(43, None);
        v.seen_in(u, Language::Unknown);
        assert!(!v.seen_beyond(u, Language::Unknown));
        assert!(v.seen_beyond(u, Language::Albanian));
    }
}
