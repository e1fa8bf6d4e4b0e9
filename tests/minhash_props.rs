//! Property tests of the `MinHash` estimator: invariants and error within
//! theory.

use proptest::prelude::*;
use story_cluster::minhash::{hash_bytes, MinHasher};

/// Hashes of the integers in `range`: distinct, well-spread shingle hashes.
fn hashes(range: std::ops::Range<u64>) -> Vec<u64> {
    range.map(|x| hash_bytes(&x.to_le_bytes(), 0)).collect()
}

/// Two sets with `inter` shared elements and `only` elements each of their
/// own, offset by `base` so that every case draws fresh elements:
/// `J = inter / (inter + 2 × only)`.
fn pair(base: u64, inter: u64, only: u64) -> (Vec<u64>, Vec<u64>) {
    let shared = base..base + inter;
    let a = hashes(shared.clone())
        .into_iter()
        .chain(hashes(base + inter..base + inter + only))
        .collect();
    let b = hashes(shared)
        .into_iter()
        .chain(hashes(base + inter + only..base + inter + 2 * only))
        .collect();
    (a, b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn self_similarity_is_one(set in prop::collection::vec(any::<u64>(), 1..300), seed: u64) {
        let h = MinHasher::builder().seed(seed).build().unwrap();
        let s = h.signature(&set);
        prop_assert!(!s.is_empty());
        prop_assert!((s.jaccard(&s) - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn deterministic_order_and_duplicate_free(
        set in prop::collection::vec(any::<u64>(), 0..300),
        k in 1usize..300,
        rot in 0usize..300,
    ) {
        let h = MinHasher::builder().num_hashes(k).build().unwrap();
        let s = h.signature(&set);
        prop_assert_eq!(&s, &h.signature(&set));
        let mut shuffled = set.clone();
        if !shuffled.is_empty() {
            let r = rot % shuffled.len();
            shuffled.rotate_left(r);
        }
        shuffled.reverse();
        prop_assert_eq!(&s, &h.signature(&shuffled));
        let mut doubled = set.clone();
        doubled.extend_from_slice(&set);
        prop_assert_eq!(&s, &h.signature(&doubled));
        prop_assert_eq!(s.len(), k);
        prop_assert_eq!(s.is_empty(), set.is_empty());
    }
}

/// Over many independent set pairs with a known Jaccard similarity, the
/// estimate's mean error is near zero and its RMSE is within a small factor
/// of the theoretical standard error `sqrt(J(1-J)/K)`.
#[test]
fn estimate_is_unbiased_within_theory() {
    let num_hashes = 128;
    let hasher = MinHasher::builder().num_hashes(num_hashes).build().unwrap();
    // (shared, own-each) sizes: small sets exercise densification, large
    // ones plain one-permutation hashing.
    for &(inter, only) in &[
        (10u64, 5u64),
        (50, 25),
        (100, 100),
        (300, 50),
        (40, 120),
        (1000, 200),
    ] {
        let exact = inter as f64 / (inter + 2 * only) as f64;
        let trials = 300u64;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for t in 0..trials {
            let (a, b) = pair(t * 1_000_000, inter, only);
            let err = hasher.signature(&a).jaccard(&hasher.signature(&b)) - exact;
            sum += err;
            sum_sq += err * err;
        }
        let bias = sum / trials as f64;
        let rmse = (sum_sq / trials as f64).sqrt();
        let theory = (exact * (1.0 - exact) / num_hashes as f64).sqrt();
        assert!(
            bias.abs() < 4.0 * theory / (trials as f64).sqrt() + 0.005,
            "J={exact}: bias {bias}, theory sd {theory}"
        );
        assert!(
            rmse < 1.3 * theory,
            "J={exact}: rmse {rmse}, theory {theory}"
        );
    }
}

#[test]
fn disjoint_sets_are_dissimilar_and_empty_matches_nothing() {
    let h = MinHasher::new();
    let (a, b) = pair(7, 0, 200);
    assert!(h.signature(&a).jaccard(&h.signature(&b)) < 0.05);
    let e = h.signature(&[]);
    assert!(e.jaccard(&e).abs() < f64::EPSILON);
    assert!(e.jaccard(&h.signature(&a)).abs() < f64::EPSILON);
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<MinHasher>();
    check::<story_cluster::minhash::Signature>();
    check::<story_cluster::minhash::MinHasherBuilder>();
    check::<story_cluster::lsh::LshParams>();
    check::<story_cluster::lsh::LshIndex<u32>>();
}
