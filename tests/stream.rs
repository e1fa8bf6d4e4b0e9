//! Streaming: time windows, undated articles, removal, retention, story size
//! limits, bounded memory over a long generated stream, and readers sharing
//! a clusterer with a writer.
//!
//! Every article here is made up.

use std::sync::{Arc, RwLock};

use story_cluster::{Article, Clusterer, ErrorKind, Language};

const DAY: i64 = 24 * 3600;
const T0: i64 = 1_900_000_000;

fn ferry(id: &str, n: u32) -> Article {
    Article::new(
        id,
        "Ferry capsizes on the Velmora river near Drumkell",
        format!(
            "A passenger ferry capsized on the Velmora river near Drumkell on Tuesday. \
             Captain Orsolya Brandt said {n} passengers were rescued by the Drumkell coast guard. \
             The Velmora ferry company suspended all crossings."
        ),
    )
    .with_language(Language::English)
}

fn summit(id: &str) -> Article {
    Article::new(
        id,
        "Quarnish and Teloria sign water treaty in Ambrevik",
        "Prime ministers Idris Kallweit and Mirela Soto signed the Quarnish-Teloria water treaty \
         in Ambrevik on Friday, ending a dispute over the Sarn reservoir.",
    )
    .with_language(Language::English)
}

#[test]
fn window_separates_dated_articles() {
    let mut c = Clusterer::new();
    let a = c.add(ferry("a", 41).with_published(T0)).unwrap();
    let b = c.add(ferry("b", 42).with_published(T0 + DAY)).unwrap();
    assert_eq!(a.story, b.story);
    // Eight days after the story's latest article: outside the 7-day window.
    let late = c.add(ferry("c", 43).with_published(T0 + 9 * DAY)).unwrap();
    assert!(late.is_new);
}

#[test]
fn undated_articles_skip_the_window() {
    let mut c = Clusterer::new();
    let a = c.add(ferry("a", 41).with_published(T0)).unwrap();
    // An undated article can join any story, whatever its age.
    let undated = c.add(ferry("u", 44)).unwrap();
    assert_eq!(undated.story, a.story);
    // A story whose members are all undated accepts dated articles at any
    // time: it has no latest time to measure from.
    let mut d = Clusterer::new();
    let s = d.add(ferry("x", 41)).unwrap();
    let far = d
        .add(ferry("y", 45).with_published(T0 + 400 * DAY))
        .unwrap();
    assert_eq!(far.story, s.story);
    // ...and from then on it has one.
    let later = d
        .add(ferry("z", 46).with_published(T0 + 420 * DAY))
        .unwrap();
    assert!(later.is_new);
}

#[test]
fn remove_updates_stories_and_keeps_ids_stable() {
    let mut c = Clusterer::new();
    let a = c.add(ferry("a", 41)).unwrap();
    let b = c.add(ferry("b", 42)).unwrap();
    let s = c.add(summit("s")).unwrap();
    assert_eq!(a.story, b.story);
    assert_ne!(a.story, s.story);

    c.remove("b").unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c.story_of("b"), None);
    assert_eq!(
        c.story(a.story).unwrap().members().collect::<Vec<_>>(),
        ["a"]
    );
    assert!(matches!(
        c.remove("b").unwrap_err().kind(),
        ErrorKind::UnknownId(id) if id == "b"
    ));
    assert!(c.explain("a", "b").is_err());

    c.remove("a").unwrap();
    assert!(c.story(a.story).is_none());
    let ids: Vec<_> = c.stories().map(|s| s.id()).collect();
    assert_eq!(ids, [s.story]);
    assert_eq!(c.stories().len(), 1);

    // A new story never takes a dead story's id, though it reuses its slot.
    let again = c.add(ferry("a", 41)).unwrap();
    assert!(again.is_new);
    assert_ne!(again.story, a.story);
    assert_ne!(again.story, s.story);
    let joined = c.add(ferry("b", 42)).unwrap();
    assert_eq!(joined.story, again.story);

    for id in ["a", "b", "s"] {
        c.remove(id).unwrap();
    }
    let st = c.stats();
    assert_eq!((st.articles, st.stories, st.terms), (0, 0, 0));
    assert_eq!((st.lsh_len, st.postings), (0, 0));
    assert!(c.is_empty() && c.stories().len() == 0);
}

