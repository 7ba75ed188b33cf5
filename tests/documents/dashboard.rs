//! The dashboards through headless Chromium: each renders to a screenshot that is not blank,
//! and every link on them leads to a file of the reports folder.

use super::reports;
use crate::support::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(super) fn screenshot(page: &Path, png: &Path) {
    let profile = scratch("chromium-profile");
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            &format!("file://{}", page.display()),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium runs (Debian chromium; .ci/run installs it)");
    // A browser that hangs must not hang the test run: give it a minute.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        png.is_file(),
        "chromium wrote no screenshot of {}",
        page.display()
    );
}

/// Every relative link of a page points at a file of the reports folder.
fn links_resolve(page: &Path) {
    let html = fs::read_to_string(page).unwrap();
    let mut count = 0;
    for part in html.split("href=\"").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        assert!(
            !target.contains("://"),
            "{}: no link leaves the folder: {target}",
            page.display()
        );
        let file = target.split('#').next().unwrap();
        let resolved = page.parent().unwrap().join(file);
        assert!(
            resolved.is_file(),
            "{}: link {target} resolves",
            page.display()
        );
        count += 1;
    }
    assert!(count > 5, "{}: has links", page.display());
}

#[test]
fn the_dashboards_render_in_chromium_and_their_links_resolve() {
    let out = reports();
    let year = out.join("2013-14/index.html");
    let html = fs::read_to_string(&year).unwrap();
    assert!(
        html.contains("<svg") && !html.contains("<script"),
        "inline SVG charts, no script"
    );
    links_resolve(&year);
    links_resolve(&out.join("index.html"));
    let dir = scratch("screenshot");
    let png = dir.join("year.png");
    screenshot_is_not_blank(&year, &png);
}

/// Renders `page` with headless Chromium and checks the picture is not blank: a blank
/// 1280x2000 page compresses to a few kilobytes; tables, text and charts do not.
pub(super) fn screenshot_is_not_blank(page: &Path, png: &Path) {
    screenshot(page, png);
    let bytes = fs::read(png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    assert!(
        bytes.len() > 60_000,
        "the screenshot is not blank ({} bytes)",
        bytes.len()
    );
}
