//! The server's safety rules, each a small pure function over a request's parts so that it
//! can be tested with a table of cases: the token, the page's own origin for state-changing
//! requests, the Host a loopback server answers to, the paths of a pack's files, and the
//! headers every response carries.

use axum::http::{header, HeaderMap, HeaderValue, Method};

/// Uploads larger than this are refused with 413 (SPEC §8: 100 MB).
pub const MAX_UPLOAD_BYTES: u64 = 100_000_000;

/// The cookie that carries the token once the first visit gave it as `?token=`.
pub const TOKEN_COOKIE: &str = "accord_token";

/// A token file's token must be at least this long (it guards a server others can reach).
pub const MIN_TOKEN_CHARS: usize = 16;

/// The content security policy of the server's own pages: nothing from elsewhere, scripts
/// only from this server, styles inline (the reports' pages carry theirs), forms only here.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a pack's files (the reports' own pages and documents): no script at all.
pub const FILE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The headers every response carries.
pub fn protect(headers: &mut HeaderMap, csp: &'static str) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Reads a token file: its first line, trimmed. Too short is refused.
pub fn token_from_file(text: &str) -> Result<String, String> {
    let token = text.lines().next().unwrap_or_default().trim().to_string();
    if token.chars().count() < MIN_TOKEN_CHARS {
        return Err(format!(
            "the token must be at least {MIN_TOKEN_CHARS} characters (its first line); write a long random one, e.g. from `head -c 24 /dev/urandom | base64`"
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("the token may hold only visible ASCII characters, no spaces".into());
    }
    Ok(token)
}

/// Compares two strings in time that does not depend on where they first differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where a request's token came from.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenFound {
    /// The `Authorization: Bearer` header or the cookie: the request may go on.
    Carried,
    /// `?token=` in the address: set the cookie and send the browser to the clean address.
    InQuery,
    Missing,
    Wrong,
}

/// Looks for the token in `Authorization: Bearer TOKEN`, the `accord_token` cookie, or a
/// `token=` query parameter, in that order.
pub fn find_token(expected: &str, headers: &HeaderMap, query: Option<&str>) -> TokenFound {
    let mut seen_any = false;
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        seen_any = true;
        if let Some(token) = value.strip_prefix("Bearer ") {
            if same_secret(token.trim(), expected) {
                return TokenFound::Carried;
            }
        }
    }
    for cookies in headers.get_all(header::COOKIE) {
        let Ok(cookies) = cookies.to_str() else {
            continue;
        };
        for pair in cookies.split(';') {
            if let Some((name, value)) = pair.trim().split_once('=') {
                if name == TOKEN_COOKIE {
                    seen_any = true;
                    if same_secret(value, expected) {
                        return TokenFound::Carried;
                    }
                }
            }
        }
    }
    for pair in query.unwrap_or_default().split('&') {
        if let Some(("token", value)) = pair.split_once('=') {
            seen_any = true;
            if same_secret(&percent_decode(value).unwrap_or_default(), expected) {
                return TokenFound::InQuery;
            }
        }
    }
    if seen_any {
        TokenFound::Wrong
    } else {
        TokenFound::Missing
    }
}

/// The query string without its `token=` parameter (for the clean address after a visit).
pub fn query_without_token(query: Option<&str>) -> String {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("token="))
        .collect::<Vec<_>>()
        .join("&")
}

/// The Host names a loopback server answers to: its own address, and `localhost` at its port.
/// Any other Host is a page of another site reaching it by DNS rebinding, refused.
pub fn host_allowed(host: Option<&str>, port: u16, loopback: bool) -> bool {
    if !loopback {
        // Reachable from elsewhere by a name we cannot know; the token guards it instead.
        return true;
    }
    let Some(host) = host else {
        return false;
    };
    let allowed = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    allowed.iter().any(|a| a.eq_ignore_ascii_case(host))
}

/// True when a request may change state: it is a safe method, or it comes from a page of
/// this server (its `Origin`, or failing that its `Referer`, is `http(s)://HOST`).
pub fn same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let ours = |origin: &str| {
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().is_ok_and(ours);
    }
    if let Some(referer) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) {
        let origin_part = referer.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        return ours(&origin_part);
    }
    false
}

/// Decodes `%XX` escapes once; `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why a requested file path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathRefusal {
    /// `..`, `.`, an absolute path, a backslash, a NUL or a hidden name, in any encoding.
    Traversal,
    /// A malformed escape or a name that is not UTF-8.
    Malformed,
}