#[test]
fn removal_undoes_an_article() {
    // With a noise article added and removed, the next decisions match those
    // of a clusterer that never saw it.
    let mut with = Clusterer::new();
    let mut without = Clusterer::new();
    with.add(ferry("a", 41)).unwrap();
    without.add(ferry("a", 41)).unwrap();
    with.add(summit("noise")).unwrap();
    with.remove("noise").unwrap();
    let x = with.add(ferry("b", 42)).unwrap();
    let y = without.add(ferry("b", 42)).unwrap();
    assert_eq!(x.is_new, y.is_new);
    assert!((x.score - y.score).abs() < 1e-9, "{} {}", x.score, y.score);
    assert_eq!(with.stats().terms, without.stats().terms);
}

#[test]
fn full_story_accepts_no_more() {
    let mut c = Clusterer::builder().max_story_size(2).build().unwrap();
    let a = c.add(ferry("a", 41)).unwrap();
    let b = c.add(ferry("b", 42)).unwrap();
    let third = c.add(ferry("c", 43)).unwrap();
    assert_eq!(a.story, b.story);
    assert!(third.is_new);
    assert_eq!(c.story(a.story).unwrap().len(), 2);
    assert!(Clusterer::builder().max_story_size(0).build().is_err());
}

#[test]
fn evict_before_removes_old_articles_and_empty_stories() {
    let mut c = Clusterer::new();
    let old = c.add(summit("old").with_published(T0)).unwrap();
    assert_eq!(c.clock(), None);
    c.add(ferry("f1", 41).with_published(T0 + DAY)).unwrap();
    // The second-newest time: the clock needs two dated articles.
    assert_eq!(c.clock(), Some(T0));
    // Undated: kept as if published at the clock, T0.
    c.add(ferry("f2", 42)).unwrap();
    c.add(ferry("f3", 43).with_published(T0 + 3 * DAY)).unwrap();
    assert_eq!(c.clock(), Some(T0 + DAY));
    assert_eq!(c.evict_before(T0 + 1), 2);
    assert!(c.story(old.story).is_none());
    assert!(!c.contains("f2") && c.contains("f1"));
    assert_eq!(c.evict_before(T0 + 2 * DAY), 1);
    assert!(!c.contains("f1") && c.contains("f3"));
    assert_eq!(c.evict_before(T0 + 2 * DAY), 0);
}

#[test]
fn retention_evicts_as_time_advances() {
    let mut c = Clusterer::builder().retention_days(2).build().unwrap();
    c.add(summit("s").with_published(T0)).unwrap();
    c.add(ferry("f1", 41).with_published(T0 + DAY)).unwrap();
    c.add(ferry("f2", 42).with_published(T0 + 3 * DAY)).unwrap();
    // The clock (second-newest time) is at T0 + DAY: nothing is older than
    // two days before it.
    assert_eq!(c.len(), 3);
    c.add(ferry("f3", 43).with_published(T0 + 4 * DAY)).unwrap();
    assert_eq!(c.clock(), Some(T0 + 3 * DAY));
    assert!(!c.contains("s"));
    assert!(c.contains("f1"));
    // A late article does not move the clock back. Older than the horizon,
    // it is still clustered (with the ferry story) and kept until the clock
    // next moves.
    let late = c.add(ferry("late", 40).with_published(T0)).unwrap();
    assert_eq!(c.clock(), Some(T0 + 3 * DAY));
    assert_eq!(Some(late.story), c.story_of("f2"));
    assert!(c.contains("late"));
    c.add(ferry("f4", 44).with_published(T0 + 4 * DAY + 1))
        .unwrap();
    assert_eq!(c.clock(), Some(T0 + 4 * DAY));
    assert!(!c.contains("late") && !c.contains("f1"));
    assert!(Clusterer::builder()
        .retention_secs(Some(0))
        .build()
        .is_err());
}

