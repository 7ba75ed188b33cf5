//! The compare page of `accord serve`: a workbook with a what-if gives the same files as
//! `accord compare`, byte for byte; a foreign origin is refused; a bad what-if is named.

use super::server::*;
use crate::support::*;
use std::fs;

fn fixture_xlsx() -> Vec<u8> {
    fs::read(repo().join("fixtures/wla.xlsx")).unwrap()
}

/// The compare form's body: book A, book B when given, and the what-if text.
fn compare_form(a: (&str, &[u8]), b: Option<(&str, &[u8])>, what_if: &str) -> Vec<u8> {
    let mut body = Vec::new();
    let mut file = |field: &str, name: &str, content: &[u8]| {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    file("book_a", a.0, a.1);
    let (b_name, b_content) = b.unwrap_or(("", b""));
    file("book_b", b_name, b_content);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"what_if\"\r\n\r\n{what_if}\r\n--{BOUNDARY}--\r\n"
        )
        .as_bytes(),
    );
    body
}

fn post_compare(addr: &str, body: &[u8], origin: &str) -> Reply {
    let head = format!(
        "POST /compare HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\nOrigin: {origin}",
        body.len()
    );
    send(addr, &head, body)
}

#[test]
fn serve_compare_with_a_what_if_gives_the_same_files_as_accord_compare() {
    let dir = scratch("serve-compare");
    let out = dir.join("comparison");
    let book = repo().join("fixtures/wla.xlsx");
    let output = accord(&[
        "compare",
        book.to_str().unwrap(),
        "--what-if",
        "leave:HRW:2014-06-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let server = Server::start("serve-compare", &[]);
    let page = get(&server.addr, "/compare", &[]);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("name=\"what_if\""));
    assert!(get(&server.addr, "/", &[])
        .text()
        .contains("href=\"/compare\""));
    let body = compare_form(
        ("wla.xlsx", &fixture_xlsx()),
        None,
        "leave:HRW:2014-06-01\r\n",
    );
    let reply = post_compare(&server.addr, &body, &format!("http://{}", server.addr));
    assert_eq!(reply.status, 303, "{}", reply.text());
    let pack = reply.header("location").unwrap().to_string();
    assert!(pack.starts_with("/packs/"), "{pack}");
    for name in ["compare_totals.csv", "compare.csv"] {
        let file = get(&server.addr, &format!("{pack}files/{name}"), &[]);
        assert_eq!(file.status, 200, "{name}");
        assert_eq!(file.body, fs::read(out.join(name)).unwrap(), "{name}");
    }
    // changes.csv is the same but for its places, which name the uploaded file (as the
    // manifest does), never the server's folders.
    let changes = get(&server.addr, &format!("{pack}files/changes.csv"), &[]).text();
    let expected = fs::read_to_string(out.join("changes.csv"))
        .unwrap()
        .replace(&book.display().to_string(), "wla.xlsx");
    assert_eq!(changes, expected);
    assert!(changes.contains("wla.xlsx: councils!"), "{changes}");
    for name in ["compare.xlsx", "index.html", "manifest.json"] {
        let file = get(&server.addr, &format!("{pack}files/{name}?download=1"), &[]);
        assert_eq!(file.status, 200, "{name}");
    }
    let zip = unzip(&get(&server.addr, &format!("{pack}reports.zip"), &[]).body);
    assert_eq!(
        zip["reports/compare_totals.csv"],
        fs::read(out.join("compare_totals.csv")).unwrap()
    );
    let shown = get(&server.addr, &pack, &[]).text();
    assert!(shown.contains("id=\"comparison\""), "{shown}");
    assert!(shown.contains("files/compare_totals.csv?download=1"));
    assert!(shown.contains("leave:HRW:2014-06-01"));
    let index = get(&server.addr, &format!("{pack}files/index.html"), &[]).text();
    for text in [&shown, &index] {
        assert!(
            !text.contains(".staging-") && !text.contains("/packs/"),
            "no server folder is named"
        );
    }
    // The traversal rules hold for comparison packs too.
    let traversal = get(
        &server.addr,
        &format!("{pack}files/%2e%2e/a/book.xlsx"),
        &[],
    );
    assert_eq!(traversal.status, 400);
    assert_eq!(server.packs().len(), 1);
}

#[test]
fn serve_compare_refuses_other_origins_and_names_a_bad_what_if() {
    let server = Server::start("serve-compare-refused", &[]);
    let book = fixture_xlsx();
    let body = compare_form(("wla.xlsx", &book), None, "leave:HRW:2014-06-01");
    let foreign = post_compare(&server.addr, &body, "http://evil.example");
    assert_eq!(foreign.status, 403, "a foreign Origin is refused");
    server.still_answers();
    let own = format!("http://{}", server.addr);
    // A change accord does not know, and one that does not fit the book.
    for (what_if, named) in [
        (
            "leave:HRW:2014-06-01\nretire:HRW:2014",
            "what-if retire:HRW:2014",
        ),
        ("leave:ZZZ:2014-06-01", "what-if leave:ZZZ:2014-06-01"),
    ] {
        let body = compare_form(("wla.xlsx", &book), None, what_if);
        let reply = post_compare(&server.addr, &body, &own);
        assert_eq!(reply.status, 422, "{what_if}: {}", reply.text());
        assert!(reply.text().contains(named), "{named}: {}", reply.text());
        server.still_answers();
    }
    // An invalid book B is named as book B.
    let body = compare_form(
        ("wla.xlsx", &book),
        Some(("broken.xlsx", b"not a workbook")),
        "",
    );
    let reply = post_compare(&server.addr, &body, &own);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("Book B: "), "{}", reply.text());
    assert!(server.packs().is_empty(), "nothing refused made a pack");
}
