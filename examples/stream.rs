//! A small aggregator backend: assign stories to a stream of articles one at
//! a time, forget what falls behind the retention horizon, snapshot
//! periodically and resume from the snapshot after a restart.
//!
//! ```text
//! cargo run --release --example stream -- --input articles.jsonl \
//!     --snapshot state.snap --every 10000 --retention-days 7
//! producer | cargo run --release --example stream -- --snapshot state.snap
//! ```
//!
//! Options: `--input FILE` (default: stdin), `--snapshot PATH` (load it if
//! it exists; save to it every `--every N` added articles, default 10000,
//! and at the end), `--retention-days D` (default 7; used only when no
//! snapshot exists, a snapshot keeps its own configuration: said on stderr
//! when the two differ), `--reserve N`
//! (room for N more articles at start, [`Clusterer::try_reserve`]: no add
//! then pays for growing the index until N have come; room the memory
//! cannot hold is an error), `--max-ahead-hours H` (default 24: an article
//! dated more than H hours after this machine's clock is reported on stderr
//! and clustered as undated; two mis-dated articles would move the
//! library's clock ahead, see [`Clusterer::set_clock`]), `--undated-now`
//! (an article with no time, or one cleared as too far ahead, gets this
//! machine's clock on arrival: without it, a feed that dates nothing never
//! moves the retention horizon, and nothing is evicted; off by default, so
//! that a replay of a file gives the same stories).
//!
//! Input: one JSON article a line (`{"id", "title", "text", "published",
//! "lang", "source"}`). Output: one `{"id", "story", "lang", "new", "merged"}`
//! line per article assigned, on stdout (story ids written `"s12"`, as the
//! `cluster` example writes them; `merged`: ids of stories the article
//! merged into `story`, which no longer exist), with `"split": {"story",
//! "articles"}` added when the article's joining split its story (the
//! articles listed moved to the new story); progress and bad lines on
//! stderr.
//!
//! Beside the snapshot, `<snapshot>.pos` records how many complete input
//! lines the saved index consumed, fingerprints of the input's first
//! non-blank line and of the last line consumed, and the checksum of the
//! snapshot it goes with (see [`Position`]). On resume, an input that
//! starts with the same line is a replay of it (or the same file, grown):
//! the lines consumed are skipped unread (the run stops with an error if
//! the last of them differs), and the rest is assigned as a run without
//! the restart would assign it. Any
//! other input is new and read whole. Then a resumed run is a fresh one: an
//! id seen before (in the index) is reported on stderr with its line number
//! and skipped (the first article with it is kept), and an article older
//! than the horizon is clustered like any other (the library keeps it until
//! the clock moves). Without a position that belongs to the snapshot, the run skips,
//! counted on the final progress line, the articles already in the index
//! and those older than the restored clock's horizon (how many of the
//! latter is said on stderr).
//!
//! Output is written at least once: after a crash, a resumed run writes
//! again the lines of the articles added since the last snapshot (the
//! index had not kept them). A consumer keys them by `id`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use story_cluster::{Article, Assignment, Clusterer};

