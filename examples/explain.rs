//! Explain why two articles were, or were not, put in one story.
//!
//! ```text
//! cargo run --release --example explain -- FILE.jsonl ID_A ID_B
//! ```
//!
//! Clusters the file (as the `cluster` example does), then prints the
//! anchors the two articles share and the scores behind the decision.

use std::io::BufRead;

use story_cluster::{Article, Clusterer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, a, b] = args.as_slice() else {
        return Err("usage: explain FILE.jsonl ID_A ID_B".into());
    };
    let mut articles = Vec::new();
    for (n, line) in std::io::BufReader::new(std::fs::File::open(path)?)
        .lines()
        .enumerate()
    {
        match Article::from_json(&line?) {
            Ok(article) => articles.push(article),
            Err(e) => eprintln!("line {}: skipped: {e}", n + 1),
        }
    }
    let mut clusterer = Clusterer::new();
    clusterer.add_batch(articles)?;
    let e = clusterer.explain(a, b)?;
    println!(
        "{a} in {:?}, {b} in {:?}, same story: {}",
        clusterer.story_of(a),
        clusterer.story_of(b),
        e.same_story
    );
    println!(
        "score {:.3} (anchors {:.3}, stems {:.3}, shingle jaccard {:.3})",
        e.score, e.anchor_score, e.lexical_score, e.shingle_jaccard
    );
    println!("shared anchors (idf):");
    for (anchor, idf) in &e.shared_anchors {
        println!("  {anchor:<24} {idf:.2}");
    }
    for id in [a, b] {
        let anchors = clusterer.anchors(id).unwrap_or_default();
        let list: Vec<String> = anchors.iter().map(|(t, w)| format!("{t}:{w:.1}")).collect();
        println!("anchors of {id}: {}", list.join(" "));
    }
    Ok(())
}
