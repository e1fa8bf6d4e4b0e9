//! Reading a JSON-lines file of articles, shared by the `cluster` and
//! `explain` examples (a module, not an example: Cargo builds only
//! `examples/*.rs` and `examples/*/main.rs` as examples).

use std::collections::HashSet;
use std::io::BufRead;

use story_cluster::{Article, ClustererBuilder};

/// The clusterer's options of the `cluster` and `explain` examples,
/// `--threshold X` and `--anchor-weight W`: applies `arg` (its value taken
/// from `args`) to `builder` and returns `true`, or returns `false` for any
/// other argument.
pub fn clusterer_option(
    builder: &mut ClustererBuilder,
    arg: &str,
    args: &mut impl Iterator<Item = String>,
) -> Result<bool, String> {
    let mut value = || -> Result<f64, String> {
        let v = args.next().ok_or(format!("{arg} needs a value"))?;
        v.parse().map_err(|_| format!("{arg}: not a number: {v}"))
    };
    match arg {
        "--threshold" => *builder = builder.threshold(value()?),
        "--anchor-weight" => *builder = builder.anchor_weight(value()?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// The articles of `input`, one JSON object a line, each with its line
/// number, and the number of lines skipped. Blank lines are ignored; a line
/// that is not UTF-8, not an article or repeats an earlier id is reported on
/// stderr with its number and skipped (the first article with an id is
/// kept). Only a read error stops the reading.
pub fn read_articles(input: impl BufRead) -> Result<(Vec<(usize, Article)>, usize), String> {
    let mut articles = Vec::new();
    let mut skipped = 0usize;
    let mut seen = HashSet::new();
    for (n, line) in input.lines().enumerate() {
        let line_no = n + 1;
        let line = match line {
            Ok(l) => l,
            // Not UTF-8: that line alone is bad (its bytes are consumed).
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                eprintln!("line {line_no}: skipped: {e}");
                skipped += 1;
                continue;
            }
            Err(e) => return Err(format!("line {line_no}: {e}")),
        };
        if line.trim().is_empty() {
            continue;
        }
        match Article::from_json(&line) {
            Ok(a) if !seen.insert(a.id.clone()) => {
                eprintln!("line {line_no}: skipped: duplicate id {:?}", a.id);
                skipped += 1;
            }
            Ok(a) => articles.push((line_no, a)),
            Err(e) => {
                eprintln!("line {line_no}: skipped: {e}");
                skipped += 1;
            }
        }
    }
    Ok((articles, skipped))
}
