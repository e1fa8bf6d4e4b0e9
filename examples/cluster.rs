//! Cluster articles into stories.
//!
//! ```text
//! cargo run --release --example cluster -- FILE.jsonl   # or - for stdin
//! cargo run --release --example cluster                 # the built-in demo set
//! cargo run --release --example cluster -- FILE.jsonl --threshold 0.25
//! ```
//!
//! Options: `--threshold X` (score to join a story; lower trades precision
//! for recall), `--anchor-weight W`, `--stream` (add one article at a time
//! instead of in one batch; the result is the same, only slower).
//!
//! Input: one JSON article a line (`{"id", "title", "text", "published",
//! "lang", "source"}`; only `id` is required). Output: one
//! `{"id", "story", "lang"}` line per article on stdout. A bad line is
//! reported on stderr with its line number and skipped; the count of skipped
//! lines is printed at the end.

use std::io::{BufRead, BufReader, Write};

use story_cluster::{Article, Clusterer, ClustererBuilder};

mod common;

/// The demo set: articles written for this project about made-up events,
/// in the input format.
const DEMO: &str = include_str!("data/demo.jsonl");

struct Options {
    /// Built from the options before any input is read, so that a bad
    /// setting is reported at once.
    clusterer: Clusterer,
    stream: bool,
}

fn parse_args() -> Result<(Option<String>, Options), String> {
    let mut path = None;
    let mut builder: ClustererBuilder = Clusterer::builder();
    let mut stream = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if common::clusterer_option(&mut builder, &arg, &mut args)? {
            continue;
        }
        match arg.as_str() {
            "--stream" => stream = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => {
                if let Some(first) = &path {
                    return Err(format!("one input file, not two: {first} and {arg}"));
                }
                path = Some(arg);
            }
        }
    }
    let clusterer = builder.build().map_err(|e| e.to_string())?;
    Ok((path, Options { clusterer, stream }))
}

fn main() {
    let result = parse_args().and_then(|(path, opts)| match path.as_deref() {
        None => run_demo(opts),
        Some("-") => run(BufReader::new(std::io::stdin()), opts),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => run(BufReader::new(f), opts),
            Err(e) => Err(format!("cannot open {path}: {e}")),
        },
    });
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(input: impl BufRead, opts: Options) -> Result<(), String> {
    let (articles, skipped) = common::read_articles(input)?;
    let mut clusterer = opts.clusterer;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Articles are added in file order; analysis runs in parallel.
    let (lines, articles): (Vec<usize>, Vec<Article>) = articles.into_iter().unzip();
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    // What the library will cut (its assignments only say that it did).
    let cut: Vec<(bool, bool)> = articles
        .iter()
        .map(|a| {
            (
                a.title.len() > story_cluster::MAX_TITLE_BYTES,
                a.text.len() > story_cluster::MAX_TEXT_BYTES,
            )
        })
        .collect();
    let assignments = if opts.stream {
        let mut out = Vec::with_capacity(articles.len());
        for (line, article) in lines.iter().zip(articles) {
            out.push(
                clusterer
                    .add(article)
                    .map_err(|e| format!("line {line}: {e}"))?,
            );
        }
        out
    } else {
        clusterer.add_batch(articles).map_err(|e| e.to_string())?
    };
    // The story each article is in at the end: a later article can show
    // that two stories tell one event and merge them.
    for (id, a) in ids.iter().zip(&assignments) {
        let story = clusterer.story_of(id).unwrap_or(a.story);
        let row =
            serde_json::json!({"id": id, "story": story.to_string(), "lang": a.language.code()});
        writeln!(out, "{row}").map_err(|e| e.to_string())?;
    }
    // Text beyond the limits is cut, not lost silently: say which.
    let mut truncated = 0usize;
    for ((id, a), &(title, text)) in ids.iter().zip(&assignments).zip(&cut) {
        if title {
            eprintln!(
                "{id:?}: title cut at {} bytes",
                story_cluster::MAX_TITLE_BYTES
            );
        }
        if text {
            eprintln!(
                "{id:?}: text cut at {} bytes",
                story_cluster::MAX_TEXT_BYTES
            );
        }
        debug_assert_eq!(a.truncated, title || text);
        truncated += usize::from(a.truncated);
    }
    eprintln!(
        "{} articles in {} stories; {skipped} line(s) skipped; {truncated} article(s) cut",
        assignments.len(),
        clusterer.stories().len()
    );
    Ok(())
}

fn run_demo(opts: Options) -> Result<(), String> {
    let mut clusterer = opts.clusterer;
    let articles: Vec<Article> = DEMO
        .lines()
        .map(Article::from_json)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let titles: std::collections::HashMap<String, String> = articles
        .iter()
        .map(|a| (a.id.clone(), a.title.clone()))
        .collect();
    if opts.stream {
        for a in articles {
            clusterer.add(a).map_err(|e| e.to_string())?;
        }
    } else {
        clusterer.add_batch(articles).map_err(|e| e.to_string())?;
    }
    println!(
        "{} demo articles in {} stories\n",
        clusterer.len(),
        clusterer.stories().len()
    );
    for story in clusterer.stories() {
        let langs: Vec<&str> = story.languages().iter().map(|l| l.code()).collect();
        println!(
            "{}  [{}]  anchors: {}",
            story.id(),
            langs.join(", "),
            story.top_anchors(5).join(" ")
        );
        for id in story.members() {
            println!("    {id:<8} {}", titles[id]);
        }
        println!();
    }
    Ok(())
}
