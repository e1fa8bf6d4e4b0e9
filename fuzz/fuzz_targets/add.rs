//! Arbitrary bytes → a few articles → add, add_batch, explain, remove and a
//! snapshot round trip. Nothing may panic; the restored clusterer must
//! agree with the original.
//!
//! ```text
//! cargo install cargo-fuzz            # needs a nightly toolchain
//! cd fuzz && cargo +nightly fuzz run add -- -max_total_time=600 -max_len=4096 -len_control=0
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;
use story_cluster::{Article, Clusterer};

fuzz_target!(|data: &[u8]| {
    // Split the input into fields at 0xff bytes: id, title, text, repeated.
    let fields: Vec<String> = data
        .split(|&b| b == 0xff)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut articles: Vec<Article> = fields
        .chunks(3)
        .take(8)
        .enumerate()
        .map(|(i, f)| {
            let id = f.first().cloned().unwrap_or_default();
            let mut a = Article::new(
                id,
                f.get(1).cloned().unwrap_or_default(),
                f.get(2).cloned().unwrap_or_default(),
            );
            if let Some(&b) = data.get(i) {
                a.published = Some(i64::from(b) * 86_400 - 1_000_000);
            }
            a
        })
        .collect();
    let mut c = Clusterer::builder().retention_days(30).build().unwrap();
    let half = articles.len() / 2;
    let rest = articles.split_off(half);
    for a in articles.iter().cloned() {
        let _ = c.add(a);
    }
    let _ = c.add_batch(rest.clone());
    let ids: Vec<String> = articles.iter().chain(&rest).map(|a| a.id.clone()).collect();
    for a in &ids {
        for b in &ids {
            let _ = c.explain(a, b);
        }
    }
    if let Some(first) = ids.first() {
        let _ = c.remove(first);
    }
    let bytes = c.to_snapshot().unwrap();
    let restored = Clusterer::from_snapshot(&bytes).unwrap();
    assert_eq!(restored.len(), c.len());
    assert_eq!(restored.stories().len(), c.stories().len());
    // Damaged copies load as errors, never panics.
    if let Some(&b) = data.first() {
        let mut bad = bytes.clone();
        let pos = usize::from(b) % bad.len();
        bad[pos] ^= 0x10;
        let _ = Clusterer::from_snapshot(&bad);
        let _ = Clusterer::from_snapshot(&bytes[..pos]);
    }
});
