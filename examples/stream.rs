//! A small aggregator backend: assign stories to a stream of articles one at
//! a time, forget what falls behind the retention horizon, snapshot
//! periodically and resume from the snapshot after a restart.
//!
//! ```text
//! cargo run --release --example stream -- --input articles.jsonl \
//!     --snapshot state.snap --every 10000 --retention-days 7
//! producer | cargo run --release --example stream -- --snapshot state.snap
//! ```
//!
//! Options: `--input FILE` (default: stdin), `--snapshot PATH` (load it if
//! it exists; save to it every `--every N` added articles, default 10000,
//! and at the end), `--retention-days D` (default 7; used only when no
//! snapshot exists, a snapshot keeps its own configuration), `--reserve N`
//! (room for N more articles at start, [`Clusterer::reserve`]: no add then
//! pays for growing the index until N have come).
//!
//! Input: one JSON article a line (`{"id", "title", "text", "published",
//! "lang", "source"}`). Output: one `{"id", "story", "lang", "new", "merged"}`
//! line per article assigned, on stdout (`merged`: ids of stories the article
//! merged into `story`, which no longer exist), with `"split": {"story",
//! "articles"}` added when the article's joining split its story (the
//! articles listed moved to the new story); progress and bad lines on
//! stderr.
//!
//! On resume, articles already in the index (same id) are skipped, and so
//! are articles older than the retention horizon of the restored clock
//! (they were added and evicted before the restart); the final progress
//! line counts them. Articles assigned after the last snapshot and before
//! a crash are assigned again, identically. Without a snapshot to resume
//! from, nothing is taken for a replay: an id seen before in the input is
//! reported on stderr with its line number and skipped (the first article
//! with it is kept), and an article older than the horizon is clustered
//! like any other (the library keeps it until the clock moves).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use story_cluster::{Article, Clusterer};

struct Options {
    input: Option<PathBuf>,
    snapshot: Option<PathBuf>,
    every: usize,
    retention_days: u32,
    reserve: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        input: None,
        snapshot: None,
        every: 10_000,
        retention_days: 7,
        reserve: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--input" => opts.input = Some(value("--input")?.into()),
            "--snapshot" => opts.snapshot = Some(value("--snapshot")?.into()),
            "--every" => {
                let v = value("--every")?;
                opts.every = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("--every: not a positive number: {v}"))?;
            }
            "--retention-days" => {
                let v = value("--retention-days")?;
                opts.retention_days = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("--retention-days: not a positive number: {v}"))?;
            }
            "--reserve" => {
                let v = value("--reserve")?;
                opts.reserve = v
                    .parse()
                    .map_err(|_| format!("--reserve: not a number: {v}"))?;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(opts)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let opts = parse_args()?;
    let (mut clusterer, resumed) = open(&opts)?;
    let input: Box<dyn Read> = match &opts.input {
        Some(path) => Box::new(std::fs::File::open(path)?),
        None => Box::new(std::io::stdin()),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let start = Instant::now();
    let (mut added, mut skipped, mut bad, mut since_snapshot) = (0usize, 0usize, 0usize, 0usize);
    // The longest single `add`, in seconds: what a caller waits at worst.
    let mut slowest = 0.0f64;
    for (n, line) in BufReader::new(input).lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            // Not UTF-8: that line alone is bad (its bytes are consumed).
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                eprintln!("line {}: {e}", n + 1);
                bad += 1;
                continue;
            }
            // The input failed: keep what was added before giving up.
            Err(e) => {
                out.flush()?;
                if let Some(path) = &opts.snapshot {
                    snapshot(&clusterer, path)?;
                }
                return Err(format!("line {}: {e}", n + 1).into());
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let article = match Article::from_json(&line) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("line {}: {e}", n + 1);
                bad += 1;
                continue;
            }
        };
        match admission(&clusterer, &article, resumed) {
            Admission::Add => {}
            Admission::Duplicate => {
                eprintln!("line {}: skipped: duplicate id {:?}", n + 1, article.id);
                skipped += 1;
                continue;
            }
            Admission::Replayed => {
                skipped += 1;
                continue;
            }
        }
        let id = article.id.clone();
        let t = Instant::now();
        let added_article = clusterer.add(article);
        slowest = slowest.max(t.elapsed().as_secs_f64());
        let assignment = match added_article {
            Ok(a) => a,
            Err(e) => {
                eprintln!("line {}: {e}", n + 1);
                bad += 1;
                continue;
            }
        };
        let mut record = serde_json::json!({
            "id": id,
            "story": assignment.story.0,
            "lang": assignment.language.code(),
            "new": assignment.is_new,
            "merged": assignment.merged.iter().map(|s| s.0).collect::<Vec<_>>(),
        });
        if let Some(split) = &assignment.split {
            record["split"] = serde_json::json!({
                "story": split.story.0,
                "articles": split.articles,
            });
        }
        writeln!(out, "{record}")?;
        added += 1;
        since_snapshot += 1;
        if since_snapshot >= opts.every {
            if let Some(path) = &opts.snapshot {
                out.flush()?;
                snapshot(&clusterer, path)?;
            }
            since_snapshot = 0;
        }
        if added % 10_000 == 0 {
            progress(&clusterer, (added, skipped, bad), start, slowest);
        }
    }
    out.flush()?;
    if let Some(path) = &opts.snapshot {
        snapshot(&clusterer, path)?;
    }
    progress(&clusterer, (added, skipped, bad), start, slowest);
    Ok(())
}

