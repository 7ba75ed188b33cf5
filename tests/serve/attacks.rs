//! Attacks on `accord serve` that must fail, each followed by a check that the server still
//! answers: path traversal in its encoded forms and through a symbolic link, a foreign
//! origin and a foreign Host, an oversized upload, a missing or wrong token; and the content
//! security policy on what it serves.

use super::server::*;
use crate::support::*;
use std::fs;

fn fixture_xlsx() -> Vec<u8> {
    fs::read(repo().join("fixtures/wla.xlsx")).unwrap()
}

#[test]
fn serve_refuses_path_traversal_in_every_encoding() {
    let server = Server::start("serve-traversal", &[]);
    let pack = upload_pack(&server.addr, "wla.xlsx", &fixture_xlsx(), &[]);
    let ok = get(&server.addr, &format!("{pack}files/index.html"), &[]);
    assert_eq!(ok.status, 200, "a file of the pack is served");
    let id = pack.trim_start_matches("/packs/").trim_end_matches('/');
    // Something outside the reports folder that an attacker would like: the upload itself,
    // the pack's own page, the data folder, the system's password file.
    let secret = fs::read_to_string("/etc/passwd").unwrap_or_default();
    let attacks = [
        format!("{pack}files/../book.xlsx"),
        format!("{pack}files/../../../../../../etc/passwd"),
        format!("{pack}files/%2e%2e/book.xlsx"),
        format!("{pack}files/%2E%2E%2Fbook.xlsx"),
        format!("{pack}files/%252e%252e/%252e%252e/%252e%252e/etc/passwd"),
        format!("{pack}files/..%2f..%2f..%2f..%2fetc%2fpasswd"),
        format!("{pack}files/..%5c..%5cbook.xlsx"),
        format!("{pack}files/2012-13/..%2f..%2fbook.xlsx"),
        format!("{pack}files//etc/passwd"),
        format!("{pack}files/%2fetc%2fpasswd"),
        format!("{pack}files/index.html%00.pdf"),
        format!("{pack}files/.%2e/page.html"),
        format!("{pack}book.xlsx"),
        format!("{pack}page.html"),
        format!("/packs/{id}/../../packs/{id}/book.xlsx"),
        "/packs/..%2f..%2f..%2fetc%2fpasswd".to_string(),
        "/packs/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/packs/../../../etc/passwd".to_string(),
        "/../../../../etc/passwd".to_string(),
        "/static/../../../../etc/passwd".to_string(),
    ];
    let book = fixture_xlsx();
    for path in &attacks {
        let reply = get(&server.addr, path, &[]);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: refused, not {}",
            reply.status
        );
        assert!(
            secret.is_empty() || !reply.text().contains(secret.lines().next().unwrap()),
            "{path}: no system file"
        );
        assert!(reply.body != book, "{path}: not the upload");
        server.still_answers();
    }
    // A symbolic link planted in a pack (by anyone with access to the data folder) is not
    // followed out of it.
    let reports = server.data.join("packs").join(id).join("reports");
    std::os::unix::fs::symlink("/etc/passwd", reports.join("passwd.csv")).unwrap();
    std::os::unix::fs::symlink("/etc", reports.join("etc")).unwrap();
    for path in ["passwd.csv", "etc/passwd"] {
        let reply = get(&server.addr, &format!("{pack}files/{path}"), &[]);
        assert_eq!(reply.status, 404, "{path}: a symbolic link is not followed");
        server.still_answers();
    }
}

#[test]
fn serve_refuses_uploads_from_other_origins() {
    let server = Server::start("serve-origin", &[]);
    let book = fixture_xlsx();
    for origin in [
        "http://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
        "https://evil.example:443",
    ] {
        let reply = upload(
            &server.addr,
            "wla.xlsx",
            &book,
            &[&format!("Origin: {origin}")],
        );
        assert_eq!(reply.status, 403, "Origin {origin} is refused");
        server.still_answers();
    }
    // Neither Origin nor Referer: no page of ours sends that.
    let head =
        format!("POST /upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}");
    let reply = send(&server.addr, &head, &multipart("wla.xlsx", &book));
    assert_eq!(reply.status, 403, "no origin at all is refused");
    server.still_answers();
    let referer = upload(
        &server.addr,
        "wla.xlsx",
        &book,
        &["Origin: http://evil.example", "Referer: http://127.0.0.1/"],
    );
    assert_eq!(referer.status, 403);
    // A page of another site that reaches the server by DNS rebinding names itself in Host.
    let rebinding = get(&server.addr, "/", &["Host: evil.example"]);
    assert_eq!(rebinding.status, 403, "a foreign Host is refused");
    server.still_answers();
    assert!(server.packs().is_empty(), "no refused upload made a pack");
    // The same upload from the page's own origin is taken.
    upload_pack(&server.addr, "wla.xlsx", &book, &[]);
    assert_eq!(server.packs().len(), 1);
}

