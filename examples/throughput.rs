//! Throughput, LSH recall and estimation error on a JSON-lines corpus.
//!
//! ```text
//! throughput CORPUS.jsonl [--threads N] [--reps R] [--mode bench|e2e|pipeline|stages|lsh|err|all] [--detect]
//! ```
//!
//! Every mode prints one or more `RESULT {json}` lines on stdout. The
//! default, `bench`, runs `e2e` then `pipeline`: what `../shared/bench/run.sh`
//! compares with the peers.
//!
//! * `e2e`: raw text → 128-value signature over word 3-shingles of
//!   lowercased `\w+` tokens (the benchmark's reference analysis), timed over
//!   `R` repetitions (default 3) after loading the corpus once.
//! * `pipeline`: raw text → story assignments through the library's whole
//!   analysis (cleaning, language, normalisation, stemming, anchors,
//!   signatures over stemmed shingles, LSH, story decision), with
//!   `Clusterer::add_batch` (parallel analysis, decisions in order); then
//!   the index memory per article from `Clusterer::stats`, with its parts.
//!   An article's `lang` field is a hint that skips language detection, as
//!   it does for every caller; with `--detect` the hints are dropped and
//!   every article's language is detected (the result line then has
//!   `"detect": true`).
//! * `stages`: where the analysis's time goes, one thread, each stage run
//!   alone over the whole corpus (median of `R` repetitions): cleaning,
//!   normalisation, language detection, tokenising, stemming, and the
//!   whole analysis of an article (all of these, then anchors, features
//!   and signature; with the corpus's language hints, so without
//!   detection unless `--detect`). The pipeline's time less the whole
//!   analysis is the clustering's.
//! * `lsh`: signatures, then index build plus an all-pairs query for the
//!   reference 32 × 4 banding and for the clusterer's default banding;
//!   recall of `truth_pairs.tsv` and index bytes per article.
//! * `err`: checks that the tokeniser gives exactly the reference shingle
//!   sets on the whole corpus, then the Jaccard estimation error on
//!   `pairs.tsv` against the exact Jaccard of the reference shingle strings.
//!
//! `truth_pairs.tsv` and `pairs.tsv` are read from the corpus's directory.
//! With `--threads 1` everything runs sequentially; otherwise a rayon pool of
//! `N` threads is used. Signatures do not depend on the thread count (the
//! `checksum` field shows it).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{json, Value};
use story_cluster::lsh::{LshIndex, LshParams};
use story_cluster::minhash::{hash_bytes, shingle_hashes_into, MinHasher, Signature};
use story_cluster::{Article, Clusterer};

type BoxResult<T> = Result<T, Box<dyn std::error::Error>>;

struct Args {
    corpus: PathBuf,
    threads: usize,
    reps: usize,
    mode: String,
    /// Drop the corpus's language hints: detect every article's language.
    detect: bool,
}

fn parse_args() -> BoxResult<Args> {
    let usage = "usage: throughput CORPUS.jsonl [--threads N] [--reps R] [--mode bench|e2e|pipeline|stages|lsh|err|all] [--detect]";
    let mut it = std::env::args().skip(1);
    let mut args = Args {
        corpus: PathBuf::new(),
        threads: 1,
        reps: 3,
        mode: "bench".into(),
        detect: false,
    };
    let mut corpus = None;
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value; {usage}"));
        match a.as_str() {
            "--threads" => args.threads = value()?.parse::<usize>()?.max(1),
            "--reps" => args.reps = value()?.parse::<usize>()?.max(1),
            "--mode" => args.mode = value()?,
            "--detect" => args.detect = true,
            _ if corpus.is_none() && !a.starts_with("--") => corpus = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a:?}; {usage}").into()),
        }
    }
    args.corpus = corpus.ok_or(usage)?;
    Ok(args)
}

fn load(path: &Path) -> BoxResult<Vec<Article>> {
    let data = std::fs::read_to_string(path)?;
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ok(Article::from_json(l)?))
        .collect()
}

fn emit(v: &Value) {
    println!("RESULT {v}");
}

fn median(times: &[f64]) -> f64 {
    let mut v = times.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    }
}

// ---------------------------------------------------------------- tokeniser

/// ASCII bytes that belong to `\w` (alphanumeric or `_`).
const ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_';
        i += 1;
    }
    t
};

/// Lowercasing for two-byte UTF-8 characters (U+0080..U+07FF: Latin-1,
/// Latin Extended, Greek, Cyrillic, …): the lowercase character, whether it
/// is a word character, or `COMPLEX` when lowercasing gives several
/// characters (U+0130 `İ`) and the general path must run.
const COMPLEX: u32 = u32::MAX;
const WORD_BIT: u32 = 1 << 31;

