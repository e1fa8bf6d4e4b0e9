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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: digest CORPUS.jsonl")?;
    let data = std::fs::read_to_string(path)?;
    let hasher = MinHasher::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let article = Article::from_json(line)?;
        let d = story_cluster::__bench::analysis_digest(&article, &hasher);
        writeln!(out, "{} {d:016x}", article.id)?;
    }
    Ok(())
}
