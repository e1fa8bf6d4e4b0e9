//! Explain why two articles were, or were not, put in one story.
//!
//! ```text
//! cargo run --release --example explain -- FILE.jsonl ID_A ID_B
//! cargo run --release --example explain -- FILE.jsonl ID_A ID_B --threshold 0.25
//! ```
//!
//! Clusters the file (as the `cluster` example does, with the same
//! `--threshold` and `--anchor-weight` options; bad lines reported and
//! skipped), then prints the stories the two articles ended in, the anchors
//! they share, and their pair score with its anchor and stem cosines. A
//! decision scores an article against a whole story, with rules the pair
//! score leaves out (see `Clusterer::explain`): the output says when one of
//! them, the cap over a single shared anchor, applies.

use std::io::Write;

use story_cluster::{Article, Clusterer};

mod common;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    const USAGE: &str = "usage: explain FILE.jsonl ID_A ID_B [--threshold X] [--anchor-weight W]";
    let mut builder = Clusterer::builder();
    let mut positional = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if common::clusterer_option(&mut builder, &arg, &mut args)? {
            continue;
        }
        match arg.as_str() {
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}").into()),
            _ => positional.push(arg),
        }
    }
    let [path, a, b] = positional.as_slice() else {
        return Err(USAGE.into());
    };
    let mut clusterer = builder.build()?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let (articles, _) = common::read_articles(std::io::BufReader::new(file))?;
    let articles: Vec<Article> = articles.into_iter().map(|(_, a)| a).collect();
    clusterer.add_batch(articles)?;
    let e = clusterer.explain(a, b)?;
    // A closed pipe (`| head`) ends the output with an error, not a panic.
    let mut out = std::io::stdout().lock();
    let story = |id: &str| clusterer.story_of(id).map(|s| s.to_string());
    writeln!(
        out,
        "{a} in {}, {b} in {}, same story: {}",
        story(a).unwrap_or_default(),
        story(b).unwrap_or_default(),
        e.same_story
    )?;
    writeln!(
        out,
        "pair score {:.3} (anchors {:.3}, stems {:.3}, shingle jaccard {:.3})",
        e.score, e.anchor_score, e.lexical_score, e.shingle_jaccard
    )?;
    if e.shared_anchors.len() < 2 {
        writeln!(
            out,
            "one shared anchor or none: a decision counts the anchor cosine for at most {:.3} \
             (half the threshold)",
            clusterer.config().threshold() / 2.0
        )?;
    }
    writeln!(out, "shared anchors (idf):")?;
    for (anchor, idf) in &e.shared_anchors {
        writeln!(out, "  {anchor:<24} {idf:.2}")?;
    }
    for id in [a, b] {
        let anchors = clusterer.anchors(id).unwrap_or_default();
        let list: Vec<String> = anchors.iter().map(|(t, w)| format!("{t}:{w:.1}")).collect();
        writeln!(out, "anchors of {id}: {}", list.join(" "))?;
    }
    Ok(())
}
