//! Prints one line per article of a JSON-lines corpus: its id and a digest
//! of its whole analysis (`__bench::analysis_digest`). Two builds that print
//! the same lines analyse every article alike.
//!
//! ```text
//! digest CORPUS.jsonl > digests.txt
//! ```

use std::io::Write;

use story_cluster::minhash::MinHasher;
use story_cluster::Article;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Stops at the first bad line: two digests compare only when both runs
/// analysed every line.
fn run() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: digest CORPUS.jsonl")?;
    let data = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let hasher = MinHasher::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let article = Article::from_json(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let d = story_cluster::__bench::analysis_digest(&article, &hasher);
        writeln!(out, "{} {d:016x}", article.id).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
