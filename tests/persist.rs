//! Snapshots: a restored clusterer decides as the saved one would have, and
//! damaged snapshots are refused with a clear error.
//!
//! Every article here is made up.

use story_cluster::{Article, Assignment, Clusterer, ErrorKind, Language, SNAPSHOT_VERSION};

const DAY: i64 = 24 * 3600;
const T0: i64 = 1_900_000_000;

/// Made-up events, each reported by several articles in three languages.
fn articles(range: std::ops::Range<u32>) -> Vec<Article> {
    const PLACES: [&str; 7] = [
        "Drumkell", "Ambrevik", "Sarnowo", "Teloria", "Quarnish", "Velmora", "Ostrabel",
    ];
    const PEOPLE: [&str; 7] = [
        "Orsolya Brandt",
        "Idris Kallweit",
        "Mirela Soto",
        "Tamsin Okafor",
        "Luuk Verhaeg",
        "Nadia Pellicer",
        "Ruslan Ivo",
    ];
    range
        .map(|i| {
            let e = (i / 4) as usize;
            let place = PLACES[e % PLACES.len()];
            let who = PEOPLE[(e / PLACES.len()) % PEOPLE.len()];
            let n = 1000 + e * 37;
            let (title, text, lang) = match i % 3 {
                0 => (
                    format!("{who} opens bridge in {place}"),
                    format!("{who} opened the new {place} bridge, built for {n} vehicles a day."),
                    Language::English,
                ),
                1 => (
                    format!("{who} inaugura il ponte di {place}"),
                    format!("{who} ha inaugurato il nuovo ponte di {place}, costruito per {n} veicoli al giorno."),
                    Language::Italian,
                ),
                _ => (
                    format!("{who} inaugurează podul din {place}"),
                    format!("{who} a inaugurat noul pod din {place}, construit pentru {n} de vehicule pe zi."),
                    Language::Romanian,
                ),
            };
            let mut a = Article::new(format!("a{i}"), title, text).with_language(lang);
            // Every fifth article is undated.
            if i % 5 != 0 {
                a = a.with_published(T0 + i64::from(i) * DAY / 20);
            }
            a
        })
        .collect()
}

