//! STUB (replaced by the minhash branch).
#![allow(missing_docs)]
use crate::minhash::Signature;
use std::collections::HashMap;
#[derive(Debug, Clone, Copy)]
pub struct LshParams {
    pub bands: usize,
    pub rows: usize,
}
impl LshParams {
    pub fn for_threshold(_t: f64, _k: usize) -> Self {
        LshParams { bands: 32, rows: 4 }
    }
}
#[derive(Debug, Default)]
pub struct LshIndex {
    p: Option<(usize, usize)>,
    t: Vec<HashMap<u64, Vec<u32>>>,
}
impl LshIndex {
    pub fn new(p: LshParams) -> Self {
        LshIndex {
            p: Some((p.bands, p.rows)),
            t: (0..p.bands).map(|_| HashMap::new()).collect(),
        }
    }
    fn keys(&self, s: &Signature) -> Vec<u64> {
        let (b, r) = self.p.unwrap();
        (0..b)
            .map(|i| {
                let mut h = 0u64;
                for v in &s.as_slice()[i * r..(i + 1) * r] {
                    h = h.wrapping_mul(31).wrapping_add(u64::from(*v));
                }
                h
            })
            .collect()
    }
    pub fn insert(&mut self, id: u32, s: &Signature) {
        if s.is_empty() {
            return;
        }
        for (i, k) in self.keys(s).into_iter().enumerate() {
            self.t[i].entry(k).or_default().push(id);
        }
    }
    pub fn query_into(&self, s: &Signature, out: &mut Vec<u32>) {
        out.clear();
        if s.is_empty() {
            return;
        }
        for (i, k) in self.keys(s).into_iter().enumerate() {
            if let Some(v) = self.t[i].get(&k) {
                out.extend(v);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}