/// The segments of a pack file's path as written in the address (after `/files/`), each
/// decoded. Refused when any segment, decoded once or as many times as it has escapes, is
/// `.` or `..`, is empty, holds `/`, `\` or NUL, or starts with `.` (`%2e%2e`, `%252e%252e`,
/// `..%2f`, `..\`, `%00`, and `/etc/passwd` are all refused). Names accord writes are plain
/// `A-Z a-z 0-9 - _ .`, so nothing of a pack is lost by this.
pub fn file_segments(raw_path: &str) -> Result<Vec<String>, PathRefusal> {
    if raw_path.is_empty() || raw_path.starts_with('/') {
        return Err(PathRefusal::Traversal);
    }
    let mut segments = Vec::new();
    for raw in raw_path.split('/') {
        let mut decoded = raw.to_string();
        // Decode until nothing changes, so a doubly-encoded `..` is seen for what it is.
        for _ in 0..4 {
            let next = percent_decode(&decoded).ok_or(PathRefusal::Malformed)?;
            if next == decoded {
                break;
            }
            decoded = next;
        }
        let bad = decoded.is_empty()
            || decoded.starts_with('.')
            || decoded.contains(['/', '\\', '\0', '%'])
            || decoded.contains(':');
        if bad {
            return Err(PathRefusal::Traversal);
        }
        segments.push(decoded);
    }
    Ok(segments)
}

/// The content type of a pack's file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        let refused = [
            "..",
            "../etc/passwd",
            "2012-13/../../x",
            "%2e%2e/x",
            "%2E%2E%2Fx",
            "%252e%252e/x",
            "..%2fx",
            "..%5cx",
            "a%5c..%5cb",
            "%2fetc%2fpasswd",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "index.html%00.pdf",
            ".hidden",
            "C:%5cwindows",
            "",
        ];
        for path in refused {
            assert!(file_segments(path).is_err(), "{path:?} is refused");
        }
        assert_eq!(file_segments("%zz"), Err(PathRefusal::Malformed));
        let allowed: &[(&str, &[&str])] = &[
            ("index.html", &["index.html"]),
            (
                "2012-13/invoices/WLA-2012-13-EAL-HRW.pdf",
                &["2012-13", "invoices", "WLA-2012-13-EAL-HRW.pdf"],
            ),
            ("a%20b.csv", &["a b.csv"]),
        ];
        for (path, expected) in allowed {
            assert_eq!(file_segments(path).unwrap(), *expected, "{path:?}");
        }
    }

    #[test]
    fn state_changes_come_only_from_the_page_itself() {
        let post = Method::POST;
        let cases: &[(&[(&str, &str)], bool)] = &[
            (
                &[
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://127.0.0.1:8080"),
                ],
                true,
            ),
            (
                &[
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://evil.example"),
                ],
                false,
            ),
            (&[("host", "127.0.0.1:8080"), ("origin", "null")], false),
            (
                &[
                    ("host", "127.0.0.1:8080"),
                    ("referer", "http://127.0.0.1:8080/"),
                ],
                true,
            ),
            (
                &[
                    ("host", "127.0.0.1:8080"),
                    ("referer", "http://127.0.0.1:8080.evil.example/"),
                ],
                false,
            ),
            (&[("host", "127.0.0.1:8080")], false),
        ];
        for (pairs, expected) in cases {
            assert_eq!(same_origin(&post, &headers(pairs)), *expected, "{pairs:?}");
        }
        assert!(same_origin(&Method::GET, &headers(&[])));
    }

    #[test]
    fn the_token_is_found_where_it_may_be_carried() {
        let token = "0123456789abcdefXYZ";
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>, TokenFound);
        let cases: &[Case] = &[
            (
                &[("authorization", "Bearer 0123456789abcdefXYZ")],
                None,
                TokenFound::Carried,
            ),
            (
                &[("cookie", "a=b; accord_token=0123456789abcdefXYZ")],
                None,
                TokenFound::Carried,
            ),
            (&[], Some("token=0123456789abcdefXYZ"), TokenFound::InQuery),
            (&[], None, TokenFound::Missing),
            (&[("cookie", "accord_token=nope")], None, TokenFound::Wrong),
            (&[("authorization", "Bearer nope")], None, TokenFound::Wrong),
            (&[], Some("token=0123456789abcdefXY"), TokenFound::Wrong),
        ];
        for (pairs, query, expected) in cases {
            assert_eq!(
                find_token(token, &headers(pairs), *query),
                *expected,
                "{pairs:?} {query:?}"
            );
        }
        assert_eq!(
            query_without_token(Some("token=x&download=1")),
            "download=1"
        );
    }

    #[test]
    fn a_loopback_server_answers_only_to_its_own_names() {
        let cases = [
            (Some("127.0.0.1:8080"), true),
            (Some("localhost:8080"), true),
            (Some("LOCALHOST:8080"), true),
            (Some("[::1]:8080"), true),
            (Some("evil.example:8080"), false),
            (Some("127.0.0.1:9999"), false),
            (None, false),
        ];
        for (host, expected) in cases {
            assert_eq!(host_allowed(host, 8080, true), expected, "{host:?}");
        }
        assert!(host_allowed(Some("accord.council.example"), 8080, false));
    }

    #[test]
    fn tokens_must_be_long_and_plain() {
        assert!(token_from_file("short\n").is_err());
        assert!(token_from_file("has a space in it, long enough").is_err());
        assert_eq!(
            token_from_file("  0123456789abcdef  \nignored").unwrap(),
            "0123456789abcdef"
        );
    }
}