/// An undated article that arrives before the clock has started (one
/// dated article in the index) takes that article's time, and ages.
#[test]
fn an_undated_article_before_the_clock_starts_ages_all_the_same() {
    let mut c = Clusterer::builder().retention_days(2).build().unwrap();
    c.add(summit("a").with_published(T0)).unwrap();
    c.add(ferry("u", 40)).unwrap();
    assert_eq!(c.clock(), None);
    for d in 1..6 {
        c.add(ferry(&format!("d{d}"), 40 + d as u32).with_published(T0 + d * DAY))
            .unwrap();
    }
    assert_eq!(c.clock(), Some(T0 + 4 * DAY));
    assert!(!c.contains("a") && !c.contains("u"));
}

/// One article dated far ahead (here a time in milliseconds, as
/// JavaScript's `Date.now()` gives, taken for seconds: the year 60,000)
/// does not move the clock, so retention neither evicts the whole index
/// at once nor stops evicting after it. A second one does.
#[test]
fn one_article_dated_far_ahead_does_not_move_the_clock() {
    let mut c = Clusterer::builder().retention_days(2).build().unwrap();
    for d in 0..5 {
        c.add(ferry(&format!("d{d}"), 41 + d as u32).with_published(T0 + d * DAY))
            .unwrap();
    }
    assert_eq!(c.clock(), Some(T0 + 3 * DAY));
    c.add(summit("typo").with_published((T0 + 4 * DAY) * 1000))
        .unwrap();
    // The clock moves to the newest of the others, as if the article were
    // dated now.
    assert_eq!(c.clock(), Some(T0 + 4 * DAY));
    assert_eq!(c.len(), 4);
    c.add(ferry("d5", 46).with_published(T0 + 5 * DAY)).unwrap();
    assert_eq!(c.clock(), Some(T0 + 5 * DAY));
    let kept: Vec<bool> = ["d2", "d3", "d4", "d5", "typo"]
        .iter()
        .map(|id| c.contains(id))
        .collect();
    assert_eq!(kept, [false, true, true, true, true]);
    c.add(summit("typo2").with_published((T0 + 5 * DAY) * 1000))
        .unwrap();
    assert_eq!(c.len(), 2);
    // Articles of the present are then behind the horizon and evicted as
    // the clock next moves; the clock stays ahead while the mis-dated
    // articles are the index's newest. Removed, and the clock set back,
    // retention works again.
    c.remove("typo").unwrap();
    c.remove("typo2").unwrap();
    assert_eq!(c.len(), 0);
    assert_eq!(c.set_clock(T0 + 5 * DAY), 0);
    for d in 6..10 {
        c.add(ferry(&format!("d{d}"), 41 + d as u32).with_published(T0 + d * DAY))
            .unwrap();
    }
    assert_eq!(c.clock(), Some(T0 + 8 * DAY));
    let kept: Vec<bool> = ["d6", "d7", "d8", "d9"]
        .iter()
        .map(|id| c.contains(id))
        .collect();
    assert_eq!(kept, [true, true, true, true]);
    // Moving the clock forward evicts what falls behind the horizon.
    assert_eq!(c.set_clock(T0 + 10 * DAY), 2);
    assert_eq!(c.len(), 2);
}

/// A small deterministic generator of made-up news events.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn name(&mut self) -> String {
        const SYL: [&str; 32] = [
            "ka", "lor", "ven", "mi", "dra", "sul", "te", "bor", "qui", "na", "zel", "ro", "fa",
            "gun", "si", "thel", "pa", "mor", "vi", "gal", "tu", "ren", "cho", "dil", "bra", "xo",
            "lum", "ser", "ny", "kro", "e", "wan",
        ];
        let mut s = String::new();
        for _ in 0..3 {
            s.push_str(SYL[self.below(32) as usize]);
        }
        let mut c = s.chars();
        let first = c.next().unwrap().to_ascii_uppercase();
        std::iter::once(first).chain(c).collect()
    }
}

struct Event {
    who: String,
    place: String,
    number: u64,
    words: [String; 3],
}

