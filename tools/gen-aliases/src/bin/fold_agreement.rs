//! Measures how often a capitalised name of an English article folds to a
//! key that also occurs among the capitalised words of a translation of the
//! same article (agreement), and of an unrelated article in the same
//! language (noise), for several key designs.
//!
//! Usage: `cargo run --release --bin fold_agreement -- corpus.jsonl`
//! (lines with `lang`, `text`, `cluster`).

#[path = "../../../../src/translit.rs"]
mod translit;

use std::collections::{BTreeMap, HashMap, HashSet};

type KeyFn = fn(&str) -> String;

fn words(text: &str) -> Vec<(bool, &str)> {
    // (sentence_initial, word)
    let mut out = Vec::new();
    let mut initial = true;
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(s) = start.take() {
                out.push((initial, &text[s..i]));
                initial = false;
            }
            if matches!(c, '.' | '!' | '?' | '\n' | ':' | '"' | '«' | '„' | '“') {
                initial = true;
            }
        }
    }
    out
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 3
}

fn main() {
    let path = std::env::args().nth(1).expect("corpus path");
    let text = std::fs::read_to_string(path).expect("read corpus");
    // cluster -> lang -> text
    let mut docs: BTreeMap<String, HashMap<String, String>> = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let body = format!(
            "{}\n{}",
            v["title"].as_str().unwrap_or(""),
            v["text"].as_str().unwrap_or("")
        );
        docs.entry(v["cluster"].to_string())
            .or_default()
            .insert(v["lang"].as_str().unwrap().to_string(), body);
    }
    // English words seen lowercase anywhere are common words, not names.
    let mut lower_en = HashSet::new();
    for d in docs.values() {
        for (_, w) in words(&d["en"]) {
            if !capitalised(w) {
                lower_en.insert(w.to_lowercase());
            }
        }
    }
    let fold: KeyFn = translit::fold;
    let prefix5: KeyFn = |w| translit::fold(w).chars().take(5).collect();
    let prefix4: KeyFn = |w| translit::fold(w).chars().take(4).collect();
    let skel: KeyFn = |w| translit::skeleton(&translit::fold(w));
    let skel4: KeyFn = |w| {
        translit::skeleton(&translit::fold(w))
            .chars()
            .take(4)
            .collect()
    };
    let designs: [(&str, KeyFn); 5] = [
        ("full fold", fold),
        ("fold, first 5", prefix5),
        ("fold, first 4", prefix4),
        ("skeleton", skel),
        ("skeleton, first 4", skel4),
    ];
    let clusters: Vec<&HashMap<String, String>> = docs.values().collect();
    let langs: Vec<String> = {
        let mut l: Vec<String> = clusters[0].keys().filter(|l| *l != "en").cloned().collect();
        l.sort();
        l
    };
    for (name, key) in designs {
        let (mut hit, mut total, mut noise) = (0usize, 0usize, 0usize);
        let mut per_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (ci, d) in clusters.iter().enumerate() {
            let other = clusters[(ci + 1) % clusters.len()];
            let names: HashSet<String> = words(&d["en"])
                .into_iter()
                .filter(|(init, w)| {
                    !init && capitalised(w) && !lower_en.contains(&w.to_lowercase())
                })
                .map(|(_, w)| key(w))
                .filter(|k| !k.is_empty())
                .collect();
            for lang in &langs {
                let keys = |t: &str| -> HashSet<String> {
                    words(t)
                        .into_iter()
                        .filter(|(_, w)| capitalised(w))
                        .map(|(_, w)| key(w))
                        .collect()
                };
                let same = keys(&d[lang]);
                let diff = keys(&other[lang]);
                let h = names.iter().filter(|k| same.contains(*k)).count();
                hit += h;
                noise += names.iter().filter(|k| diff.contains(*k)).count();
                total += names.len();
                let e = per_lang.entry(lang).or_default();
                e.0 += h;
                e.1 += names.len();
            }
        }
        println!(
            "{name:18} agreement {:5.1}%  noise {:5.1}%  ({total} name-translation pairs)",
            100.0 * hit as f64 / total as f64,
            100.0 * noise as f64 / total as f64
        );
        let row: Vec<String> = per_lang
            .iter()
            .map(|(l, (h, t))| format!("{l} {:.0}", 100.0 * *h as f64 / *t as f64))
            .collect();
        println!("    {}", row.join(", "));
    }
}
