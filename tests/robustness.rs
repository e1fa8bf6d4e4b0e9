//! Bad input: every case gets a typed error or a documented result, never a
//! panic.

use story_cluster::{
    Article, Clusterer, ErrorKind, Language, MAX_ID_BYTES, MAX_TEXT_BYTES, MAX_TITLE_BYTES,
};

#[test]
fn empty_articles_open_their_own_stories() {
    let mut c = Clusterer::new();
    let a = c.add(Article::new("e1", "", "")).unwrap();
    let b = c.add(Article::new("e2", "", "")).unwrap();
    assert!(a.is_new && b.is_new, "nothing links two empty articles");
    assert_ne!(a.story, b.story);
    assert_eq!(a.language, Language::Unknown);
}

#[test]
fn binary_junk_is_analysed_without_panic() {
    let junk: String = (0u32..4000)
        .filter_map(|i| char::from_u32((i * 7919) % 0x3000))
        .collect();
    let mut c = Clusterer::new();
    c.add(Article::new("j1", "\u{0}\u{1}\u{fffd}", junk.clone()))
        .unwrap();
    c.add(Article::new(
        "j2",
        "",
        "\u{feff}\u{200b}\u{0}\u{7f}".repeat(100),
    ))
    .unwrap();
    let again = c
        .add(Article::new("j3", "\u{0}\u{1}\u{fffd}", junk))
        .unwrap();
    assert!(!again.is_new, "an exact copy is a near-duplicate");
}

#[test]
fn huge_articles_are_cut_and_flagged() {
    let paragraph = "Primăria din Sibiu a anunțat lucrări la podul de pe strada Râului, care vor costa 1.200.000 de lei. ";
    let text = paragraph.repeat(50 * 1024 * 1024 / paragraph.len());
    assert!(text.len() > MAX_TEXT_BYTES);
    let mut c = Clusterer::new();
    let a = c
        .add(Article::new("big", "Lucrări la Sibiu", text))
        .unwrap();
    assert!(a.truncated);
    let b = c
        .add(Article::new("small", "Lucrări la Sibiu", paragraph))
        .unwrap();
    assert!(!b.truncated);
    // A title is cut at its own, smaller limit.
    let title = "Lucrări ".repeat(MAX_TITLE_BYTES / 8 + 1);
    assert!(title.len() > MAX_TITLE_BYTES && title.len() < MAX_TEXT_BYTES);
    let t = c.add(Article::new("long-title", title, paragraph)).unwrap();
    assert!(t.truncated);
}

#[test]
fn unsupported_languages_are_clustered_by_anchors() {
    let mut c = Clusterer::new();
    let a = c
        .add(Article::new(
            "ja",
            "東京でNATO会議",
            "NATOのルッテ事務総長は2026年3月12日、東京で会議を開いた。参加者は1500人。",
        ))
        .unwrap();
    assert_eq!(a.language, Language::Unknown);
    let hinted = c
        .add(Article::new("ja2", "", "テキスト").with_language(Language::Unknown))
        .unwrap();
    assert_eq!(hinted.language, Language::Unknown);
}

/// A text of one line that quotes with guillemets, as Italian, French,
/// Slovenian and Russian news do, is no breadcrumb: its words stay, so its
/// language is detected and its names anchor.
#[test]
fn text_that_quotes_with_guillemets_is_kept() {
    let texts = [
        (
            Language::Italian,
            "Il sindaco Matteo Brunelli ha chiuso il ponte sul Secchia a Carpi. «Le crepe sono profonde», ha detto Brunelli, «e il ponte resterà chiuso fino a maggio per i lavori».",
        ),
        (
            Language::French,
            "Le maire Matthieu Brunel a fermé le pont de la Loire à Blois. «\u{a0}Les fissures sont profondes\u{a0}», a déclaré Brunel, «\u{a0}le pont restera fermé jusqu’en mai\u{a0}».",
        ),
    ];
    for (i, (language, text)) in texts.into_iter().enumerate() {
        let mut c = Clusterer::new();
        let id = format!("q{i}");
        let a = c.add(Article::new(id.clone(), "", text)).unwrap();
        assert_eq!(a.language, language, "{text}");
        let anchors = c.anchors(&id).unwrap();
        // The mayor, the river and the town at least.
        assert!(anchors.len() >= 3, "{text}: {anchors:?}");
    }
}

#[test]
fn a_language_hint_wins() {
    let mut c = Clusterer::new();
    let a = c
        .add(
            Article::new(
                "h",
                "",
                "The ministry said on Monday that the bridge will reopen.",
            )
            .with_language(Language::Albanian),
        )
        .unwrap();
    assert_eq!(a.language, Language::Albanian);
}