fn event_article(id: String, e: &Event, g: &mut Gen, published: i64) -> Article {
    const VERBS: [&str; 4] = ["visited", "left", "praised", "toured"];
    let verb = VERBS[g.below(4) as usize];
    let [w1, w2, w3] = &e.words;
    let text = match g.below(3) {
        0 => format!(
            "{} {verb} {} for the {w1} {w2}; {} came.",
            e.who, e.place, e.number
        ),
        1 => format!("In {}, {} {w2} {w3} met {}.", e.place, e.number, e.who),
        _ => format!(
            "{w3} {w1} in {}: {} {verb} it, {} said.",
            e.place, e.who, e.number
        ),
    };
    Article::new(id, format!("{} {verb} {}", e.who, e.place), text)
        .with_language(Language::English)
        .with_published(published)
}

/// A stream of generated articles over 100 simulated days with a 3-day
/// retention: the index stops growing once retention kicks in.
///
/// 10,000 articles a day, 1,000,000 in all, in release builds (about 70 s
/// on a 2-core machine; the README's test command); 1,000 a day in
/// debug builds, which are many times slower. `STREAM_DAYS` and
/// `STREAM_PER_DAY` change the run when measuring; the bounds hold at any
/// size.
#[test]
fn memory_stays_flat_on_an_endless_stream() {
    let env = |name: &str, default: i64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let default_per_day = if cfg!(debug_assertions) {
        1_000
    } else {
        10_000
    };
    let (days, per_day) = (
        env("STREAM_DAYS", 100),
        env("STREAM_PER_DAY", default_per_day),
    );
    let mut c = Clusterer::builder().retention_days(3).build().unwrap();
    let mut g = Gen(0x5eed);
    let mut events: Vec<Event> = Vec::new();
    let mut at_day_10 = None;
    let mut peak = c.stats();
    let start = std::time::Instant::now();
    for day in 0..days {
        let mut batch = Vec::with_capacity(per_day as usize);
        for i in 0..per_day {
            // Half the articles report one of the last 300 events, half a new
            // one.
            if events.is_empty() || g.below(2) == 0 {
                events.push(Event {
                    who: g.name(),
                    place: g.name(),
                    number: g.below(1_000_000),
                    words: [(); 3].map(|()| g.name().to_lowercase()),
                });
                if events.len() > 300 {
                    events.remove(0);
                }
            }
            let e = &events
                [(events.len() - 1 - g.below(events.len() as u64) as usize).min(events.len() - 1)];
            let published = T0 + day * DAY + i * DAY / per_day;
            let id = format!("d{day}-{i}");
            batch.push(event_article(id, e, &mut g, published));
        }
        c.add_batch(batch).unwrap();
        let st = c.stats();
        if day % 10 == 0 {
            eprintln!("day {day}: {:.1} s, {st:?}", start.elapsed().as_secs_f64());
        }
        let settled = (days / 10).max(5);
        if day == settled {
            at_day_10 = Some(st);
        }
        if day >= settled {
            peak = std::cmp::max_by_key(peak, st, |s| s.approx_bytes);
        }
        // Three to four days of articles are live, never more.
        assert!(st.articles <= 4 * per_day as usize, "day {day}: {st:?}");
        assert_eq!(st.lsh_len, st.articles);
    }
    let first = at_day_10.unwrap();
    let last = c.stats();
    eprintln!(
        "stream: {:.1} s; day 10: {first:?}\nday 100: {last:?}\npeak: {peak:?}",
        start.elapsed().as_secs_f64()
    );
    // After retention kicks in, slots and memory stay within a small margin
    // of their size at day 10.
    assert!(
        last.article_slots <= first.article_slots * 5 / 4,
        "{last:?}"
    );
    assert!(last.story_slots <= first.story_slots * 3 / 2, "{last:?}");
    assert!(last.term_slots <= first.term_slots * 3 / 2, "{last:?}");
    assert!(last.lsh_bytes <= first.lsh_bytes * 3 / 2, "{last:?}");
    assert!(peak.approx_bytes <= first.approx_bytes * 3 / 2, "{peak:?}");
    assert_eq!(c.len(), last.articles);
}

