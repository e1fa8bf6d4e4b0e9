//! Measures language detection on a JSON Lines corpus.
//!
//! ```text
//! cargo run --release --example langid -- corpus.jsonl
//! ```
//!
//! Each line is an article with `title`, `text` and a gold `lang`; the
//! detector sees only `title + "\n" + text`, and `lang` is read for scoring.
//! Prints per-language accuracy and the confusion table (gold → detected
//! counts). Bad lines are reported with their line number and skipped.
//! With `--errors` after the file name, every misdetected article's `id`
//! is printed too. With `--min-accuracy X` (a fraction, e.g. `0.99`), the
//! exit status is 1 when some language's accuracy is below X (CI uses it).
//! With `--titles`, the detector sees the `title` alone: a measure of
//! short text (headlines of a few words).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use story_cluster::lang::{detect, DETECT_PREFIX_BYTES};
use story_cluster::Language;

/// What the command line asks for.
struct Options {
    path: String,
    show_errors: bool,
    min_accuracy: Option<f64>,
    titles_only: bool,
}

/// `FILE [--errors] [--min-accuracy X] [--titles]`; exits with status 2 on
/// bad usage.
fn parse_args() -> Options {
    const USAGE: &str = "usage: langid FILE.jsonl [--errors] [--min-accuracy X] [--titles]";
    let fail = |why: &str| -> ! {
        eprintln!("{why}\n{USAGE}");
        std::process::exit(2);
    };
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        fail("no input file")
    };
    let mut options = Options {
        path,
        show_errors: false,
        min_accuracy: None,
        titles_only: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--errors" => options.show_errors = true,
            "--titles" => options.titles_only = true,
            "--min-accuracy" => {
                let x = args.next().and_then(|v| v.parse::<f64>().ok());
                options.min_accuracy =
                    Some(x.unwrap_or_else(|| fail("--min-accuracy needs a number")));
            }
            _ => fail(&format!("unknown argument {arg:?}")),
        }
    }
    options
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Gold code -> detected code -> count.
type Confusion = BTreeMap<String, BTreeMap<String, usize>>;

/// Detects the language of every article of `path`: the confusion counts,
/// the bytes examined and the time detection took.
fn tally(
    path: &str,
    show_errors: bool,
    titles_only: bool,
) -> Result<(Confusion, usize, Duration), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let reader = BufReader::new(file);
    let mut confusion = Confusion::new();
    let mut bytes = 0usize;
    let mut elapsed = Duration::ZERO;
    for (n, line) in reader.lines().enumerate() {
        let line_no = n + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("line {line_no}: unreadable: {e}");
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("line {line_no}: bad json: {e}");
                continue;
            }
        };
        let Some(gold) = value.get("lang").and_then(|v| v.as_str()) else {
            eprintln!("line {line_no}: no string field `lang`, skipped");
            continue;
        };
        // Gold codes are read as the library reads language hints (`ro-RO`,
        // `RON`, `no` for Norwegian); a code it does not know stays as
        // written, and every article of it counts as misdetected.
        let gold = gold
            .parse::<Language>()
            .map_or_else(|_| gold.to_string(), |l| l.code().to_string());
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or("");
        let text = if titles_only {
            field("title").to_string()
        } else {
            format!("{}\n{}", field("title"), field("text"))
        };
        let start = Instant::now();
        let detection = detect(&text);
        elapsed += start.elapsed();
        bytes += text.len().min(DETECT_PREFIX_BYTES);
        if show_errors && detection.language.code() != gold.as_str() {
            println!(
                "line {line_no}: id {} gold {gold} detected {} (confidence {:.2}, {} bytes)",
                value.get("id").unwrap_or(&serde_json::Value::Null),
                detection.language,
                detection.confidence,
                text.len()
            );
        }
        *confusion
            .entry(gold)
            .or_default()
            .entry(detection.language.code().to_string())
            .or_default() += 1;
    }
    Ok((confusion, bytes, elapsed))
}

fn run() -> Result<(), String> {
    let Options {
        path,
        show_errors,
        min_accuracy,
        titles_only,
    } = parse_args();
    let (confusion, bytes, elapsed) = tally(&path, show_errors, titles_only)?;

    let (mut total, mut correct) = (0usize, 0usize);
    let mut below = Vec::new();
    println!(
        "{:<5} {:>6} {:>6} {:>8}  confusion",
        "lang", "n", "ok", "acc"
    );
    for (gold, row) in &confusion {
        let n: usize = row.values().sum();
        let ok = row.get(gold).copied().unwrap_or(0);
        if min_accuracy.is_some_and(|x| (ok as f64) < x * n as f64) {
            below.push(gold.clone());
        }
        total += n;
        correct += ok;
        let cells: Vec<String> = row.iter().map(|(d, c)| format!("{d}:{c}")).collect();
        println!(
            "{gold:<5} {n:>6} {ok:>6} {:>7.2}%  {}",
            100.0 * ok as f64 / n as f64,
            cells.join(" ")
        );
    }
    if total > 0 {
        println!(
            "all   {total:>6} {correct:>6} {:>7.2}%",
            100.0 * correct as f64 / total as f64
        );
        let secs = elapsed.as_secs_f64().max(1e-9);
        println!(
            "detect: {:.1} us/article, {:.1} MB/s of examined prefix",
            1e6 * secs / total as f64,
            bytes as f64 / secs / 1e6
        );
    }
    if let Some(x) = min_accuracy {
        if total == 0 {
            return Err(format!(
                "--min-accuracy: no article with a gold `lang` in {path}"
            ));
        }
        if !below.is_empty() {
            return Err(format!("below {:.2}%: {}", 100.0 * x, below.join(", ")));
        }
    }
    Ok(())
}
