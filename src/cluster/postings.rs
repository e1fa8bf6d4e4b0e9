//! Anchor id → the slots of the stories that carry the anchor.
//!
//! About half the anchors of an index are carried by one story only, so a
//! list of one is kept inline in the map's value; longer lists live in a
//! pool of vectors that grow by a quarter, not by doubling, and shrink when
//! removals leave them far below their capacity.

use rustc_hash::FxHashMap;

use super::push_grown;

/// Marks a map value as an index into [`Postings::lists`] rather than a
/// story slot. Story slots stay below it: 2³¹ stories would take far more
/// memory than any machine has.
const LIST: u32 = 1 << 31;

/// Anchor id → story slots, in the order the stories took the anchor (a
/// story that takes a merged story's place goes last).
#[derive(Debug, Default)]
pub(super) struct Postings {
    /// Anchor id → its one story slot, or `LIST | i` for `lists[i]`, which
    /// holds two slots or more.
    heads: FxHashMap<u32, u32>,
    /// Lists of two story slots or more; a free one is empty (and holds no
    /// allocation) and its index is in `free`.
    lists: Vec<Vec<u32>>,
    free: Vec<u32>,
}

impl Postings {
    /// The story slots carrying `anchor` (empty if none does).
    pub(super) fn get(&self, anchor: u32) -> &[u32] {
        match self.heads.get(&anchor) {
            None => &[],
            Some(&h) if h & LIST != 0 => &self.lists[(h & !LIST) as usize],
            Some(h) => std::slice::from_ref(h),
        }
    }

    pub(super) fn contains_key(&self, anchor: u32) -> bool {
        self.heads.contains_key(&anchor)
    }

    /// Anchors carried by some story.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.heads.len()
    }

    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Every anchor with its story slots, in no particular order.
    #[cfg(test)]
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, &[u32])> {
        self.heads.keys().map(|&t| (t, self.get(t)))
    }

    /// Adds `story` to the stories carrying `anchor` (last).
    ///
    /// # Panics
    ///
    /// Panics if `story` is 2³¹ or more.
    pub(super) fn push(&mut self, anchor: u32, story: u32) {
        assert!(story < LIST, "story slot {story} out of range");
        match self.heads.get_mut(&anchor) {
            None => {
                self.heads.insert(anchor, story);
            }
            Some(h) if *h & LIST != 0 => {
                push_grown(&mut self.lists[(*h & !LIST) as usize], story, 2);
            }
            Some(h) => {
                let pair = vec![*h, story];
                *h = LIST | Self::take_list(&mut self.lists, &mut self.free, pair);
            }
        }
    }

    /// Stores `list` in a free list slot, or a new one, and returns its
    /// index.
    fn take_list(lists: &mut Vec<Vec<u32>>, free: &mut Vec<u32>, list: Vec<u32>) -> u32 {
        if let Some(i) = free.pop() {
            lists[i as usize] = list;
            i
        } else {
            push_grown(lists, list, 16);
            assert!(lists.len() <= LIST as usize, "too many posting lists");
            (lists.len() - 1) as u32
        }
    }

    /// Takes `story` out of the stories carrying `anchor` (an anchor no
    /// story carries any more leaves the map).
    pub(super) fn remove(&mut self, anchor: u32, story: u32) {
        self.replace(anchor, story, None);
    }

    /// Takes `gone` out of the stories carrying `anchor`, if any story does,
    /// and then adds `keep` (last), if given. Nothing changes for an anchor
    /// no story carries.
    pub(super) fn replace(&mut self, anchor: u32, gone: u32, keep: Option<u32>) {
        let Some(h) = self.heads.get_mut(&anchor) else {
            return;
        };
        if *h & LIST == 0 {
            match (*h == gone, keep) {
                (true, Some(k)) => *h = k,
                (true, None) => {
                    self.heads.remove(&anchor);
                }
                (false, Some(k)) => self.push(anchor, k),
                (false, None) => {}
            }
            return;
        }
        let i = (*h & !LIST) as usize;
        let list = &mut self.lists[i];
        list.retain(|&s| s != gone);
        if let Some(k) = keep {
            push_grown(list, k, 2);
        }
        match list.len() {
            0 => {
                self.heads.remove(&anchor);
                self.lists[i] = Vec::new();
                self.free.push(i as u32);
            }
            1 => {
                *h = list[0];
                self.lists[i] = Vec::new();
                self.free.push(i as u32);
            }
            n if list.capacity() >= 2 * n + 4 => list.shrink_to(n + n / 4),
            _ => {}
        }
    }

    /// Story slots in all lists.
    pub(super) fn entries(&self) -> usize {
        self.heads
            .values()
            .map(|&h| {
                if h & LIST != 0 {
                    self.lists[(h & !LIST) as usize].len()
                } else {
                    1
                }
            })
            .sum()
    }

    /// Heap bytes: the map (an 8-byte entry and a control byte a bucket,
    /// `map_bytes` given the entry size and capacity), the pool of list
    /// headers, the lists' capacity and the free list.
    pub(super) fn approx_bytes(&self, map_bytes: impl Fn(usize, usize) -> usize) -> usize {
        map_bytes(self.heads.capacity(), size_of::<(u32, u32)>())
            + self.lists.capacity() * size_of::<Vec<u32>>()
            + self.lists.iter().map(|l| l.capacity() * 4).sum::<usize>()
            + self.free.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists against a plain map of vectors, through pushes, removals
    /// and replacements, order included.
    #[test]
    fn postings_follow_a_map_of_vectors() {
        let mut p = Postings::default();
        let mut model: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut x = 12_345u64;
        let mut next = |n: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((x >> 33) % n) as u32
        };
        for _ in 0..20_000 {
            let (t, s) = (next(40), next(30));
            match next(3) {
                0 => {
                    if !model.get(&t).is_some_and(|l| l.contains(&s)) {
                        p.push(t, s);
                        model.entry(t).or_default().push(s);
                    }
                }
                1 => {
                    p.remove(t, s);
                    if let Some(l) = model.get_mut(&t) {
                        l.retain(|&x| x != s);
                        if l.is_empty() {
                            model.remove(&t);
                        }
                    }
                }
                _ => {
                    let keep = next(30);
                    if !model.get(&t).is_some_and(|l| l.contains(&keep)) {
                        p.replace(t, s, Some(keep));
                        if let Some(l) = model.get_mut(&t) {
                            l.retain(|&x| x != s);
                            l.push(keep);
                        }
                    }
                }
            }
            assert_eq!(p.len(), model.len());
            for (t, l) in &model {
                assert_eq!(p.get(*t), &l[..]);
            }
        }
        assert_eq!(p.entries(), model.values().map(Vec::len).sum::<usize>());
        let live = p.lists.iter().filter(|l| !l.is_empty()).count();
        assert_eq!(live + p.free.len(), p.lists.len());
        assert!(p.lists.iter().all(|l| l.len() != 1));
    }
}