fn two_byte_table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x800)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return COMPLEX;
                };
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if is_word(l) => u32::from(l) | WORD_BIT,
                    (Some(l), None) => u32::from(l),
                    _ => COMPLEX,
                }
            })
            .collect()
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reusable buffers turning a text into a signature.
struct Signer<'h> {
    hasher: &'h MinHasher,
    table: &'static [u32],
    token: Vec<u8>,
    tokens: Vec<u64>,
    shingles: Vec<u64>,
}

impl<'h> Signer<'h> {
    fn new(hasher: &'h MinHasher) -> Self {
        Signer {
            hasher,
            table: two_byte_table(),
            token: Vec::with_capacity(64),
            tokens: Vec::with_capacity(1024),
            shingles: Vec::with_capacity(1024),
        }
    }

    /// Appends a lowercase character to the current token, or ends it.
    #[inline]
    fn push_char(&mut self, lc: char, word: bool) {
        if word {
            let mut utf8 = [0u8; 4];
            self.token
                .extend_from_slice(lc.encode_utf8(&mut utf8).as_bytes());
        } else {
            self.end_token();
        }
    }

    #[inline]
    fn end_token(&mut self) {
        if !self.token.is_empty() {
            self.tokens.push(hash_bytes(&self.token, 0));
            self.token.clear();
        }
    }

    /// Hashes the lowercased `\w+` tokens of `text` into `self.tokens`, with
    /// exactly the reference tokeniser's semantics: lowercase every
    /// character, then split on characters that are neither alphanumeric nor
    /// `_`.
    fn tokenize(&mut self, text: &str) {
        self.tokens.clear();
        self.token.clear();
        let b = text.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            let c = b[i];
            if c < 0x80 {
                if ASCII_WORD[c as usize] {
                    let start = i;
                    i += 1;
                    while i < n && b[i] < 0x80 && ASCII_WORD[b[i] as usize] {
                        i += 1;
                    }
                    let run = &b[start..i];
                    if self.token.is_empty() && (i == n || b[i] < 0x80) {
                        // A whole ASCII token: most are already lowercase
                        // and are hashed in place, without copying.
                        if run.iter().any(u8::is_ascii_uppercase) {
                            self.token.extend(run.iter().map(u8::to_ascii_lowercase));
                            self.end_token();
                        } else {
                            self.tokens.push(hash_bytes(run, 0));
                        }
                    } else {
                        self.token.extend(run.iter().map(u8::to_ascii_lowercase));
                    }
                } else {
                    self.end_token();
                    i += 1;
                }
            } else if c < 0xE0 {
                // A two-byte sequence (the text is valid UTF-8).
                let cp = (u32::from(c & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F);
                let entry = self.table[(cp - 0x80) as usize];
                if entry == COMPLEX {
                    self.general(text, i);
                } else if let Some(lc) = char::from_u32(entry & !WORD_BIT) {
                    self.push_char(lc, entry & WORD_BIT != 0);
                }
                i += 2;
            } else {
                i += self.general(text, i);
            }
        }
        self.end_token();
    }

    /// The general path for the character at byte `i`; returns its length.
    fn general(&mut self, text: &str, i: usize) -> usize {
        let ch = text[i..].chars().next().unwrap_or(' ');
        for lc in ch.to_lowercase() {
            self.push_char(lc, is_word(lc));
        }
        ch.len_utf8()
    }

    /// Text → word 3-shingle hashes → signature.
    fn sign_into(&mut self, text: &str, out: &mut Signature) {
        self.tokenize(text);
        self.shingles.clear();
        shingle_hashes_into(&self.tokens, 3, &mut self.shingles);
        self.hasher.signature_into(&self.shingles, out);
    }

    fn sign(&mut self, text: &str) -> Signature {
        let mut sig = Signature::default();
        self.sign_into(text, &mut sig);
        sig
    }
}

/// Signatures of all texts, sequentially for one thread.
fn sign_all(texts: &[String], hasher: &MinHasher, threads: usize) -> Vec<Signature> {
    if threads <= 1 {
        let mut signer = Signer::new(hasher);
        texts.iter().map(|t| signer.sign(t)).collect()
    } else {
        texts
            .par_iter()
            .with_min_len(64)
            .map_init(|| Signer::new(hasher), |s, t| s.sign(t))
            .collect()
    }
}