#[test]
fn ids_are_checked() {
    let mut c = Clusterer::new();
    c.add(Article::new("x", "t", "text")).unwrap();
    let dup = c.add(Article::new("x", "t", "text")).unwrap_err();
    assert!(matches!(dup.kind(), ErrorKind::DuplicateId(id) if id == "x"));
    let empty = c.add(Article::new("", "t", "text")).unwrap_err();
    assert!(matches!(empty.kind(), ErrorKind::Limit(_)));
    let long = c
        .add(Article::new("i".repeat(MAX_ID_BYTES + 1), "t", "text"))
        .unwrap_err();
    assert!(matches!(long.kind(), ErrorKind::Limit(_)));
    assert!(long.to_string().contains("513 bytes"), "{long}");
    // A failed batch adds nothing.
    let batch = vec![Article::new("y", "", ""), Article::new("y", "", "")];
    assert!(c.add_batch(batch).is_err());
    assert_eq!(c.len(), 1);
}

#[test]
fn invalid_json_lines_are_input_errors() {
    for line in [
        "",
        "{",
        "null",
        r#"{"title": "no id"}"#,
        r#"{"id": "a", "text": 5}"#,
        "\u{0}",
    ] {
        let e = Article::from_json(line).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Input(_)), "{line:?}: {e}");
    }
}

#[test]
fn invalid_configuration_is_rejected_with_the_value() {
    let e = Clusterer::builder().threshold(1.5).build().unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Config(_)));
    assert!(e.to_string().contains("1.5"), "{e}");
    assert!(Clusterer::builder().num_hashes(0).build().is_err());
    assert!(Clusterer::builder().near_duplicate(1.0).build().is_err());
    assert!(Clusterer::builder().window_secs(Some(0)).build().is_err());
    assert!(Clusterer::builder().max_candidates(0).build().is_err());
    assert!(Clusterer::builder().anchor_weight(-0.1).build().is_err());
}

#[test]
fn explain_unknown_ids_is_an_error() {
    let c = Clusterer::new();
    let e = c.explain("a", "b").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::UnknownId(_)));
}

/// `n` made-up lower-case words, all different, that no stemmer or alias
/// relates (`baxbaq`, `baxbeq`, …): no names, no numbers.
fn made_up_words(n: usize) -> Vec<String> {
    let consonants = [
        "b", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "z",
    ];
    let vowels = ["a", "e", "i", "o", "u"];
    let syllables = |end: &str| -> Vec<String> {
        let mut out = Vec::new();
        for c in consonants {
            for v in vowels {
                out.push(format!("{c}{v}{end}"));
            }
        }
        out
    };
    let (firsts, seconds) = (syllables("x"), syllables("q"));
    let mut words = Vec::with_capacity(n);
    for a in &firsts {
        for b in &seconds {
            words.push(format!("{a}{b}"));
        }
    }
    words.truncate(n);
    assert_eq!(words.len(), n);
    words
}

/// A text of one or two words makes one shingle, whose value fills the
/// whole signature: two such texts agree in every byte 1 time in 256. They
/// are not near-duplicates for that; two identical ones still join, on
/// their stems.
#[test]
fn short_texts_are_not_near_duplicates_by_chance() {
    let words = made_up_words(1200);
    let mut c = Clusterer::new();
    let articles: Vec<Article> = words
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            Article::new(format!("s{i}"), pair.join(" "), "").with_language(Language::Romanian)
        })
        .collect();
    let assignments = c.add_batch(articles).unwrap();
    for a in assignments.iter().filter(|a| !a.is_new) {
        eprintln!("{a:?}");
    }
    // 600 one-shingle sketches: about 700 pairs agree by chance.
    assert_eq!(c.stories().len(), 600);
    assert!(assignments.iter().all(|a| a.is_new));

    let twin = c
        .add(Article::new("twin", words[..2].join(" "), "").with_language(Language::Romanian))
        .unwrap();
    assert_eq!(Some(twin.story), c.story_of("s0"), "score {}", twin.score);
}

/// Identical short texts join whatever their language, also where no
/// stems count (an unsupported script, no names, no numbers): a sketch
/// equal in every byte decides, from five distinct values (fewer fill the
/// sketch with one or a few values, which other texts' equal by chance).
/// A removal and a snapshot keep it so.
#[test]
fn identical_short_texts_join_in_any_language() {
    let mut c = Clusterer::new();
    let add =
        |c: &mut Clusterer, id: &str, title: &str| c.add(Article::new(id, title, "")).unwrap();
    let first = add(&mut c, "zh-1", "北京今天发生特大暴雨");
    assert_eq!(first.language, Language::Unknown);
    let copy = add(&mut c, "zh-2", "北京今天发生特大暴雨");
    assert_eq!((copy.story, copy.score), (first.story, 1.0));
    let other = add(&mut c, "zh-3", "上海今天发生特大暴雨");
    assert!(other.is_new, "score {}", other.score);
    c.remove("zh-1").unwrap();
    let mut restored = Clusterer::from_snapshot(&c.to_snapshot().unwrap()).unwrap();
    for c in [&mut c, &mut restored] {
        let third = add(c, "zh-4", "北京今天发生特大暴雨");
        assert_eq!(Some(third.story), c.story_of("zh-2"));
    }
}