struct Options {
    input: Option<PathBuf>,
    snapshot: Option<PathBuf>,
    every: usize,
    retention_days: u32,
    /// `--retention-days` was given.
    retention_given: bool,
    reserve: usize,
    max_ahead_secs: i64,
    /// `--undated-now`: an undated article gets this machine's clock.
    undated_now: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        input: None,
        snapshot: None,
        every: 10_000,
        retention_days: 7,
        retention_given: false,
        reserve: 0,
        max_ahead_secs: 24 * 3600,
        undated_now: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--input" => opts.input = Some(value("--input")?.into()),
            "--snapshot" => opts.snapshot = Some(value("--snapshot")?.into()),
            "--every" => {
                let v = value("--every")?;
                opts.every = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("--every: not a positive number: {v}"))?;
            }
            "--retention-days" => {
                let v = value("--retention-days")?;
                opts.retention_days = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("--retention-days: not a positive number: {v}"))?;
                opts.retention_given = true;
            }
            "--max-ahead-hours" => {
                let v = value("--max-ahead-hours")?;
                opts.max_ahead_secs = v
                    .parse::<u32>()
                    .map(|h| i64::from(h) * 3600)
                    .map_err(|_| format!("--max-ahead-hours: not a number of hours: {v}"))?;
            }
            "--reserve" => {
                let v = value("--reserve")?;
                opts.reserve = v
                    .parse()
                    .map_err(|_| format!("--reserve: not a number: {v}"))?;
            }
            "--undated-now" => opts.undated_now = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(opts)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let opts = parse_args()?;
    let (mut clusterer, resumed) = open(&opts)?;
    // Where the snapshot's input left off; `None` for a fresh run, and when
    // no position belongs to the snapshot (then replays are told by id and
    // time).
    let saved = match (&opts.snapshot, resumed) {
        (Some(path), true) => Position::load(path)?,
        _ => None,
    };
    let mut position = Tracker::new(saved);
    let input = open_input(opts.input.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let start = Instant::now();
    // `behind`: of `skipped`, those taken for articles evicted before the restart.
    let (mut added, mut skipped, mut bad, mut since_snapshot, mut behind) = (0, 0, 0, 0, 0);
    // Undated articles given this machine's clock (`--undated-now`).
    let mut stamped = 0usize;
    // The longest single `add`, in seconds: what a caller waits at worst.
    let mut slowest = 0.0f64;
    let mut reader = BufReader::new(input);
    let mut buf = Vec::new();
    loop {
        let complete = match read_line(&mut reader, &mut buf) {
            Ok(Some(complete)) => complete,
            Ok(None) => break,
            // The input failed: keep what was added before giving up.
            Err(e) => {
                out.flush()?;
                if let Some(path) = &opts.snapshot {
                    snapshot(&clusterer, path, position.position())?;
                }
                return Err(format!("line {}: {e}", position.read + 1).into());
            }
        };
        let text = &buf[..];
        if position.replayed(text, complete)? {
            skipped += 1;
            continue;
        }
        let line_no = position.read;
        let line = match std::str::from_utf8(text) {
            Ok(line) => line,
            // Not UTF-8: that line alone is bad.
            Err(e) => {
                eprintln!("line {line_no}: not UTF-8: {e}");
                bad += 1;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut article = match Article::from_json(line) {
            Ok(a) => {
                position.whole();
                a
            }
            Err(e) => {
                eprintln!("line {line_no}: {e}");
                bad += 1;
                continue;
            }
        };
        let ahead = undate_if_ahead(&mut article, opts.max_ahead_secs);
        let now_dated = opts.undated_now && stamp_if_undated(&mut article);
        let admitted = admission(&clusterer, &article, resumed && saved.is_none());
        if !report(&admitted, &article, ahead, now_dated, line_no) {
            skipped += 1;
            behind += usize::from(admitted == Admission::Evicted);
            continue;
        }
        stamped += usize::from(now_dated);
        let id = article.id.clone();
        let t = Instant::now();
        let added_article = clusterer.add(article);
        slowest = slowest.max(t.elapsed().as_secs_f64());
        let assignment = match added_article {
            Ok(a) => a,
            Err(e) => {
                eprintln!("line {line_no}: {e}");
                bad += 1;
                continue;
            }
        };
        report_cut(&assignment, &id, line_no);
        writeln!(out, "{}", record(&id, &assignment))?;
        added += 1;
        since_snapshot += 1;
        if since_snapshot >= opts.every {
            if let Some(path) = &opts.snapshot {
                out.flush()?;
                snapshot(&clusterer, path, position.position())?;
            }
            since_snapshot = 0;
        }
        if added % 10_000 == 0 {
            progress(&clusterer, (added, skipped, bad), start, slowest);
        }
    }
    out.flush()?;
    if let Some(path) = &opts.snapshot {
        snapshot(&clusterer, path, position.position())?;
    }
    progress(&clusterer, (added, skipped, bad), start, slowest);
    final_notes(&clusterer, behind, stamped, &position);
    Ok(())
}

/// Says on stderr what becomes of `article` (line `line_no`) where it is
/// worth saying: a duplicate id skipped, a time too far ahead cleared
/// (`ahead`, in days; `now_dated`: given this machine's clock instead).
/// Returns whether it is clustered.
fn report(
    admitted: &Admission,
    article: &Article,
    ahead: Option<f64>,
    now_dated: bool,
    line_no: u64,
) -> bool {
    match (admitted, ahead) {
        (Admission::Add, Some(days)) => eprintln!(
            "line {line_no}: {:?} is dated {days:.1} days after this machine's clock: {}",
            article.id,
            if now_dated {
                "given this machine's clock"
            } else {
                "clustered as undated"
            }
        ),
        (Admission::Duplicate, _) => {
            eprintln!("line {line_no}: skipped: duplicate id {:?}", article.id);
        }
        _ => {}
    }
    *admitted == Admission::Add
}

/// Clears the publication time of an article dated more than `max_ahead`
/// seconds after this machine's clock, and returns by how many days.
fn undate_if_ahead(article: &mut Article, max_ahead: i64) -> Option<f64> {
    let now = unix_now();
    let ahead = article
        .published
        .filter(|&p| p > now.saturating_add(max_ahead))
        .map(|p| (p - now) as f64 / 86_400.0);
    if ahead.is_some() {
        article.published = None;
    }
    ahead
}

/// Gives an undated article this machine's clock (`--undated-now`);
/// returns whether it had none.
fn stamp_if_undated(article: &mut Article) -> bool {
    let undated = article.published.is_none();
    if undated {
        article.published = Some(unix_now());
    }
    undated
}

/// Names on stderr an article (line `line_no`) of which only the beginning
/// was analysed.
fn report_cut(assignment: &Assignment, id: &str, line_no: u64) {
    if assignment.truncated {
        eprintln!(
            "line {line_no}: {id:?}: only the beginning was analysed (title over {} bytes or \
             text over {})",
            story_cluster::MAX_TITLE_BYTES,
            story_cluster::MAX_TEXT_BYTES
        );
    }
}

/// What the final progress line does not say: the undated articles given
/// this machine's clock (`stamped`), the skipped articles taken for ones
/// evicted before the restart (`behind`), an index that no dated article
/// ever let retention evict from, and a replay that ended within the lines
/// the snapshot consumed.
fn final_notes(c: &Clusterer, behind: usize, stamped: usize, position: &Tracker) {
    if stamped > 0 {
        eprintln!("{stamped} undated article(s) given this machine's clock");
    }
    if c.clock().is_none() && !c.is_empty() && c.config().retention_secs().is_some() {
        eprintln!(
            "no article was dated: the retention horizon never moved and nothing was \
             evicted (undated articles stay until removed; --undated-now gives them this \
             machine's clock)"
        );
    }
    if behind > 0 {
        eprintln!(
            "{behind} of the skipped articles are older than the restored clock's horizon \
             (clock {}), taken for articles evicted before the restart",
            c.clock().unwrap_or_default()
        );
    }
    if position.consumed > position.read {
        eprintln!(
            "the input ended at line {}, within the {} lines the snapshot consumed: nothing \
             new was read, and these lines were skipped without a check that they are the \
             snapshot's",
            position.read, position.consumed
        );
    }
}

/// This machine's clock, in Unix seconds.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The input file, or stdin.
fn open_input(path: Option<&std::path::Path>) -> Result<Box<dyn Read>, String> {
    Ok(match path {
        Some(path) => Box::new(
            std::fs::File::open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        ),
        None => Box::new(std::io::stdin()),
    })
}

/// The snapshot's clusterer if there is one (`true`: a resumed run), else a
/// new one; with room for `--reserve` more articles.
fn open(opts: &Options) -> Result<(Clusterer, bool), Box<dyn std::error::Error>> {
    // A snapshot that could not be written would be found out only at the
    // first save, after the work.
    if let Some(path) = &opts.snapshot {
        check_writable(path)?;
    }
    let (mut clusterer, resumed) = match &opts.snapshot {
        Some(path) if path.exists() => {
            let t = Instant::now();
            let c = Clusterer::load(path)?;
            eprintln!(
                "resumed from {}: {} articles, {} stories ({:.2} s)",
                path.display(),
                c.len(),
                c.stories().len(),
                t.elapsed().as_secs_f64()
            );
            let kept = c.config().retention_secs();
            if opts.retention_given && kept != Some(i64::from(opts.retention_days) * 86_400) {
                eprintln!(
                    "--retention-days {} ignored: the snapshot keeps its own ({})",
                    opts.retention_days,
                    kept.map_or("none".to_string(), |s| format!(
                        "{} days",
                        s as f64 / 86_400.0
                    ))
                );
            }
            (c, true)
        }
        _ => (
            Clusterer::builder()
                .retention_days(opts.retention_days)
                .build()?,
            false,
        ),
    };
    clusterer.try_reserve(opts.reserve)?;
    Ok((clusterer, resumed))
}

/// The directory `path` is in (`.` for a bare file name).
fn directory_of(path: &std::path::Path) -> &std::path::Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    }
}