fn checksum(sigs: &[Signature]) -> String {
    let mut acc = 0u64;
    for s in sigs {
        for &v in s.as_slice() {
            acc = (acc.rotate_left(5) ^ u64::from(v)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    format!("{acc:016x}")
}

// ---------------------------------------------------------------- reference

/// The benchmark's reference analysis, written plainly: lowercase, `\w+`
/// tokens, word 3-shingle strings `"t1 t2 t3"`, or the whole token string
/// for fewer than three tokens.
fn reference_shingles(text: &str) -> HashSet<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        for lc in c.to_lowercase() {
            if is_word(lc) {
                cur.push(lc);
            } else if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    if tokens.len() < 3 {
        return std::iter::once(tokens.join(" ")).collect();
    }
    tokens.windows(3).map(|w| w.join(" ")).collect()
}

// ---------------------------------------------------------------- modes

fn mode_e2e(args: &Args, texts: &[String], bytes: usize) {
    let hasher = MinHasher::new();
    let mut times = Vec::new();
    let mut sum = String::new();
    for _ in 0..args.reps {
        let t = Instant::now();
        let sigs = sign_all(texts, &hasher, args.threads);
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(sigs.len(), texts.len());
        sum = checksum(&sigs);
    }
    let m = median(&times);
    emit(&json!({
        "mode": "e2e", "tool": "story-cluster", "threads": args.threads,
        "docs": texts.len(), "bytes": bytes, "times": times, "median_s": m,
        "MB_per_s": bytes as f64 / 1e6 / m, "docs_per_s": texts.len() as f64 / m,
        "num_hashes": hasher.num_hashes(), "checksum": sum,
    }));
}

fn mode_pipeline(args: &Args, articles: &[Article], bytes: usize) -> BoxResult<()> {
    let mut times = Vec::new();
    let (mut stories, mut near_dups) = (0, 0);
    let mut stats = None;
    for _ in 0..args.reps {
        let batch = articles.to_vec();
        let t = Instant::now();
        let mut clusterer = Clusterer::new();
        let assignments = clusterer.add_batch(batch)?;
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(assignments.len(), articles.len());
        stories = clusterer.stories().len();
        near_dups = assignments.iter().filter(|a| !a.is_new).count();
        stats = Some(clusterer.stats());
    }
    let stats = stats.ok_or("no repetition ran")?;
    let per = |b: usize| b as f64 / stats.articles.max(1) as f64;
    let m = median(&times);
    emit(&json!({
        "mode": "pipeline", "tool": "story-cluster", "threads": args.threads,
        "detect": args.detect,
        "docs": articles.len(), "bytes": bytes, "times": times, "median_s": m,
        "MB_per_s": bytes as f64 / 1e6 / m, "docs_per_s": articles.len() as f64 / m,
        "stories": stories, "joined": near_dups,
        "index_bytes": stats.approx_bytes,
        "index_bytes_per_article": per(stats.approx_bytes),
        "bytes_per_article_parts": {
            "signatures": per(stats.signature_bytes), "lsh": per(stats.lsh_bytes),
            "articles": per(stats.article_bytes), "stories": per(stats.story_bytes),
            "postings": per(stats.posting_bytes), "vocab": per(stats.vocab_bytes),
            "lookup": per(stats.lookup_bytes),
        },
    }));
    Ok(())
}

/// Each analysis stage's input for every article, made once by the stages
/// before it (for [`mode_stages`]).
struct StageInputs {
    cleaned: Vec<String>,
    normalized: Vec<String>,
    languages: Vec<story_cluster::Language>,
    tokens: Vec<story_cluster::__bench::Tokens>,
}

fn stage_inputs(articles: &[Article]) -> StageInputs {
    use story_cluster::__bench as stage;
    let cleaned: Vec<String> = articles
        .iter()
        .map(|a| {
            let mut out = format!("{}\n", a.title);
            stage::clean_into(&a.text, &a.title, &mut out);
            out
        })
        .collect();
    let normalized: Vec<String> = cleaned
        .iter()
        .map(|c| {
            let mut out = String::new();
            stage::normalize_into(c, &mut out);
            out
        })
        .collect();
    let languages = articles
        .iter()
        .zip(&normalized)
        .map(|(a, n)| {
            a.language
                .unwrap_or_else(|| story_cluster::lang::detect(n).language)
        })
        .collect();
    let tokens = normalized
        .iter()
        .map(|n| {
            let mut out = stage::Tokens::default();
            stage::tokenize_into(n, &mut out);
            out
        })
        .collect();
    StageInputs {
        cleaned,
        normalized,
        languages,
        tokens,
    }
}

/// Median seconds of `reps` runs of `f`, which returns a count that must
/// be the same each time (the stage did the same work).
fn median_time(reps: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut times = Vec::new();
    let mut count = None;
    for _ in 0..reps {
        let t = Instant::now();
        let c = f();
        times.push(t.elapsed().as_secs_f64());
        assert!(count.is_none_or(|k| k == c), "a stage gave another result");
        count = Some(c);
    }
    median(&times)
}

fn mode_stages(args: &Args, articles: &[Article], bytes: usize) {
    use story_cluster::__bench as stage;
    use story_cluster::lang::detect;
    use story_cluster::stem::Analyzer;
    let input = stage_inputs(articles);
    let hasher = MinHasher::new();
    let mut buf = String::new();
    let mut tokens = stage::Tokens::default();
    let r = args.reps;
    let stages = [
        (
            "clean",
            median_time(r, || {
                let b = &mut buf;
                articles
                    .iter()
                    .map(|a| {
                        b.clear();
                        stage::clean_into(&a.text, &a.title, b);
                        b.len()
                    })
                    .sum()
            }),
        ),
        (
            "normalize",
            median_time(r, || {
                input
                    .cleaned
                    .iter()
                    .map(|c| {
                        stage::normalize_into(c, &mut buf);
                        buf.len()
                    })
                    .sum()
            }),
        ),
        (
            "detect",
            median_time(r, || {
                input
                    .normalized
                    .iter()
                    .map(|n| detect(n).language as usize)
                    .sum()
            }),
        ),
        (
            "tokenize",
            median_time(r, || {
                input
                    .normalized
                    .iter()
                    .map(|n| {
                        stage::tokenize_into(n, &mut tokens);
                        tokens.len()
                    })
                    .sum()
            }),
        ),
        (
            "stem",
            median_time(r, || {
                input
                    .tokens
                    .iter()
                    .zip(&input.languages)
                    .map(|(t, &l)| stage::stem_all(t, &Analyzer::for_language(l)).0)
                    .sum()
            }),
        ),
        (
            "analysis",
            median_time(r, || {
                articles.iter().map(|a| stage::analyze(a, &hasher).1).sum()
            }),
        ),
    ];
    let by_stage = |f: &dyn Fn(f64) -> f64| -> serde_json::Map<String, Value> {
        stages
            .iter()
            .map(|&(k, s)| (k.to_string(), json!(f(s))))
            .collect()
    };
    emit(&json!({
        "mode": "stages", "tool": "story-cluster", "threads": 1, "detect": args.detect,
        "docs": articles.len(), "bytes": bytes, "reps": args.reps,
        "median_s": by_stage(&|s| s),
        "MB_per_s": by_stage(&|s| bytes as f64 / 1e6 / s),
    }));
}

fn read_pairs(path: &Path) -> BoxResult<Vec<(u32, u32)>> {
    let data = std::fs::read_to_string(path)?;
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut it = l.split_whitespace();
            let mut next =
                || -> BoxResult<u32> { Ok(it.next().ok_or("short line in pairs file")?.parse()?) };
            Ok((next()?, next()?))
        })
        .collect()
}

fn mode_lsh(args: &Args, texts: &[String], bytes: usize) -> BoxResult<()> {
    let hasher = MinHasher::new();
    let start = Instant::now();
    let sigs = sign_all(texts, &hasher, args.threads);
    let signing_s = start.elapsed().as_secs_f64();
    let truth = read_pairs(&args.corpus.with_file_name("truth_pairs.tsv"))?;
    let n = texts.len();
    for (name, params) in [
        ("32x4", LshParams::new(32, 4, 128)?),
        ("clusterer default", Clusterer::new().lsh_params()),
    ] {
        let (mut build_t, mut query_t) = (Vec::new(), Vec::new());
        let mut pairs: HashSet<(u32, u32)> = HashSet::new();
        let mut index_bytes = 0;
        for _ in 0..args.reps {
            let t = Instant::now();
            let mut index: LshIndex<u32> = LshIndex::new(params);
            for (i, s) in sigs.iter().enumerate() {
                index.insert(i as u32, s);
            }
            build_t.push(t.elapsed().as_secs_f64());
            index_bytes = index.approx_bytes();
            let t = Instant::now();
            let found: Vec<Vec<u32>> = if args.threads <= 1 {
                sigs.iter().map(|s| index.query(s)).collect()
            } else {
                sigs.par_iter().map(|s| index.query(s)).collect()
            };
            query_t.push(t.elapsed().as_secs_f64());
            pairs.clear();
            for (i, cands) in found.iter().enumerate() {
                let i = i as u32;
                pairs.extend(cands.iter().filter(|&&j| j > i).map(|&j| (i, j)));
            }
        }
        let hit = truth
            .iter()
            .filter(|&&(a, b)| pairs.contains(&(a.min(b), a.max(b))))
            .count();
        let (bm, qm) = (median(&build_t), median(&query_t));
        emit(&json!({
            "mode": "lsh", "tool": "story-cluster", "params": name,
            "threads": args.threads, "docs": n, "bytes": bytes,
            "bands": params.bands(), "rows": params.rows(),
            "s_curve_threshold": params.threshold(),
            "false_positive_rate": params.false_positive_rate(),
            "false_negative_rate": params.false_negative_rate(),
            "sig_e2e_s": signing_s, "build_times": build_t, "query_times": query_t,
            "times": build_t.iter().zip(&query_t).map(|(b, q)| b + q).collect::<Vec<_>>(),
            "median_s": bm + qm, "build_median_s": bm, "query_median_s": qm,
            "candidate_pairs": pairs.len(), "truth_pairs": truth.len(),
            "recall_truth": hit as f64 / truth.len() as f64,
            "index_bytes": index_bytes,
            "index_bytes_per_article": index_bytes as f64 / n as f64,
            "bytes_per_article_with_signatures":
                (index_bytes + n * 4 * hasher.num_hashes()) as f64 / n as f64,
        }));
    }
    Ok(())
}

fn mode_err(args: &Args, texts: &[String]) -> BoxResult<()> {
    let hasher = MinHasher::new();
    // The fast tokeniser must give the reference shingle sets: compare the
    // number of distinct shingles of every document.
    let mismatched: usize = texts
        .par_iter()
        .map_init(
            || Signer::new(&hasher),
            |s, t| {
                s.tokenize(t);
                s.shingles.clear();
                shingle_hashes_into(&s.tokens, 3, &mut s.shingles);
                let mine: HashSet<u64> = s.shingles.iter().copied().collect();
                usize::from(mine.len() != reference_shingles(t).len())
            },
        )
        .sum();
    let pairs = read_pairs(&args.corpus.with_file_name("pairs.tsv"))?;
    let mut signer = Signer::new(&hasher);
    let mut diffs = Vec::new();
    let mut sum_exact = 0.0;
    for &(a, b) in &pairs {
        let (ta, tb) = (&texts[a as usize], &texts[b as usize]);
        let (sa, sb) = (reference_shingles(ta), reference_shingles(tb));
        let inter = sa.intersection(&sb).count() as f64;
        let exact = inter / ((sa.len() + sb.len()) as f64 - inter);
        let est = signer.sign(ta).jaccard(&signer.sign(tb));
        diffs.push(est - exact);
        sum_exact += exact;
    }
    let k = diffs.len() as f64;
    let rmse = (diffs.iter().map(|d| d * d).sum::<f64>() / k).sqrt();
    let mut abs: Vec<f64> = diffs.iter().map(|d| d.abs()).collect();
    abs.sort_by(f64::total_cmp);
    emit(&json!({
        "mode": "err", "tool": "story-cluster", "pairs": pairs.len(),
        "num_hashes": hasher.num_hashes(), "rmse": rmse,
        "mae": abs.iter().sum::<f64>() / k, "bias": diffs.iter().sum::<f64>() / k,
        "p95_abs": abs[((0.95 * k) as usize).min(abs.len() - 1)],
        "max_abs": abs.last().copied().unwrap_or(0.0),
        "mean_exact_J": sum_exact / k,
        "docs_checked": texts.len(), "docs_shingle_count_mismatch": mismatched,
    }));
    Ok(())
}

fn main() -> BoxResult<()> {
    let args = parse_args()?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build_global()?;
    let mut articles = load(&args.corpus)?;
    if args.detect {
        for a in &mut articles {
            a.language = None;
        }
    }
    let texts: Vec<String> = articles.iter().map(|a| a.text.clone()).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    match args.mode.as_str() {
        "bench" => {
            mode_e2e(&args, &texts, bytes);
            mode_pipeline(&args, &articles, bytes)?;
        }
        "e2e" => mode_e2e(&args, &texts, bytes),
        "pipeline" => mode_pipeline(&args, &articles, bytes)?,
        "stages" => mode_stages(&args, &articles, bytes),
        "lsh" => mode_lsh(&args, &texts, bytes)?,
        "err" => mode_err(&args, &texts)?,
        "all" => {
            mode_e2e(&args, &texts, bytes);
            mode_pipeline(&args, &articles, bytes)?;
            mode_lsh(&args, &texts, bytes)?;
            mode_err(&args, &texts)?;
        }
        m => return Err(format!("unknown mode {m:?}").into()),
    }
    Ok(())
}
