//! Benchmarks of signatures and the LSH index on synthetic text.
//!
//! Run with `cargo bench --bench minhash`. Every bench checks its result
//! against one computed before timing, so a broken fast path cannot look
//! fast.

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use story_cluster::lsh::{LshIndex, LshParams};
use story_cluster::minhash::{hash_bytes, shingle_hashes_into, MinHasher, Signature};

fn main() {
    divan::main();
}

/// A deterministic pseudo-random generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Synthetic lowercase "news" text of about `bytes` bytes: words of
/// invented syllables, some with Romanian and Italian letters.
fn synthetic_text(seed: u64, bytes: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ra", "to", "ni", "ște", "ța", "lu", "mè", "ca", "pro", "zi", "ân", "ve", "sti", "ò", "de",
        "ma",
    ];
    let mut rng = Rng(seed);
    let mut text = String::with_capacity(bytes + 16);
    while text.len() < bytes {
        let r = rng.next();
        for s in 0..=(r % 3) as usize {
            text.push_str(SYLLABLES[((r >> (8 + 4 * s)) & 15) as usize]);
        }
        text.push(if r >> 60 == 0 { '.' } else { ' ' });
    }
    text
}

/// Whitespace tokens → word 3-shingle hashes (synthetic text is already
/// lowercase).
fn shingles(text: &str, tokens: &mut Vec<u64>, out: &mut Vec<u64>) {
    tokens.clear();
    out.clear();
    tokens.extend(
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| hash_bytes(t.as_bytes(), 0)),
    );
    shingle_hashes_into(tokens, 3, out);
}

mod minhash {
    use super::{black_box, shingles, synthetic_text, Bencher, BytesCount, MinHasher, Signature};

    /// Signature from precomputed shingle hashes of a 2 KB text.
    #[divan::bench(consts = [64, 128, 256])]
    fn signature<const K: usize>(bencher: Bencher) {
        let text = synthetic_text(1, 2000);
        let (mut tokens, mut hs) = (Vec::new(), Vec::new());
        shingles(&text, &mut tokens, &mut hs);
        let hasher = MinHasher::builder().num_hashes(K).build().unwrap();
        let expected = hasher.signature(&hs);
        assert_eq!(expected.len(), K);
        let mut sig = Signature::default();
        bencher
            .counter(BytesCount::new(hs.len() * 8))
            .bench_local(|| {
                hasher.signature_into(black_box(&hs), &mut sig);
                assert_eq!(sig, expected);
            });
    }

    /// Text → tokens → shingles → 128-value signature.
    #[divan::bench(consts = [128])]
    fn text<const K: usize>(bencher: Bencher) {
        let text = synthetic_text(2, 2000);
        let hasher = MinHasher::builder().num_hashes(K).build().unwrap();
        let (mut tokens, mut hs) = (Vec::new(), Vec::new());
        shingles(&text, &mut tokens, &mut hs);
        let expected = hasher.signature(&hs);
        let mut sig = Signature::default();
        bencher.counter(BytesCount::of_str(&text)).bench_local(|| {
            shingles(black_box(&text), &mut tokens, &mut hs);
            hasher.signature_into(&hs, &mut sig);
            assert_eq!(sig, expected);
        });
    }
}

mod lsh {
    use super::{
        black_box, shingles, synthetic_text, Bencher, ItemsCount, LshIndex, LshParams, MinHasher,
        Signature,
    };

    const DOCS: usize = 2000;

    fn corpus() -> Vec<Signature> {
        let hasher = MinHasher::new();
        let (mut tokens, mut hs) = (Vec::new(), Vec::new());
        (0..DOCS as u64)
            .map(|i| {
                shingles(&synthetic_text(100 + i, 1500), &mut tokens, &mut hs);
                hasher.signature(&hs)
            })
            .collect()
    }

    /// Building a 32 × 4 index of 2,000 signatures.
    #[divan::bench]
    fn insert(bencher: Bencher) {
        let sigs = corpus();
        bencher.counter(ItemsCount::new(DOCS)).bench_local(|| {
            let mut index = LshIndex::new(LshParams::default());
            for (i, s) in sigs.iter().enumerate() {
                index.insert(i as u32, s);
            }
            assert_eq!(index.len(), DOCS);
            index
        });
    }

    /// Querying each of 2,000 indexed signatures.
    #[divan::bench]
    fn query(bencher: Bencher) {
        let sigs = corpus();
        let mut index = LshIndex::new(LshParams::default());
        for (i, s) in sigs.iter().enumerate() {
            index.insert(i as u32, s);
        }
        let mut out = Vec::new();
        bencher.counter(ItemsCount::new(DOCS)).bench_local(|| {
            for (i, s) in sigs.iter().enumerate() {
                index.query_into(black_box(s), &mut out);
                assert!(out.binary_search(&(i as u32)).is_ok());
            }
        });
    }
}
