//! Cleans a reader fragment for a browser with ammonia: no script, style,
//! event handler, form or embedded resource survives, navigation furniture
//! is dropped with its content, links keep only web and mail schemes and
//! open without a referrer.

use ammonia::{Builder, Url, UrlRelative};

/// Tags removed together with their content: page furniture that may sit
/// inside the selected article, and anything interactive.
const DROP_WITH_CONTENT: [&str; 13] = [
    "script", "style", "nav", "aside", "footer", "header", "form", "button", "select", "textarea",
    "noscript", "template", "iframe",
];

/// Tags that would load a resource; removed (their alt text has no place
/// in a tag ammonia keeps, so it goes too).
const NO_RESOURCES: [&str; 3] = ["img", "area", "map"];

/// The sanitised fragment. Relative links are resolved against `base` (the
/// page's canonical URL) when it is an http(s) URL, else dropped.
pub fn clean(fragment: &str, base: Option<&str>) -> String {
    let mut b = Builder::default();
    b.rm_tags(DROP_WITH_CONTENT)
        .rm_tags(NO_RESOURCES)
        .rm_tag_attributes("img", ["src", "alt", "height", "width", "align"])
        .add_clean_content_tags(DROP_WITH_CONTENT)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    let base = base
        .and_then(|u| Url::parse(u).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    match base {
        Some(u) => b.url_relative(UrlRelative::RewriteWithBase(u)),
        None => b.url_relative(UrlRelative::Deny),
    };
    b.clean(fragment).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_styles_and_resources_are_removed() {
        let dirty = r#"<h2 onclick="steal()">Title</h2><script>alert(1)</script>
<style>body{display:none}</style><p style="color:red" onmouseover="x()">Text
<img src="https://tracker.example/p.gif"><a href="javascript:alert(1)">bad</a>
<a href="https://example.com/r">good</a><iframe src="https://x.example/"></iframe>
<nav>Menu entries</nav><svg><script>alert(2)</script></svg></p>
<table><tr><td>cell</td></tr></table><ul><li>item</li></ul>"#;
        let out = clean(dirty, None);
        for gone in [
            "script",
            "alert",
            "onclick",
            "onmouseover",
            "style",
            "img",
            "tracker",
            "javascript",
            "iframe",
            "Menu entries",
            "svg",
        ] {
            assert!(!out.contains(gone), "{gone} survived: {out}");
        }
        for kept in [
            "<h2>Title</h2>",
            "<td>cell</td>",
            "<li>item</li>",
            r#"href="https://example.com/r""#,
            "noopener",
        ] {
            assert!(out.contains(kept), "{kept} lost: {out}");
        }
    }

    #[test]
    fn relative_links_resolve_against_the_page_or_go() {
        let f = r#"<a href="/post/2">next</a>"#;
        assert!(clean(f, Some("https://vendor.example/blog/1"))
            .contains(r#"href="https://vendor.example/post/2""#));
        assert!(!clean(f, None).contains("href"));
        assert!(!clean(f, Some("file:///etc/passwd")).contains("href"));
    }
}
