//! Explain why two articles were, or were not, put in one story.
//!
//! ```text
//! cargo run --release --example explain -- FILE.jsonl ID_A ID_B
//! ```
//!
//! Clusters the file (as the `cluster` example does, bad lines reported and
//! skipped), then prints the anchors the two articles share and the scores
//! behind the decision.

use story_cluster::{Article, Clusterer};

mod common;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, a, b] = args.as_slice() else {
        return Err("usage: explain FILE.jsonl ID_A ID_B".into());
    };
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let (articles, _) = common::read_articles(std::io::BufReader::new(file))?;
    let articles: Vec<Article> = articles.into_iter().map(|(_, a)| a).collect();
    let mut clusterer = Clusterer::new();
    clusterer.add_batch(articles)?;
    let e = clusterer.explain(a, b)?;
    let story = |id: &str| clusterer.story_of(id).map(|s| s.to_string());
    println!(
        "{a} in {}, {b} in {}, same story: {}",
        story(a).unwrap_or_default(),
        story(b).unwrap_or_default(),
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
