//! Lists which capitalised corpus words the alias table maps to which key,
//! most frequent first, to audit the table for wrong merges.
//!
//! Usage: `cargo run --release --bin alias_audit -- corpus.jsonl`

#[path = "../../../../src/alias.rs"]
mod alias;
#[path = "../../../../src/translit.rs"]
mod translit;

use std::collections::HashMap;

fn main() {
    let path = std::env::args().nth(1).expect("corpus path");
    let text = std::fs::read_to_string(path).expect("read corpus");
    let table = alias::AliasTable::global();
    let mut seen: HashMap<(String, &str), usize> = HashMap::new();
    let mut docs_with_match = 0;
    let mut docs = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let body = v["text"].as_str().unwrap_or("");
        let raw: Vec<&str> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let folded: Vec<String> = raw.iter().map(|w| translit::fold(w)).collect();
        let refs: Vec<&str> = folded.iter().map(String::as_str).collect();
        let caps: Vec<bool> = raw
            .iter()
            .map(|w| w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()))
            .collect();
        let found = table.find_all(&refs, &caps);
        docs += 1;
        docs_with_match += usize::from(!found.is_empty());
        for (s, l, c) in found {
            *seen.entry((raw[s..s + l].join(" "), c)).or_default() += 1;
        }
    }
    let mut rows: Vec<_> = seen.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!(
        "{docs_with_match} of {docs} documents have a match; {} variants",
        table.len()
    );
    for ((words, key), n) in rows {
        println!("{n}\t{key}\t{words}");
    }
}