#[test]
fn readers_share_the_clusterer_with_a_writer() {
    let c = Arc::new(RwLock::new(Clusterer::new()));
    c.write().unwrap().add(ferry("seed", 40)).unwrap();
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                let mut seen = 0;
                for _ in 0..200 {
                    let c = c.read().unwrap();
                    let total: usize = c.stories().map(|s| s.len()).sum();
                    assert_eq!(total, c.len());
                    assert!(c.story_of("seed").is_some());
                    let e = c.explain("seed", "seed").unwrap();
                    assert!(e.same_story);
                    seen = seen.max(c.len());
                }
                seen
            })
        })
        .collect();
    for i in 0..200 {
        let a = if i % 2 == 0 {
            ferry(&format!("f{i}"), i)
        } else {
            summit(&format!("s{i}"))
        };
        c.write().unwrap().add(a).unwrap();
    }
    for r in readers {
        assert!(r.join().unwrap() >= 1);
    }
    assert_eq!(c.read().unwrap().len(), 201);
}

/// With a retention horizon, one batch of a month of articles leaves the
/// index as large as daily batches do: the batch's oldest articles are
/// evicted while it runs, so room reserved for all of it would stay
/// empty for good.
#[test]
fn one_batch_under_retention_keeps_the_live_sets_size() {
    let month = |g: &mut Gen| -> Vec<Vec<Article>> {
        let event = |g: &mut Gen| Event {
            who: g.name(),
            place: g.name(),
            number: g.below(1_000_000),
            words: [(); 3].map(|()| g.name().to_lowercase()),
        };
        let mut events: Vec<Event> = (0..50).map(|_| event(g)).collect();
        (0..20i64)
            .map(|day| {
                (0..300i64)
                    .map(|i| {
                        if g.below(2) == 0 {
                            events[g.below(50) as usize] = event(g);
                        }
                        let e = &events[g.below(50) as usize];
                        let published = T0 + day * DAY + i * DAY / 300;
                        event_article(format!("d{day}-{i}"), e, g, published)
                    })
                    .collect()
            })
            .collect()
    };
    let days = month(&mut Gen(0x5eed));
    let mut daily = Clusterer::builder().retention_days(3).build().unwrap();
    let mut one = Clusterer::builder().retention_days(3).build().unwrap();
    for batch in days.clone() {
        daily.add_batch(batch).unwrap();
    }
    one.add_batch(days.into_iter().flatten().collect()).unwrap();
    let (d, o) = (daily.stats(), one.stats());
    assert_eq!(o.articles, d.articles);
    assert!(o.articles < 20 * 300 / 4, "{o:?}");
    assert!(o.lsh_bytes <= d.lsh_bytes * 3 / 2, "{o:?}\n{d:?}");
    assert!(o.approx_bytes <= d.approx_bytes * 3 / 2, "{o:?}\n{d:?}");
}

/// A story that cannot take an article (out of its window here) takes no
/// candidate place: with room for one candidate, an old story that shares
/// more of the article's names must not crowd out the recent one.
#[test]
fn stories_out_of_the_window_take_no_candidate_place() {
    let mut c = Clusterer::builder().max_candidates(1).build().unwrap();
    let old = c
        .add(
            Article::new(
                "old",
                "Orsolya Brandt and Idris Kallweit open the Drumkell bridge",
                "Orsolya Brandt, Idris Kallweit and Luuk Verhaeg opened the new Drumkell \
                 bridge over the Velmora on Monday, after four years of works.",
            )
            .with_language(Language::English)
            .with_published(T0),
        )
        .unwrap();
    let recent = c
        .add(
            Article::new(
                "recent",
                "Drumkell bridge closed for repairs",
                "Engineers closed the Drumkell bridge across the Velmora for urgent repairs, \
                 Orsolya Brandt and Idris Kallweit told reporters, and traffic was diverted.",
            )
            .with_language(Language::English)
            .with_published(T0 + 30 * DAY),
        )
        .unwrap();
    assert_ne!(old.story, recent.story);
    let follow = c
        .add(
            Article::new(
                "follow",
                "Repairs on the Drumkell bridge will last a month",
                "Repairs on the Drumkell bridge over the Velmora will last a month, Orsolya \
                 Brandt, Idris Kallweit and Luuk Verhaeg said, as engineers closed it again.",
            )
            .with_language(Language::English)
            .with_published(T0 + 31 * DAY),
        )
        .unwrap();
    assert_eq!(follow.story, recent.story, "score {}", follow.score);
}