/// Two short reports whose one anchor is the same city, or reports in
/// several languages whose one anchor is the same number, tell different
/// events: an anchor cosine over one shared anchor counts for at most half
/// the threshold, so without stems in common they stay apart.
#[test]
fn one_shared_name_or_number_is_no_event() {
    let mut c = Clusterer::new();
    let rain = c
        .add(Article::new(
            "ro-rain",
            "Ploi abundente la Iași",
            "Meteorologii anunță ploi abundente și vânt puternic la Iași în următoarele două zile.",
        ))
        .unwrap();
    let concert = c
        .add(Article::new(
            "ro-concert",
            "Concert de muzică clasică la Iași",
            "Filarmonica organizează sâmbătă seara un concert gratuit în parcul central din Iași.",
        ))
        .unwrap();
    assert!(concert.is_new, "score {}", concert.score);
    assert_ne!(rain.story, concert.story);

    let twelve = [
        (
            "it-bread",
            "Il prezzo del pane sale del 12 per cento nei forni di quartiere.",
        ),
        (
            "sq-match",
            "Skuadra fitoi ndeshjen e 12 radhazi para tifozëve të saj.",
        ),
        (
            "es-buses",
            "La huelga de autobuses deja sin servicio 12 líneas nocturnas.",
        ),
    ];
    for (id, text) in twelve {
        let a = c.add(Article::new(id, "", text)).unwrap();
        assert!(a.is_new, "{id}: score {}", a.score);
    }
    assert_eq!(c.stories().len(), 5);
    // A second report of the match joins the first, and the bread story,
    // which the first reached over the one number, is not merged in.
    let second = c
        .add(Article::new(
            "sq-match-2",
            "",
            "Skuadra fitoi ndeshjen e 12 radhazi dhe tifozët e saj festuan në stadium.",
        ))
        .unwrap();
    assert_eq!(Some(second.story), c.story_of("sq-match"));
    assert!(second.merged.is_empty(), "{:?}", second.merged);
    assert_ne!(c.story_of("it-bread"), c.story_of("sq-match"));
}

/// A made-up wire report, copy `i` of a flood of copies (the same text
/// under another id).
fn wire_copy(i: usize) -> Article {
    Article::new(
        format!("copy{i}"),
        "Ministrul Ion Vârtosu a deschis podul de la Ghindari",
        "Ministrul transporturilor Ion Vârtosu a deschis luni noul pod peste \
         Târnava de la Ghindari, lung de 1.240 de metri. Lucrările au costat \
         212 milioane de lei și au durat patru ani.",
    )
    .with_language(Language::Romanian)
}

/// A flood of copies of one text fills a story to its size limit, then
/// fills the next: a full story is no candidate, so the copies after it do
/// not open a story each. (That the flood costs each copy a bounded
/// number of comparisons, not one with every earlier copy, is what the
/// LSH index's per-band bound is for; its tests check the bound.)
#[test]
fn a_flood_of_copies_fills_one_story_after_another() {
    let mut c = Clusterer::builder().max_story_size(100).build().unwrap();
    let assignments = c.add_batch((0..250).map(wire_copy).collect()).unwrap();
    let mut sizes: Vec<usize> = c.stories().map(|s| s.len()).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [50, 100, 100]);
    assert_eq!(assignments.iter().filter(|a| a.is_new).count(), 3);
    // One at a time, the same.
    let mut one = Clusterer::builder().max_story_size(100).build().unwrap();
    for (i, batch) in assignments.iter().enumerate() {
        assert_eq!(one.add(wire_copy(i)).unwrap().story, batch.story);
    }
}

/// A flood that arrives out of time order still finds the copies of its
/// own days, though only the newest copies stand for the flood in the LSH
/// index: 200 copies dated a day apart, added newest first, make a story
/// for every 8 days (a story takes articles within 7 days of its latest),
/// as they would with every copy a candidate; added oldest first, one.
#[test]
fn a_flood_out_of_time_order_finds_its_own_days() {
    const DAY: i64 = 24 * 3600;
    let dated =
        |i: usize| wire_copy(i).with_published(1_900_000_000 + i64::try_from(i).unwrap() * DAY);
    let mut backwards = Clusterer::new();
    for i in (0..200).rev() {
        backwards.add(dated(i)).unwrap();
    }
    assert_eq!(backwards.stories().len(), 25);
    let mut forwards = Clusterer::new();
    for i in 0..200 {
        forwards.add(dated(i)).unwrap();
    }
    assert_eq!(forwards.stories().len(), 1);
}