#[test]
fn serve_refuses_uploads_over_100_mb() {
    let server = Server::start("serve-size", &[]);
    // Declared too large: refused before a byte of the body is read.
    let head = format!(
        "POST /upload HTTP/1.1\r\nOrigin: http://{}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: 200000000",
        server.addr
    );
    let reply = send(&server.addr, &head, b"--x");
    assert_eq!(reply.status, 413, "{}", reply.text());
    server.still_answers();
    // Not declared (chunked), and really over 100 MB: refused as it arrives.
    let big = vec![b'a'; 100_000_001];
    let body = multipart("big.xlsx", &big);
    let mut chunked = Vec::with_capacity(body.len() + 1024);
    for chunk in body.chunks(1 << 20) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let head = format!(
        "POST /upload HTTP/1.1\r\nOrigin: http://{}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked",
        server.addr
    );
    let reply = send(&server.addr, &head, &chunked);
    assert_eq!(reply.status, 413, "{}", reply.text());
    server.still_answers();
    assert!(server.packs().is_empty());
    let staging: Vec<_> = fs::read_dir(&server.data)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".staging-"))
        .collect();
    assert!(staging.is_empty(), "a refused upload leaves nothing behind");
}

#[test]
fn serve_with_a_token_refuses_requests_without_it() {
    let dir = scratch("serve-token");
    let token = "s3cret-token-0123456789";
    let token_file = dir.join("token.txt");
    fs::write(&token_file, format!("{token}\n")).unwrap();
    let server = Server::start(
        "serve-token",
        &["--token-file", token_file.to_str().unwrap()],
    );
    let addr = &server.addr;
    let refused: &[&[&str]] = &[
        &[],
        &["Cookie: accord_token=wrong-token-0123456789"],
        &["Authorization: Bearer wrong-token-0123456789"],
        &["Authorization: Bearer s3cret-token-012345678"],
    ];
    for headers in refused {
        for path in [
            "/",
            "/template.xlsx",
            "/packs/0123456789abcdef0123456789abcdef/",
        ] {
            let reply = get(addr, path, headers);
            assert_eq!(reply.status, 401, "{path} with {headers:?}");
        }
    }
    let wrong_query = get(addr, "/?token=wrong", &[]);
    assert_eq!(wrong_query.status, 401);
    let upload_refused = upload(addr, "wla.xlsx", &fixture_xlsx(), &[]);
    assert_eq!(upload_refused.status, 401, "an upload without the token");
    assert!(server.packs().is_empty());
    // The first visit with ?token= sets the cookie and goes to the clean address.
    let first = get(addr, &format!("/?token={token}"), &[]);
    assert_eq!(first.status, 303);
    assert_eq!(first.header("location"), Some("/"));
    let cookie = first.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let cookie_header = format!("Cookie: {}", cookie.split(';').next().unwrap());
    assert_eq!(get(addr, "/", &[&cookie_header]).status, 200);
    let bearer = format!("Authorization: Bearer {token}");
    assert_eq!(get(addr, "/", &[&bearer]).status, 200);
    upload_pack(addr, "wla.xlsx", &fixture_xlsx(), &[&cookie_header]);
    assert_eq!(server.packs().len(), 1);
}

#[test]
fn serve_off_loopback_needs_a_token_file() {
    let output = accord(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--token-file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn serve_pages_carry_a_content_security_policy() {
    let server = Server::start("serve-csp", &[]);
    let pack = upload_pack(&server.addr, "wla.xlsx", &fixture_xlsx(), &[]);
    for path in [
        "/".to_string(),
        pack.clone(),
        format!("{pack}files/index.html"),
        format!("{pack}files/2012-13/index.html"),
        "/nothing-here".to_string(),
    ] {
        let reply = get(&server.addr, &path, &[]);
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp:?}");
        assert!(!csp.contains("unsafe-eval"), "{path}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let file = get(&server.addr, &format!("{pack}files/index.html"), &[]);
    let csp = file.header("content-security-policy").unwrap();
    assert!(
        !csp.contains("script-src"),
        "no script runs in a report's page: {csp}"
    );
}
