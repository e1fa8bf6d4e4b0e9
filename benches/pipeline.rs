//! Benchmarks of the analysis stages, one article at a time, on fixture
//! articles written for this project (`fixtures/pipeline.jsonl`: one made-up
//! event reported in Romanian, Italian, Albanian and English).
//!
//! Run with `cargo bench --bench pipeline`. Each bench is named
//! `pipeline/<stage>/<lang>` (or `pipeline/add`), counts the bytes of the
//! article text it processes, and checks its result against a known value
//! or one computed before timing, so a broken fast path cannot look fast.

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use story_cluster::__bench as stage;
use story_cluster::lang::detect;
use story_cluster::minhash::MinHasher;
use story_cluster::stem::Analyzer;
use story_cluster::{Article, Clusterer, Language};

fn main() {
    divan::main();
}

const LANGS: [&str; 4] = ["ro", "it", "sq", "en"];

/// Tokens of each fixture article after cleaning, in the order of `LANGS`.
const TOKEN_COUNTS: [usize; 4] = [146, 154, 145, 137];

/// The fixture article in `lang`, without a language hint.
fn article(lang: &str) -> Article {
    include_str!("fixtures/pipeline.jsonl")
        .lines()
        .map(|l| Article::from_json(l).expect("fixture parses"))
        .find(|a| a.id == format!("bench-{lang}"))
        .expect("fixture has every language")
}

fn language(lang: &str) -> Language {
    lang.parse().expect("known code")
}

/// Title and text as the analysis sees them after cleaning.
fn cleaned(a: &Article) -> String {
    let mut full = format!("{}\n", a.title);
    stage::clean_into(&a.text, &a.title, &mut full);
    full
}

fn normalized(a: &Article) -> String {
    let mut out = String::new();
    stage::normalize_into(&cleaned(a), &mut out);
    out
}

fn tokens(a: &Article) -> stage::Tokens {
    let mut t = stage::Tokens::default();
    stage::tokenize_into(&normalized(a), &mut t);
    t
}

mod pipeline {
    use super::{
        article, black_box, cleaned, detect, language, normalized, stage, tokens, Analyzer,
        Article, Bencher, BytesCount, Clusterer, MinHasher, LANGS, TOKEN_COUNTS,
    };

    /// Stage 1: boilerplate removal.
    #[divan::bench(args = LANGS)]
    fn clean(bencher: Bencher, lang: &str) {
        let a = article(lang);
        let expected = cleaned(&a);
        if lang == "ro" {
            // The breadcrumb, the repeated title, the related link and
            // everything from "Sursa foto" on go.
            assert!(!expected.contains('»') && !expected.contains("Comentarii"));
            assert!(expected.contains("Bogdănești"));
        }
        let mut out = String::new();
        bencher
            .counter(BytesCount::of_str(&a.text))
            .bench_local(|| {
                out.clear();
                out.push_str(&a.title);
                out.push('\n');
                stage::clean_into(black_box(&a.text), &a.title, &mut out);
                assert_eq!(out.len(), expected.len());
            });
    }

    /// Stage 2: language detection without a hint.
    #[divan::bench(args = LANGS)]
    fn lang(bencher: Bencher, lang: &str) {
        let text = normalized(&article(lang));
        let expected = language(lang);
        bencher.counter(BytesCount::of_str(&text)).bench_local(|| {
            assert_eq!(detect(black_box(&text)).language, expected);
        });
    }

    /// Stage 3a: NFC and letter unification.
    #[divan::bench(args = LANGS)]
    fn normalize(bencher: Bencher, lang: &str) {
        let text = cleaned(&article(lang));
        let expected = normalized(&article(lang));
        let mut out = String::new();
        bencher.counter(BytesCount::of_str(&text)).bench_local(|| {
            stage::normalize_into(black_box(&text), &mut out);
            assert_eq!(out.len(), expected.len());
        });
    }

    /// Stage 3b: tokens (word boundaries, elisions, canonical numbers).
    #[divan::bench(args = LANGS)]
    fn tokenize(bencher: Bencher, lang: &str) {
        let text = normalized(&article(lang));
        let counts = LANGS.map(|l| tokens(&article(l)).len());
        assert_eq!(counts, TOKEN_COUNTS);
        let expected = TOKEN_COUNTS[LANGS.iter().position(|&l| l == lang).unwrap_or(0)];
        let mut out = stage::Tokens::default();
        bencher.counter(BytesCount::of_str(&text)).bench_local(|| {
            stage::tokenize_into(black_box(&text), &mut out);
            assert_eq!(out.len(), expected);
        });
    }

    /// Stage 4: stems and stopwords of every word token.
    #[divan::bench(args = LANGS)]
    fn stem(bencher: Bencher, lang: &str) {
        let a = article(lang);
        let text = normalized(&a);
        let t = tokens(&a);
        let analyzer = Analyzer::for_language(language(lang));
        let expected = stage::stem_all(&t, &analyzer);
        assert!(expected.1 * 5 >= t.words(), "{lang}: too few stopwords");
        bencher.counter(BytesCount::of_str(&text)).bench_local(|| {
            assert_eq!(stage::stem_all(black_box(&t), &analyzer), expected);
        });
    }

    /// The whole analysis of one article (clean → signature), language
    /// detected.
    #[divan::bench(args = LANGS)]
    fn analyze(bencher: Bencher, lang: &str) {
        let a = article(lang);
        let hasher = MinHasher::new();
        let expected = stage::analyze(&a, &hasher);
        assert_eq!(expected.0, language(lang));
        assert!(expected.1 > 100 && expected.2 >= 5, "{lang}: {expected:?}");
        let bytes = a.title.len() + a.text.len();
        bencher.counter(BytesCount::new(bytes)).bench_local(|| {
            assert_eq!(stage::analyze(black_box(&a), &hasher), expected);
        });
    }

    /// `Clusterer::add` of the four articles into a fresh clusterer: one
    /// story across the four languages.
    #[divan::bench]
    fn add(bencher: Bencher) {
        let articles: Vec<Article> = LANGS.iter().map(|l| article(l)).collect();
        let bytes: usize = articles.iter().map(|a| a.title.len() + a.text.len()).sum();
        bencher
            .counter(BytesCount::new(bytes))
            .with_inputs(|| articles.clone())
            .bench_local_values(|batch| {
                let mut c = Clusterer::new();
                for a in batch {
                    c.add(a).expect("fixture ids are unique");
                }
                assert_eq!(c.len(), 4);
                assert_eq!(c.stories().len(), 1);
                c
            });
    }
}
