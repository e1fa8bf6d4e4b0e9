//! Hostile input: arbitrary ids, titles, texts and times never panic,
//! results are deterministic, batches equal streaming, and removal and
//! snapshots hold up on whatever was added.

use proptest::prelude::*;
use story_cluster::{Article, Clusterer, ErrorKind, Language};

/// Text drawn from a mix of scripts, control characters, digits and
/// punctuation, with enough repetition for articles to share words.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 .,'’\\-]{0,200}",
        "(Velmora|Drumkell|NATO-s|dell'Ucraina|600.000|Phenian|Știri|\u{0}|\u{202e}|\t|\n| )*",
        proptest::collection::vec(any::<char>(), 0..64).prop_map(|v| v.into_iter().collect()),
    ]
}

fn article() -> impl Strategy<Value = Article> {
    (
        "[a-z0-9\u{0}-\u{1f}é☃]{1,12}",
        text(),
        text(),
        proptest::option::of(any::<i64>()),
        proptest::option::of(prop_oneof![
            Just(Language::English),
            Just(Language::Romanian),
            Just(Language::Albanian),
            Just(Language::Unknown),
        ]),
    )
        .prop_map(|(id, title, text, published, language)| Article {
            id,
            title,
            text,
            published,
            language,
            source: None,
        })
}

/// Articles with distinct ids.
/// An article from a pool of four ids and four texts, published within a
/// day (hours apart) or undated: repeats, evictions and far jumps of the
/// clock are all likely.
fn timed_article() -> impl Strategy<Value = Article> {
    (0..4usize, 0..4usize, proptest::option::of(0..24i64)).prop_map(|(id, text, hour)| {
        let texts = [
            "Un cutremur de 5,6 grade a lovit Vrancea miercuri, a anunțat INFP.",
            "Un terremoto di magnitudo 5,6 ha colpito la Vrancea mercoledì.",
            "Primarul Bogdan Ilinca a inaugurat podul peste Siret la Bacău.",
            "Kryetari i bashkisë Erion Dervishi hapi urën e re në Shkodër.",
        ];
        let a = Article::new(format!("id{id}"), "", texts[text]);
        match hour {
            Some(h) => a.with_published(1_700_000_000 + h * 3600),
            None => a,
        }
    })
}

fn articles(max: usize) -> impl Strategy<Value = Vec<Article>> {
    proptest::collection::vec(article(), 0..max).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|a| seen.insert(a.id.clone()));
        v
    })
}

