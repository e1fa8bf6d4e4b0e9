//! STUB (replaced by the minhash branch).
#![allow(missing_docs)]
use crate::Result;
#[derive(Debug, Clone)]
pub struct MinHasher {
    k: usize,
    seed: u64,
}
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Signature(Vec<u32>);
impl Signature {
    pub fn as_slice(&self) -> &[u32] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn jaccard(&self, o: &Signature) -> f64 {
        if self.0.is_empty() || o.0.len() != self.0.len() {
            return 0.0;
        }
        self.0.iter().zip(&o.0).filter(|(a, b)| a == b).count() as f64 / self.0.len() as f64
    }
}
pub fn hash_bytes(b: &[u8], seed: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(b, seed)
}
impl MinHasher {
    pub fn new(k: usize, seed: u64) -> Result<Self> {
        Ok(MinHasher { k, seed })
    }
    pub fn num_hashes(&self) -> usize {
        self.k
    }
    pub fn signature(&self, h: &[u64]) -> Signature {
        if h.is_empty() {
            return Signature(Vec::new());
        }
        let mut s = vec![u32::MAX; self.k];
        for &x in h {
            for (i, v) in s.iter_mut().enumerate() {
                let y = (x ^ self.seed)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15u64.wrapping_add(2 * i as u64 + 1));
                let y = (y >> 32) as u32;
                if y < *v {
                    *v = y;
                }
            }
        }
        Signature(s)
    }
}