/// Fails unless a file can be created beside `path` (the snapshot): its
/// directory exists and takes new files.
fn check_writable(path: &std::path::Path) -> Result<(), String> {
    let Some(name) = path.file_name() else {
        return Err(format!("--snapshot {}: not a file name", path.display()));
    };
    // `NAME.pos.tmp-PID` must fit the file systems' 255 bytes too.
    if name.len() > 230 {
        return Err(format!(
            "--snapshot {}: a file name of more than 230 bytes leaves no room for its \
             position file's",
            path.display()
        ));
    }
    let dir = directory_of(path);
    if !dir.is_dir() {
        return Err(format!("no directory {} for the snapshot", dir.display()));
    }
    let probe = dir.join(format!(".story-cluster-probe-{}", std::process::id()));
    std::fs::File::create(&probe)
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| format!("cannot write the snapshot in {}: {e}", dir.display()))
}

/// The output line for an article assigned.
fn record(id: &str, assignment: &Assignment) -> serde_json::Value {
    let mut record = serde_json::json!({
        "id": id,
        "story": assignment.story.to_string(),
        "lang": assignment.language.code(),
        "new": assignment.is_new,
        "merged": assignment.merged.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    if let Some(split) = &assignment.split {
        record["split"] = serde_json::json!({
            "story": split.story.to_string(),
            "articles": split.articles,
        });
    }
    record
}

/// Reads the next line into `buf`, without its line break (`\n` or
/// `\r\n`): `Some(complete)`, whether it had one, or `None` at the end.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buf.clear();
    if reader.read_until(b'\n', buf)? == 0 {
        return Ok(None);
    }
    let complete = buf.ends_with(b"\n");
    if complete {
        buf.pop();
    }
    // Also from a last line without its `\n`: a writer may have flushed
    // between the two, and the line must read the same once complete.
    if buf.ends_with(b"\r") {
        buf.pop();
    }
    Ok(Some(complete))
}

/// How far into its input a snapshot's index got, kept beside the snapshot
/// in `<snapshot>.pos`: the complete input lines consumed, fingerprints of
/// the input's first non-blank line and of the last line consumed, and the
/// checksum of the snapshot it goes with (from the snapshot's header,
/// [`Clusterer::snapshot_checksum`]). A resumed run whose input starts with
/// the same line is a replay of it (or the same file, grown) and skips those
/// lines unread, and stops with an error if the last of them differs (an
/// input that only starts the same); any other input is new, and every line
/// of it is read. A position whose snapshot is not the one loaded (a crash
/// between the two saves, a snapshot restored from a backup) is ignored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Position {
    lines: u64,
    first: u64,
    last: u64,
    snapshot: u64,
}