fn add_all(c: &mut Clusterer, list: Vec<Article>) -> Vec<Assignment> {
    list.into_iter().map(|a| c.add(a).unwrap()).collect()
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("story-cluster-persist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn restored_clusterer_decides_identically() {
    let mut original = Clusterer::builder().retention_days(3).build().unwrap();
    add_all(&mut original, articles(0..300));
    // Some removals, so free lists and reused slots are part of the state.
    for i in (0..300).step_by(7) {
        let id = format!("a{i}");
        if original.contains(&id) {
            original.remove(&id).unwrap();
        }
    }
    let path = temp("restore.snap");
    original.save(&path).unwrap();
    let mut restored = Clusterer::load(&path).unwrap();
    assert_eq!(sizes(&restored), sizes(&original));
    assert_eq!(restored.config(), original.config());
    // Saved again, the restored state is the same bytes.
    assert!(restored.to_snapshot().unwrap() == original.to_snapshot().unwrap());

    let next = articles(300..600);
    let a = add_all(&mut original, next.clone());
    let b = add_all(&mut restored, next);
    assert_eq!(a, b);
    let stories = |c: &Clusterer| -> Vec<(u32, Vec<String>)> {
        c.stories()
            .map(|s| (s.id().0, s.members().map(String::from).collect()))
            .collect()
    };
    assert_eq!(stories(&original), stories(&restored));
    assert_eq!(sizes(&restored), sizes(&original));
}

/// The exact sizes of an index (not its capacities).
fn sizes(c: &Clusterer) -> [usize; 8] {
    let s = c.stats();
    [
        s.articles,
        s.stories,
        s.terms,
        s.article_slots,
        s.story_slots,
        s.term_slots,
        s.postings,
        s.lsh_len,
    ]
}

#[test]
fn save_replaces_atomically_and_leaves_no_temp_file() {
    let path = temp("atomic.snap");
    let mut c = Clusterer::new();
    c.save(&path).unwrap();
    add_all(&mut c, articles(0..20));
    c.save(&path).unwrap();
    assert_eq!(Clusterer::load(&path).unwrap().len(), 20);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
    let missing = Clusterer::load(temp("does-not-exist.snap")).unwrap_err();
    assert!(matches!(missing.kind(), ErrorKind::Io(_)));
}

/// Threads that save one clusterer (or two) to one path at once each
/// write a temporary file of their own: every save succeeds and the file
/// left is a whole snapshot of one of them.
#[test]
fn concurrent_saves_to_one_path_all_succeed() {
    let dir = temp("concurrent");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("shared.snap");
    let mut a = Clusterer::new();
    add_all(&mut a, articles(0..10));
    let mut b = Clusterer::new();
    add_all(&mut b, articles(0..14));
    std::thread::scope(|s| {
        for c in [&a, &a, &b] {
            let path = &path;
            s.spawn(move || {
                for _ in 0..25 {
                    c.save(path).unwrap();
                }
            });
        }
    });
    let len = Clusterer::load(&path).unwrap().len();
    assert!(len == 10 || len == 14, "{len}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["shared.snap"]);
}

/// A file name the file system takes (255 bytes, some of them in two-byte
/// letters) takes a snapshot: its temporary file's name stays under the
/// limit too.
#[test]
fn a_snapshot_named_near_the_length_limit_saves() {
    let dir = temp("long-name");
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!("{}{}.snap", "ș".repeat(100), "n".repeat(50));
    assert_eq!(name.len(), 255);
    let path = dir.join(name);
    let mut c = Clusterer::new();
    add_all(&mut c, articles(0..5));
    c.save(&path).unwrap();
    assert_eq!(Clusterer::load(&path).unwrap().len(), 5);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Errors of reading a snapshot name its file; the header's checksum is
/// read alone, and follows the state saved.
#[test]
fn snapshot_errors_name_the_file_and_the_checksum_follows_the_state() {
    let missing = temp("missing.snap");
    for e in [
        Clusterer::load(&missing).unwrap_err(),
        Clusterer::snapshot_checksum(&missing).unwrap_err(),
    ] {
        assert!(matches!(e.kind(), ErrorKind::Io(_)), "{e}");
        assert!(e.to_string().contains("missing.snap"), "{e}");
        // The operating system's error is still there, as the source.
        let mut cause: &dyn std::error::Error = &e;
        while let Some(next) = cause.source() {
            cause = next;
        }
        let os = cause.downcast_ref::<std::io::Error>();
        assert_eq!(
            os.map(std::io::Error::kind),
            Some(std::io::ErrorKind::NotFound),
            "{cause:?}"
        );
        assert!(os.and_then(std::io::Error::raw_os_error).is_some());
        // Each message of the chain once: the error's own (path and the
        // system's message), then the system's error alone.
        let chain: Vec<String> =
            std::iter::successors(Some(&e as &dyn std::error::Error), |c| c.source())
                .map(ToString::to_string)
                .collect();
        assert_eq!(chain.len(), 2, "{chain:?}");
    }
    let junk = temp("junk.snap");
    for (bytes, what) in [
        (&b"STCLSNAP"[..], "truncated"),
        (
            &b"not a snapshot, but long enough"[..],
            "not a story-cluster snapshot",
        ),
    ] {
        std::fs::write(&junk, bytes).unwrap();
        for e in [
            Clusterer::load(&junk).unwrap_err(),
            Clusterer::snapshot_checksum(&junk).unwrap_err(),
        ] {
            assert!(matches!(e.kind(), ErrorKind::Snapshot(_)), "{e}");
            let message = e.to_string();
            assert!(
                message.contains("junk.snap") && message.contains(what),
                "{message}"
            );
        }
    }
    let path = temp("checksum.snap");
    let mut c = Clusterer::new();
    add_all(&mut c, articles(0..5));
    c.save(&path).unwrap();
    let first = Clusterer::snapshot_checksum(&path).unwrap();
    c.save(&path).unwrap();
    assert_eq!(Clusterer::snapshot_checksum(&path).unwrap(), first);
    add_all(&mut c, articles(5..6));
    c.save(&path).unwrap();
    assert_ne!(Clusterer::snapshot_checksum(&path).unwrap(), first);
    let no_dir = temp("no-such-dir").join("state.snap");
    let e = c.save(&no_dir).unwrap_err();
    assert!(e.to_string().contains("no-such-dir"), "{e}");
}

fn snapshot_error(bytes: &[u8]) -> String {
    match Clusterer::from_snapshot(bytes) {
        Ok(_) => panic!("a damaged snapshot loaded"),
        Err(e) => match e.kind() {
            ErrorKind::Snapshot(msg) => msg.clone(),
            other => panic!("not a snapshot error: {other}"),
        },
    }
}

#[test]
fn damaged_snapshots_are_refused() {
    let mut c = Clusterer::new();
    add_all(&mut c, articles(0..40));
    let good = c.to_snapshot().unwrap();
    assert!(Clusterer::from_snapshot(&good).is_ok());

    // Truncated, anywhere.
    for cut in [0, 5, 27, 28, 29, good.len() / 2, good.len() - 1] {
        let msg = snapshot_error(&good[..cut]);
        assert!(msg.contains("truncated"), "{cut}: {msg}");
    }
    // Extra bytes.
    let mut longer = good.clone();
    longer.push(0);
    assert!(snapshot_error(&longer).contains("unexpected bytes"));
    // Not a snapshot.
    let msg = snapshot_error(b"{\"id\": \"a1\", \"title\": \"hello\", \"x\": 1}");
    assert!(msg.contains("not a story-cluster snapshot"), "{msg}");
    // Wrong version.
    let mut v2 = good.clone();
    v2[8..12].copy_from_slice(&(SNAPSHOT_VERSION + 1).to_le_bytes());
    let msg = snapshot_error(&v2);
    assert!(
        msg.contains(&format!("format version {}", SNAPSHOT_VERSION + 1)),
        "{msg}"
    );
    // One flipped byte in the payload or in the stored checksum.
    for pos in [28, 100, good.len() / 2, good.len() - 1, 20] {
        let mut bad = good.clone();
        bad[pos] ^= 0x40;
        let msg = snapshot_error(&bad);
        assert!(msg.contains("checksum mismatch"), "{pos}: {msg}");
    }
    // Every single-byte flip is refused or, in the length field, reported as
    // truncation or extra bytes: never a panic, never a half-loaded index.
    for pos in (0..good.len()).step_by(97) {
        let mut bad = good.clone();
        bad[pos] ^= 0x01;
        assert!(Clusterer::from_snapshot(&bad).is_err(), "flip at {pos}");
    }
}

/// A copy of `good` with its payload damaged by `edit`, signed again (a
/// fresh checksum), so that the damage reaches the decoder and the
/// consistency checks behind the checksum.
fn resigned(good: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut payload = good[28..].to_vec();
    edit(&mut payload);
    let mut out = good[..28].to_vec();
    out[12..20].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    out[20..28].copy_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Damage behind a valid checksum: a snapshot whose payload has bytes
    /// changed, inserted or cut loads as a snapshot error or as a clusterer
    /// that still works (adds, explains, removes, saves), never a panic.
    #[test]
    fn resigned_damage_never_panics(
        edits in proptest::collection::vec((0.0f64..1.0, proptest::num::u8::ANY, 0u8..4), 1..4),
    ) {
        let good = snapshot_of_30();
        let bad = resigned(&good, |p| {
            for &(at, byte, kind) in &edits {
                let i = ((p.len() as f64) * at) as usize;
                match kind {
                    0 | 1 if i < p.len() => p[i] = byte,
                    2 => p.insert(i.min(p.len()), byte),
                    _ if i < p.len() => {
                        p.remove(i);
                    }
                    _ => {}
                }
            }
        });
        match Clusterer::from_snapshot(&bad) {
            Err(e) => proptest::prop_assert!(matches!(e.kind(), ErrorKind::Snapshot(_)), "{e}"),
            Ok(mut c) => {
                for a in articles(30..34) {
                    let _ = c.add(a);
                }
                let ids: Vec<String> = c
                    .stories()
                    .flat_map(|s| s.members().map(str::to_owned).collect::<Vec<_>>())
                    .collect();
                for pair in ids.windows(2) {
                    let _ = c.explain(&pair[0], &pair[1]);
                }
                if let Some(first) = ids.first() {
                    let _ = c.remove(first);
                }
                let _ = c.stats();
                Clusterer::from_snapshot(&c.to_snapshot().unwrap()).unwrap();
            }
        }
    }
}

/// A snapshot of a clusterer holding `articles(0..30)`, made once.
fn snapshot_of_30() -> Vec<u8> {
    static SNAP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SNAP.get_or_init(|| {
        let mut c = Clusterer::builder().retention_days(3).build().unwrap();
        add_all(&mut c, articles(0..30));
        c.to_snapshot().unwrap()
    })
    .clone()
}

#[test]
fn resigning_gets_damage_past_the_checksum() {
    // The helper itself: re-signing an unchanged payload gives the same
    // bytes, and one changed byte behind a fresh checksum gets past the
    // checksum (the error, if any, is not a checksum mismatch).
    let good = snapshot_of_30();
    assert_eq!(resigned(&good, |_| {}), good);
    let bad = resigned(&good, |p| p[10] ^= 0x55);
    if let Err(e) = Clusterer::from_snapshot(&bad) {
        assert!(!e.to_string().contains("checksum"), "{e}");
    }
}

#[test]
fn snapshot_size_and_time_for_10k_articles() {
    let mut c = Clusterer::new();
    c.add_batch(articles(0..10_000)).unwrap();
    let path = temp("10k.snap");
    let t = std::time::Instant::now();
    c.save(&path).unwrap();
    let save = t.elapsed();
    let t = std::time::Instant::now();
    let restored = Clusterer::load(&path).unwrap();
    let load = t.elapsed();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!(
        "10k articles: snapshot {size} bytes ({} a article), save {save:?}, load {load:?}",
        size / 10_000
    );
    assert_eq!(restored.len(), 10_000);
    // About 2 MB measured; twice that is a regression.
    assert!(size < 4_000_000, "{size}");
}

/// Copy `i` of a made-up report: a flood of copies of one text.
fn copy(i: u32) -> Article {
    Article::new(
        format!("c{i}"),
        "Primarul Dorin Vlaicu a redeschis piața din Sântelec",
        "Primarul Dorin Vlaicu a redeschis joi piața din Sântelec după o \
         renovare de 18 luni care a costat 7,5 milioane de lei.",
    )
    .with_language(Language::Romanian)
    .with_published(T0 + i64::from(i) * 60)
}

/// A flood of copies fills the LSH index's per-band bound, so some copies
/// are left out of its tables; removals promote others. The restored
/// index (rebuilt from the articles) holds the same ids and decides alike.
#[test]
fn a_flood_restores_identically() {
    let mut original = Clusterer::builder().max_story_size(150).build().unwrap();
    add_all(&mut original, (0..300).map(copy).collect());
    for i in [299, 250, 200, 120, 3, 0] {
        original.remove(&format!("c{i}")).unwrap();
    }
    let mut restored = Clusterer::from_snapshot(&original.to_snapshot().unwrap()).unwrap();
    assert!(restored.to_snapshot().unwrap() == original.to_snapshot().unwrap());
    let next: Vec<Article> = (300..400).map(copy).collect();
    assert_eq!(
        add_all(&mut original, next.clone()),
        add_all(&mut restored, next)
    );
    // The second story takes 3 copies again and is full; the first, which
    // lost 3 early copies, holds none of the newest copies that stand for
    // the flood in the index, and the rest open a third.
    for c in [&original, &restored] {
        let mut sizes: Vec<usize> = c.stories().map(|s| s.len()).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [97, 147, 150]);
    }
}
