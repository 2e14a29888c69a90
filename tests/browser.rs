//! The search page in a real browser: headless Chromium driven through
//! WebDriver (chromedriver) searches, clicks an actor chip, picks a month on
//! the timeline, opens a hit's reader view with the keyboard and follows a
//! shared URL, asserting each time on what the page shows.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/install-browser.sh`)
//! or $CHROMIUM and $CHROMEDRIVER; without them the test says so and skips.

mod util;

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use util::Env;

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first of `names` found as $ENV or on the PATH.
fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server over `env`'s index; returns it and its base URL.
fn start_server(env: &Env) -> (Killed, String) {
    let mut child = env
        .cmd(&["serve", "--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start threatdex serve");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(i) = line.find("http://") {
            let url = line[i..].split_whitespace().next().unwrap();
            break url.trim_end_matches('/').to_string();
        }
    };
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stderr.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    (Killed(child), base)
}

/// Waits until the browser's URL differs from `before`.
async fn wait_for_new_url(c: &Client, before: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = c.current_url().await.unwrap().to_string();
        let ready = c
            .execute("return document.readyState", vec![])
            .await
            .unwrap();
        if now != before && ready == "complete" {
            return now;
        }
        assert!(Instant::now() < deadline, "no navigation from {before}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn all_texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

async fn total(c: &Client) -> u64 {
    text_of(c, "#total").await.trim().parse().unwrap()
}

#[test]
fn search_chip_timeline_reader_and_shared_url() {
    let (Some(chromium), Some(driver)) = (
        find_program(
            "CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        ),
        find_program("CHROMEDRIVER", &["chromedriver", "chromium-driver"]),
    ) else {
        eprintln!(
            "browser test SKIPPED: no chromium and chromedriver found \
             (run .ci/install-browser.sh, or set CHROMIUM and CHROMEDRIVER)"
        );
        return;
    };
    let env = Env::with_corpus();
    let (_server, base) = start_server(&env);
    let port = free_port();
    let _driver = Killed(
        Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let c = loop {
            match ClientBuilder::new(connector.clone())
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        };

        // 1. Search: `/` focuses the box, Enter submits.
        c.goto(&format!("{base}/")).await.unwrap();
        let before = c.current_url().await.unwrap().to_string();
        c.find(Locator::Css("body")).await.unwrap().send_keys("/").await.unwrap();
        let focused = c
            .execute("return document.activeElement.id", vec![])
            .await
            .unwrap();
        assert_eq!(focused, "q", "`/` must focus the search box");
        c.active_element()
            .await
            .unwrap()
            .send_keys(&format!("ukraine{}", char::from(Key::Enter)))
            .await
            .unwrap();
        let url = wait_for_new_url(&c, &before).await;
        assert!(url.contains("q=ukraine"), "{url}");
        let all = total(&c).await;
        assert!(all > 1, "search found {all}");
        let titles = all_texts(&c, ".hit a.title").await;
        assert!(!titles.is_empty());
        assert!(
            !all_texts(&c, ".hit .snippet mark").await.is_empty(),
            "no highlighted words in the snippets"
        );

        // 2. Click an actor chip: the filter is set and every hit names it.
        let chip = c.find(Locator::Css(".hit .chip.actor")).await.unwrap();
        let actor = chip.text().await.unwrap();
        chip.click().await.unwrap();
        let url = wait_for_new_url(&c, &url).await;
        assert!(url.contains("actor="), "{url}");
        let filtered = total(&c).await;
        assert!(filtered >= 1 && filtered <= all, "{filtered} of {all}");
        let active = all_texts(&c, ".active .chip").await;
        assert!(active.iter().any(|t| t.contains(&actor)), "{active:?}");
        let hits = c.find_all(Locator::Css(".hit")).await.unwrap();
        assert_eq!(hits.len() as u64, filtered.min(20));
        for h in &hits {
            let on = h.find_all(Locator::Css(".chip.actor.on")).await.unwrap();
            assert_eq!(on.len(), 1, "a hit without the actor {actor}");
        }

        // 3. Pick a month on the timeline: since/until are set and every hit
        // is dated inside it.
        let month = c
            .execute(
                "var m = Array.from(document.querySelectorAll('.timeline a.month'))\
                   .filter(a => parseFloat(a.querySelector('.bar').getAttribute('height')) > 0);\
                 return m.length ? m[m.length - 1].getAttribute('data-since') : null;",
                vec![],
            )
            .await
            .unwrap();
        let since = month.as_str().expect("a month with reports").to_string();
        let bar = c
            .find(Locator::Css(&format!(".timeline a.month[data-since='{since}'] .bar")))
            .await
            .unwrap();
        bar.click().await.unwrap();
        let url = wait_for_new_url(&c, &url).await;
        assert!(url.contains(&format!("since={since}")), "{url}");
        assert!(url.contains("until="), "{url}");
        let until = url.split("until=").nth(1).unwrap()[..10].to_string();
        let dated = total(&c).await;
        assert!(dated >= 1 && dated <= filtered, "{dated} of {filtered}");
        for d in all_texts(&c, ".hit time").await {
            assert!(d >= since && d <= until, "{d} outside {since}..{until}");
        }
        let selected = c.find_all(Locator::Css(".timeline a.month.sel")).await.unwrap();
        assert_eq!(selected.len(), 1, "the picked month is marked");
        let shared = url.clone();
        let first_title = text_of(&c, ".hit a.title").await;

        // 4. Keyboard: j selects the first hit, Enter opens its reader view.
        c.find(Locator::Css("body")).await.unwrap().send_keys("j").await.unwrap();
        c.active_element()
            .await
            .unwrap()
            .send_keys(&char::from(Key::Enter).to_string())
            .await
            .unwrap();
        let reader_url = wait_for_new_url(&c, &url).await;
        assert!(reader_url.contains("/doc/"), "{reader_url}");
        assert_eq!(text_of(&c, "article.reader h1").await, first_title);
        let content = text_of(&c, ".reader .content").await;
        assert!(content.len() > 300, "reader text: {content}");
        let scripts = c
            .execute("return document.querySelectorAll('.content script, .content [onclick], .content img, .content iframe').length", vec![])
            .await
            .unwrap();
        assert_eq!(scripts, 0);
        assert!(
            c.find(Locator::Css(".reader .meta a.file")).await.is_ok(),
            "no link to the file"
        );

        // 5. A shared URL opened afresh shows the same view.
        c.goto(&format!("{base}/")).await.unwrap();
        c.delete_all_cookies().await.unwrap();
        c.goto(&shared).await.unwrap();
        assert_eq!(total(&c).await, dated);
        assert_eq!(text_of(&c, ".hit a.title").await, first_title);
        let q = c
            .execute("return document.getElementById('q').value", vec![])
            .await
            .unwrap();
        assert_eq!(q, "ukraine");
        let active = all_texts(&c, ".active .chip").await;
        assert!(active.iter().any(|t| t.contains(&actor)), "{active:?}");

        // The page works on a phone's width without sideways scrolling.
        c.set_window_size(390, 844).await.unwrap();
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth + 1",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow, false, "the page scrolls sideways on a phone");
        c.close().await.unwrap();
    });
}