impl Position {
    fn path(snapshot: &std::path::Path) -> PathBuf {
        let mut p = snapshot.as_os_str().to_owned();
        p.push(".pos");
        p.into()
    }

    /// The position saved beside `snapshot` if it belongs to it, or `None`
    /// (none saved, or saved for another snapshot file: said on stderr). A
    /// damaged one is an error.
    fn load(snapshot: &std::path::Path) -> Result<Option<Position>, Box<dyn std::error::Error>> {
        let path = Self::path(snapshot);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display()).into()),
        };
        let p = Self::parse(&text)
            .ok_or_else(|| format!("{}: not an input position: {text:?}", path.display()))?;
        // The snapshot's checksum, from its header; a position written by
        // an earlier version of this example holds the whole file's
        // fingerprint, read only then.
        let belongs = p.snapshot == Clusterer::snapshot_checksum(snapshot)?
            || p.snapshot == fingerprint(&std::fs::read(snapshot)?);
        if !belongs {
            eprintln!(
                "{}: the input position of another snapshot, ignored",
                path.display()
            );
            return Ok(None);
        }
        Ok(Some(p))
    }

    fn parse(text: &str) -> Option<Position> {
        let mut fields = text.split_ascii_whitespace();
        let p = Position {
            lines: fields.next()?.parse().ok()?,
            first: u64::from_str_radix(fields.next()?, 16).ok()?,
            last: u64::from_str_radix(fields.next()?, 16).ok()?,
            snapshot: u64::from_str_radix(fields.next()?, 16).ok()?,
        };
        fields.next().is_none().then_some(p)
    }

    /// Writes the position beside `snapshot`, for the snapshot file as it
    /// is now, as [`Clusterer::save`] writes a snapshot: through a temporary
    /// file of this process, synced and renamed over the old one, then the
    /// directory synced (where the platform allows) so that the rename
    /// survives a power loss.
    fn save(mut self, snapshot: &std::path::Path) -> std::io::Result<()> {
        self.snapshot = Clusterer::snapshot_checksum(snapshot).map_err(std::io::Error::other)?;
        let path = Self::path(snapshot);
        let mut tmp = path.clone().into_os_string();
        tmp.push(format!(".tmp-{}", std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            writeln!(
                f,
                "{} {:016x} {:016x} {:016x}",
                self.lines, self.first, self.last, self.snapshot
            )?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
            return written;
        }
        let dir = directory_of(&path);
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// The lines of an input starting with a line of fingerprint `first` to
    /// skip as consumed before the restart.
    fn to_skip(saved: Option<Position>, first: u64) -> u64 {
        match saved {
            Some(p) if p.first == first => p.lines,
            _ => 0,
        }
    }
}

/// The input position as lines are read, and the lines of a replay to
/// skip.
struct Tracker {
    saved: Option<Position>,
    /// The fingerprint of the input's first non-blank line, once read, and
    /// of the last line consumed (complete, or a whole article without its
    /// line break).
    first: Option<u64>,
    last: u64,
    /// Lines read, the last one possibly without its newline (`partial`,
    /// with its fingerprint: such a line is consumed only once it proved to
    /// be a whole article, see [`Tracker::whole`]).
    read: u64,
    partial: bool,
    partial_print: u64,
    /// Lines consumed before the restart: known once the first is read.
    consumed: u64,
}

impl Tracker {
    fn new(saved: Option<Position>) -> Tracker {
        Tracker {
            saved,
            first: None,
            last: 0,
            read: 0,
            partial: false,
            partial_print: 0,
            consumed: 0,
        }
    }

    /// Counts the next line (`line` without its line break; `complete`: it
    /// had one), and tells whether it was consumed before the restart (to
    /// skip it unread).
    ///
    /// # Errors
    ///
    /// The last line consumed before the restart is not the one this input
    /// has there: the input only starts like the snapshot's.
    fn replayed(&mut self, line: &[u8], complete: bool) -> Result<bool, String> {
        let print = fingerprint(line);
        // Blank lines say nothing of which input this is.
        if self.first.is_none() && !line.trim_ascii().is_empty() {
            self.first = Some(print);
            self.consumed = Position::to_skip(self.saved, print);
            if self.consumed > 0 {
                eprintln!(
                    "a replay of the snapshot's input: skipping its first {} lines",
                    self.consumed
                );
            }
        }
        self.read += 1;
        self.partial = !complete;
        if complete {
            self.last = print;
        } else {
            self.partial_print = print;
        }
        let replayed = self.read <= self.consumed;
        if self.read == self.consumed && self.saved.is_some_and(|p| p.last != print) {
            return Err(format!(
                "line {}: the input starts as the snapshot's did, but this line, the last \
                 the snapshot consumed, differs; remove the snapshot's .pos file to read \
                 this input whole",
                self.read
            ));
        }
        Ok(replayed)
    }

    /// The last line read, which had no line break, is a whole article
    /// (it parsed): it is consumed, as a line with its break would be, so
    /// that the next run over the same input does not read it again.
    fn whole(&mut self) {
        if self.partial {
            self.partial = false;
            self.last = self.partial_print;
        }
    }

    /// The position to save with the index as it is now: the complete
    /// lines read (a last line without its newline that is not a whole
    /// article may be cut short by a writer, and is read again next time).
    /// Where nothing new was read (an empty input, or a replay cut within
    /// its skipped lines), the index is the one the saved position
    /// describes: that one, if any.
    fn position(&self) -> Option<Position> {
        let lines = self.read - u64::from(self.partial);
        match self.first {
            Some(first) if lines >= self.consumed && self.read > self.consumed => Some(Position {
                lines,
                first,
                last: self.last,
                snapshot: 0,
            }),
            _ => self.saved,
        }
    }
}

/// A stable fingerprint of a line or a file (xxh3, the library's own hash).
fn fingerprint(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What becomes of an article read from the input.
#[derive(Debug, PartialEq, Eq)]
enum Admission {
    /// Clustered.
    Add,
    /// Its id is in the index: it came earlier in the input (or before the
    /// restart). Skipped and reported (the first article with the id is
    /// kept).
    Duplicate,
    /// Resumed from a snapshot without an input position: taken for an
    /// article added before the restart (its id is in the index). Skipped
    /// and counted.
    Replayed,
    /// Resumed from a snapshot without an input position: older than the
    /// restored clock's horizon, so taken for an article added and evicted
    /// before the restart. Skipped and counted.
    Evicted,
}

/// Whether `a` is clustered. `guess_replays`: resumed from a snapshot
/// without an input position, so replayed articles are told by id and
/// time. Otherwise nothing is a replay (the lines of one were skipped
/// unread), and an article older than the horizon is clustered, as the
/// library does.
fn admission(c: &Clusterer, a: &Article, guess_replays: bool) -> Admission {
    if c.contains(&a.id) {
        if guess_replays {
            Admission::Replayed
        } else {
            Admission::Duplicate
        }
    } else if guess_replays && behind_horizon(c, a) {
        Admission::Evicted
    } else {
        Admission::Add
    }
}

/// An article the restored clusterer would evict at once: it was evicted
/// before the restart.
fn behind_horizon(c: &Clusterer, a: &Article) -> bool {
    match (c.config().retention_secs(), c.clock(), a.published) {
        (Some(r), Some(clock), Some(p)) => p < clock.saturating_sub(r),
        _ => false,
    }
}

/// Saves the index to `path`, then the input position beside it (bound to
/// the file just saved), or removes a position left from an older snapshot.
/// A crash between the two leaves a position of another snapshot, which a
/// resume ignores.
fn snapshot(
    c: &Clusterer,
    path: &std::path::Path,
    at: Option<Position>,
) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    c.save(path)?;
    match at {
        Some(at) => at.save(path)?,
        None => match std::fs::remove_file(Position::path(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        },
    }
    eprintln!(
        "snapshot: {} articles to {} ({} bytes, {:.2} s)",
        c.len(),
        path.display(),
        std::fs::metadata(path)?.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn progress(
    c: &Clusterer,
    (added, skipped, bad): (usize, usize, usize),
    start: Instant,
    slowest: f64,
) {
    let s = c.stats();
    eprintln!(
        "{added} added, {skipped} skipped, {bad} bad lines, {:.0} articles/s, slowest add {:.1} ms; index: {} articles, {} stories, {} terms, ~{} KiB",
        added as f64 / start.elapsed().as_secs_f64().max(1e-9),
        slowest * 1e3,
        s.articles,
        s.stories,
        s.terms,
        s.approx_bytes / 1024
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600;

    fn article(id: &str, published: i64) -> Article {
        Article::new(
            id,
            "Podul de la Vadu Nou s-a redeschis",
            "Podul peste râul Olt de la Vadu Nou s-a redeschis luni după trei luni de lucrări.",
        )
        .with_published(published)
    }

    /// A clusterer keeping 7 days, its clock at day 30, with two articles
    /// (the clock is the second-newest time).
    fn clusterer() -> Clusterer {
        let mut c = Clusterer::builder().retention_days(7).build().unwrap();
        c.add(article("a", 30 * DAY)).unwrap();
        c.add(article("a2", 30 * DAY)).unwrap();
        assert_eq!(c.clock(), Some(30 * DAY));
        c
    }

    #[test]
    fn an_input_position_belongs_to_its_snapshot() {
        let dir = std::env::temp_dir().join(format!("stream-pos-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let snap = dir.join("state.snap");
        let mut c = clusterer();
        c.save(&snap).unwrap();
        assert_eq!(Position::load(&snap).unwrap(), None);
        let at = Position {
            lines: 12_345,
            first: fingerprint(br#"{"id": "a"}"#),
            last: fingerprint(br#"{"id": "z"}"#),
            snapshot: 0,
        };
        at.save(&snap).unwrap();
        let loaded = Position::load(&snap).unwrap().unwrap();
        assert_eq!(
            loaded.snapshot,
            Clusterer::snapshot_checksum(&snap).unwrap()
        );
        assert_eq!(
            Position {
                snapshot: 0,
                ..loaded
            },
            at
        );
        // A position an earlier version wrote, with the fingerprint of the
        // whole snapshot file, still belongs to it.
        let older = Position {
            snapshot: fingerprint(&std::fs::read(&snap).unwrap()),
            ..loaded
        };
        std::fs::write(
            Position::path(&snap),
            format!(
                "{} {:016x} {:016x} {:016x}\n",
                older.lines, older.first, older.last, older.snapshot
            ),
        )
        .unwrap();
        assert_eq!(Position::load(&snap).unwrap(), Some(older));
        // Another snapshot in its place (a crash between the two saves, a
        // backup restored): the position is ignored.
        c.add(article("b", 31 * DAY)).unwrap();
        c.save(&snap).unwrap();
        assert_eq!(Position::load(&snap).unwrap(), None);
        std::fs::write(Position::path(&snap), "12345 00ff\n").unwrap();
        assert!(Position::load(&snap).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A saved position: `lines` consumed, from `first` to `last`.
    fn saved_at(lines: u64, first: &[u8], last: &[u8]) -> Position {
        Position {
            lines,
            first: fingerprint(first),
            last: fingerprint(last),
            snapshot: 7,
        }
    }

    /// Feeds complete lines to `t`: whether each was skipped as replayed.
    fn feed(t: &mut Tracker, lines: &[&[u8]]) -> Vec<bool> {
        lines.iter().map(|l| t.replayed(l, true).unwrap()).collect()
    }

    #[test]
    fn a_replay_skips_the_lines_consumed_before_the_restart() {
        let first: &[u8] = br#"{"id": "a"}"#;
        let saved = saved_at(2, first, b"\xff");
        let mut replay = Tracker::new(Some(saved));
        let skipped = feed(&mut replay, &[first, b"\xff", b"c", b"d"]);
        assert_eq!(skipped, [true, true, false, false]);
        let at = replay.position().unwrap();
        assert_eq!((at.lines, at.last), (4, fingerprint(b"d")));
        // A last line without its newline may be half written: not consumed.
        assert!(!replay.replayed(b"{\"id\": \"e", false).unwrap());
        assert_eq!(replay.position(), Some(at));
        // Unless it proves a whole article: then it is, and a run over the
        // same input (its last line still without a newline) skips it.
        let mut whole = Tracker::new(Some(at));
        let tail: &[u8] = br#"{"id": "e"}"#;
        assert_eq!(feed(&mut whole, &[first, b"\xff", b"c", b"d"]), [true; 4]);
        assert!(!whole.replayed(tail, false).unwrap());
        whole.whole();
        let end = whole.position().unwrap();
        assert_eq!((end.lines, end.last), (5, fingerprint(tail)));
        let mut again = Tracker::new(Some(end));
        assert_eq!(feed(&mut again, &[first, b"\xff", b"c", b"d"]), [true; 4]);
        assert!(again.replayed(tail, false).unwrap());
        // Its newline written since, it is the same line.
        let mut grown = Tracker::new(Some(end));
        assert_eq!(
            feed(&mut grown, &[first, b"\xff", b"c", b"d", tail]),
            [true; 5]
        );
        // An input that starts the same but differs at the last line
        // consumed is no replay: an error, before anything is read.
        let mut other = Tracker::new(Some(saved));
        assert!(other.replayed(first, true).unwrap());
        assert!(other.replayed(b"b", true).is_err());
        // New input: every line is read, and its position replaces the old.
        let mut new = Tracker::new(Some(saved));
        assert_eq!(feed(&mut new, &[br#"{"id": "x"}"#]), [false]);
        let p = new.position().unwrap();
        assert_eq!(p.lines, 1);
        assert_ne!(p.first, saved.first);
        // Nothing read, or a replay cut within its skipped lines: the index
        // is the one the saved position describes.
        assert_eq!(Tracker::new(Some(saved)).position(), Some(saved));
        assert_eq!(Tracker::new(None).position(), None);
        let mut short = Tracker::new(Some(Position { lines: 5, ..saved }));
        assert_eq!(feed(&mut short, &[first]), [true]);
        assert_eq!(short.position(), Some(Position { lines: 5, ..saved }));
    }

    /// Lines lose their break, `\n` or `\r\n`, and a last line without
    /// its `\n` its `\r`: it reads the same once the writer adds the `\n`.
    #[test]
    fn line_breaks_are_dropped() {
        let mut reader = std::io::Cursor::new(b"a\r\nb\nc\r".to_vec());
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        while let Some(complete) = read_line(&mut reader, &mut buf).unwrap() {
            lines.push((String::from_utf8(buf.clone()).unwrap(), complete));
        }
        let want = [("a", true), ("b", true), ("c", false)];
        assert_eq!(lines, want.map(|(l, c)| (l.to_string(), c)));
    }

    /// Inputs are told apart by their first non-blank line: two files that
    /// both open with a blank line are not one replaying the other.
    #[test]
    fn blank_lines_do_not_make_a_replay() {
        let first: &[u8] = br#"{"id": "a"}"#;
        let saved = saved_at(3, first, b"c");
        let mut new = Tracker::new(Some(saved));
        assert_eq!(feed(&mut new, &[b"", b" ", br#"{"id": "x"}"#]), [false; 3]);
        let mut replay = Tracker::new(Some(saved));
        let skipped = feed(&mut replay, &[b"", first, b"c", b"d"]);
        assert_eq!(skipped, [false, true, true, false]);
        assert_eq!(replay.position().unwrap().first, saved.first);
    }

    /// A snapshot that could not be written is refused before any input is
    /// read: no file name, no directory, a name too long for its position
    /// file's temporary name.
    #[test]
    fn the_snapshot_location_is_checked_up_front() {
        let dir = std::env::temp_dir().join(format!("stream-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(check_writable(&dir.join("state.snap")).is_ok());
        assert!(check_writable(&dir.join("n".repeat(230))).is_ok());
        for bad in [
            PathBuf::new(),
            dir.join("missing").join("state.snap"),
            dir.join("n".repeat(231)),
        ] {
            assert!(check_writable(&bad).is_err(), "{}", bad.display());
        }
        // The probe file is gone.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_fresh_run_reports_a_repeated_id_and_clusters_a_late_article() {
        let c = clusterer();
        let admit = |id, day| admission(&c, &article(id, day * DAY), false);
        assert_eq!(admit("a", 30), Admission::Duplicate);
        assert_eq!(admit("late", 10), Admission::Add);
        assert_eq!(admit("b", 30), Admission::Add);
    }

    #[test]
    fn without_a_position_a_resumed_run_guesses_replays_by_id_and_time() {
        let c = clusterer();
        let admit = |id, day| admission(&c, &article(id, day * DAY), true);
        assert_eq!(admit("a", 30), Admission::Replayed);
        assert_eq!(admit("late", 10), Admission::Evicted);
        // Just inside the horizon, and undated: not seen before the restart.
        assert_eq!(admit("edge", 23), Admission::Add);
        let undated = Article::new("undated", "Titlu", "Un text scurt despre pod.");
        assert_eq!(admission(&c, &undated, true), Admission::Add);
    }
}