/// The snapshot's clusterer if there is one (`true`: a resumed run), else a
/// new one; with room for `--reserve` more articles.
fn open(opts: &Options) -> Result<(Clusterer, bool), Box<dyn std::error::Error>> {
    let (mut clusterer, resumed) = match &opts.snapshot {
        Some(path) if path.exists() => {
            let t = Instant::now();
            let c = Clusterer::load(path)?;
            eprintln!(
                "resumed from {}: {} articles, {} stories ({:.2} s)",
                path.display(),
                c.len(),
                c.stories().len(),
                t.elapsed().as_secs_f64()
            );
            (c, true)
        }
        _ => (
            Clusterer::builder()
                .retention_days(opts.retention_days)
                .build()?,
            false,
        ),
    };
    clusterer.reserve(opts.reserve);
    Ok((clusterer, resumed))
}

/// What becomes of an article read from the input.
#[derive(Debug, PartialEq, Eq)]
enum Admission {
    /// Clustered.
    Add,
    /// Fresh run: its id came earlier in the input. Skipped and reported
    /// (the first article with the id is kept).
    Duplicate,
    /// Resumed run: it was added before the restart (its id is in the
    /// index, or it is older than the restored clock's horizon, so it was
    /// added and evicted). Skipped and counted.
    Replayed,
}

/// Whether `a` is clustered, on a resumed run (`resumed`) or a fresh one.
/// A fresh run clusters an article older than the horizon, as the library
/// does: nothing in it is a replay.
fn admission(c: &Clusterer, a: &Article, resumed: bool) -> Admission {
    if c.contains(&a.id) {
        if resumed {
            Admission::Replayed
        } else {
            Admission::Duplicate
        }
    } else if resumed && behind_horizon(c, a) {
        Admission::Replayed
    } else {
        Admission::Add
    }
}

/// An article the restored clusterer would evict at once: it was evicted
/// before the restart.
fn behind_horizon(c: &Clusterer, a: &Article) -> bool {
    match (c.config().retention_secs(), c.clock(), a.published) {
        (Some(r), Some(clock), Some(p)) => p < clock.saturating_sub(r),
        _ => false,
    }
}

fn snapshot(c: &Clusterer, path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    c.save(path)?;
    eprintln!(
        "snapshot: {} articles to {} ({} bytes, {:.2} s)",
        c.len(),
        path.display(),
        std::fs::metadata(path)?.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn progress(
    c: &Clusterer,
    (added, skipped, bad): (usize, usize, usize),
    start: Instant,
    slowest: f64,
) {
    let s = c.stats();
    eprintln!(
        "{added} added, {skipped} skipped, {bad} bad lines, {:.0} articles/s, slowest add {:.1} ms; index: {} articles, {} stories, {} terms, ~{} KiB",
        added as f64 / start.elapsed().as_secs_f64().max(1e-9),
        slowest * 1e3,
        s.articles,
        s.stories,
        s.terms,
        s.approx_bytes / 1024
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600;

    fn article(id: &str, published: i64) -> Article {
        Article::new(
            id,
            "Podul de la Vadu Nou s-a redeschis",
            "Podul peste râul Olt de la Vadu Nou s-a redeschis luni după trei luni de lucrări.",
        )
        .with_published(published)
    }

    /// A clusterer keeping 7 days, its clock at day 30, with one article.
    fn clusterer() -> Clusterer {
        let mut c = Clusterer::builder().retention_days(7).build().unwrap();
        c.add(article("a", 30 * DAY)).unwrap();
        c
    }

    #[test]
    fn a_fresh_run_reports_a_repeated_id_and_clusters_a_late_article() {
        let c = clusterer();
        let admit = |id, day| admission(&c, &article(id, day * DAY), false);
        assert_eq!(admit("a", 30), Admission::Duplicate);
        assert_eq!(admit("late", 10), Admission::Add);
        assert_eq!(admit("b", 30), Admission::Add);
    }

    #[test]
    fn a_resumed_run_skips_what_it_added_before_the_restart() {
        let c = clusterer();
        let admit = |id, day| admission(&c, &article(id, day * DAY), true);
        assert_eq!(admit("a", 30), Admission::Replayed);
        assert_eq!(admit("late", 10), Admission::Replayed);
        // Just inside the horizon, and undated: not seen before the restart.
        assert_eq!(admit("edge", 23), Admission::Add);
        let undated = Article::new("undated", "Titlu", "Un text scurt despre pod.");
        assert_eq!(admission(&c, &undated, true), Admission::Add);
    }
}