fn stream(list: &[Article]) -> Vec<(u32, bool)> {
    let mut c = Clusterer::builder().retention_days(30).build().unwrap();
    list.iter()
        .map(|a| {
            let r = c.add(a.clone()).unwrap();
            (r.story.0, r.is_new)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_articles_never_panic(list in articles(12), id in any::<String>()) {
        let mut c = Clusterer::new();
        for a in &list {
            c.add(a.clone()).unwrap();
        }
        for a in &list {
            for b in &list {
                c.explain(&a.id, &b.id).unwrap();
            }
            prop_assert!(c.story_of(&a.id).is_some());
        }
        // Arbitrary ids: accepted, or refused with an error.
        match c.add(Article::new(id.clone(), "", "")) {
            Ok(_) => prop_assert!(c.contains(&id)),
            Err(e) => prop_assert!(matches!(
                e.kind(),
                ErrorKind::Limit(_) | ErrorKind::DuplicateId(_)
            )),
        }
        let _ = c.stats();
    }

    #[test]
    fn assignments_are_deterministic(list in articles(12)) {
        prop_assert_eq!(stream(&list), stream(&list));
    }

    #[test]
    fn batch_equals_streaming(list in articles(12)) {
        let mut c = Clusterer::builder().retention_days(30).build().unwrap();
        let batch: Vec<(u32, bool)> = c
            .add_batch(list.clone())
            .unwrap()
            .into_iter()
            .map(|r| (r.story.0, r.is_new))
            .collect();
        prop_assert_eq!(batch, stream(&list));
    }

    #[test]
    fn removal_and_snapshots_hold_up(list in articles(12), keep in any::<u64>()) {
        let mut c = Clusterer::new();
        for a in &list {
            c.add(a.clone()).unwrap();
        }
        for (i, a) in list.iter().enumerate() {
            if keep >> (i % 64) & 1 == 0 {
                c.remove(&a.id).unwrap();
            }
        }
        let total: usize = c.stories().map(|s| s.len()).sum();
        prop_assert_eq!(total, c.len());
        let restored = Clusterer::from_snapshot(&c.to_snapshot().unwrap()).unwrap();
        let (x, y) = (restored.stats(), c.stats());
        prop_assert_eq!(
            (x.articles, x.stories, x.terms, x.postings, x.lsh_len),
            (y.articles, y.stories, y.terms, y.postings, y.lsh_len)
        );
        for a in &list {
            let _ = c.remove(&a.id);
        }
        let st = c.stats();
        prop_assert_eq!((st.articles, st.stories, st.terms, st.postings, st.lsh_len), (0, 0, 0, 0, 0));
    }

    #[test]
    fn arbitrary_bytes_never_load_and_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        prop_assert!(Clusterer::from_snapshot(&bytes).is_err());
    }
}

/// Strings shaped like the times and language codes feeds send, with
/// their parts mixed up, and anything at all.
fn time_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+ 0-9:TZz.,/]{0,40}",
        "(Mon|Fri|, |[0-9]{1,4}|Nov|-|:| |GMT|CET|[+-][0-9]{4}|T|Z|\\[UTC\\]|é)*",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any string gives a time or an input error, never a panic; a time
    /// read back from what it prints is the same time.
    #[test]
    fn time_strings_never_panic_and_round_trip(s in time_like()) {
        match Article::parse_time(&s) {
            Ok(t) => {
                let line = serde_json::to_string(&Article::new("x", "", "").with_published(t)).unwrap();
                prop_assert_eq!(Article::from_json(&line).unwrap().published, Some(t));
            }
            Err(e) => prop_assert!(matches!(e.kind(), ErrorKind::Input(_))),
        }
        let line = serde_json::json!({"id": "x", "published": s, "lang": s}).to_string();
        let _ = Article::from_json(&line);
        let _ = s.parse::<Language>();
    }
}

proptest! {
    // Cases where a repeated id was evicted on the way are a minority:
    // 512 cases meet some (64 often did not).
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// With a retention horizon and ids that come again, a batch either
    /// fails where adding one at a time first fails, adding nothing, or
    /// gives the assignments of adding one at a time. An id that the batch
    /// itself evicts on the way may come again (a user review found it
    /// refused), one still in the index may not.
    #[test]
    fn batch_equals_streaming_under_retention(
        prefix in proptest::collection::vec(timed_article(), 0..6),
        batch in proptest::collection::vec(timed_article(), 0..10),
    ) {
        let build = || {
            let mut c = Clusterer::builder().retention_secs(Some(3 * 3600)).build().unwrap();
            for a in &prefix {
                let _ = c.add(a.clone());
            }
            c
        };
        let mut one = build();
        let mut expected = Vec::new();
        let mut failed = None;
        for a in &batch {
            match one.add(a.clone()) {
                Ok(r) => expected.push(r),
                Err(e) => {
                    failed = Some(e.to_string());
                    break;
                }
            }
        }
        let mut c = build();
        let before = (c.len(), c.clock());
        match (c.add_batch(batch.clone()), failed) {
            (Ok(got), None) => prop_assert_eq!(got, expected),
            (Err(e), Some(msg)) => {
                prop_assert_eq!(e.to_string(), msg);
                prop_assert_eq!((c.len(), c.clock()), before);
            }
            (got, failed) => prop_assert!(false, "batch {:?}, one at a time {:?}", got.map(|v| v.len()), failed),
        }
    }
}
