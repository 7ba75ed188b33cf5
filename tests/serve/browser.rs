//! `accord serve` through a real browser: headless Chromium driven over WebDriver
//! (Debian's `chromium-driver`, through fantoccini). Upload the fixture workbook with the
//! page's file field, read the dashboard's figures from the page, download the zip and
//! compare its CSV files byte for byte with `accord run`'s; upload a broken workbook and
//! find every cell the command line names; compare the workbook with a what-if from the
//! compare page and read its line.

use super::server::*;
use crate::support::*;
use fantoccini::{Client, ClientBuilder, Locator};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver on a free port of 127.0.0.1, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let mut child = Command::new("chromedriver")
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (Debian chromium-driver; .ci/run installs it)");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let port = loop {
            line.clear();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "chromedriver started"
            );
            if let Some(rest) = line.split("started successfully on port ").nth(1) {
                break rest.trim().trim_end_matches('.').parse().unwrap();
            }
        };
        // Keep reading its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in out.lines() {});
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver, downloads: &Path, profile: &Path) -> Client {
    let options = serde_json::json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,1000",
            format!("--user-data-dir={}", profile.display()),
        ],
        "prefs": {
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        },
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "chrome".into());
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

/// `£1,234.50` or `-£0.01` as pence.
fn pence(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let value: i64 = digits
        .parse()
        .unwrap_or_else(|_| panic!("an amount: {text:?}"));
    if negative {
        -value
    } else {
        value
    }
}

/// What each council pays per year, summed from `accord run`'s allocations.csv.
fn paid_by_council(allocations: &[u8]) -> BTreeMap<(String, String), i64> {
    let mut paid = BTreeMap::new();
    for line in String::from_utf8_lossy(allocations).lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        *paid
            .entry((cells[2].to_string(), cells[0].to_string()))
            .or_insert(0) += pence(cells[6]);
    }
    paid
}

/// Uploads `book` through the page's form, as a person does.
async fn upload_through_page(client: &Client, server: &Server, book: &Path) {
    client.goto(&server.url("/")).await.unwrap();
    let field = client.find(Locator::Css("input#book")).await.unwrap();
    field.send_keys(book.to_str().unwrap()).await.unwrap();
    client
        .find(Locator::Css("#submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} appears: {e}"))
}

fn wait_for_download(folder: &Path) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".zip")
            });
        if let Some(entry) = done {
            return entry.path();
        }
        assert!(
            Instant::now() < deadline,
            "the zip was downloaded within a minute"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_in_chromium_uploads_a_workbook_shows_its_figures_and_gives_the_same_csv_files() {
    let dir = scratch("serve-browser");
    let out = dir.join("reports");
    let workbook = repo().join("fixtures/wla.xlsx");
    let cli = run_into(&workbook, &out);
    let summary_line = stdout(&cli)
        .lines()
        .last()
        .unwrap()
        .split(". Reports in")
        .next()
        .unwrap()
        .to_string();
    let expected_csv = csv_files(&out);
    let expected_paid = paid_by_council(&expected_csv["allocations.csv"]);

    // A broken twin of the workbook: two amounts that are not amounts.
    let broken_book = copy_fixture(&dir);
    let budget = std::fs::read_to_string(broken_book.join("budget.csv")).unwrap();
    let rows: Vec<&str> = budget.lines().collect();
    for row in [rows[2], rows[5]] {
        let (head, _) = row.rsplit_once(',').unwrap();
        edit(&broken_book, "budget.csv", row, &format!("{head},12;34.5x"));
    }
    let broken = dir.join("broken.xlsx");
    let converted = accord(&[
        "convert",
        broken_book.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert!(converted.status.success(), "{}", stderr(&converted));
    let validated = accord(&["validate", broken.to_str().unwrap()]);
    assert_eq!(validated.status.code(), Some(1));
    let prefix = format!("{}: ", broken.display());
    let expected_places: Vec<String> = stderr(&validated)
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| {
            format!(
                "broken.xlsx: {}",
                l.strip_prefix(&prefix)
                    .unwrap()
                    .split(": error: ")
                    .next()
                    .unwrap()
            )
        })
        .collect();
    assert_eq!(expected_places.len(), 2, "{}", stderr(&validated));

    let server = Server::start("serve-browser", &[]);
    let driver = Driver::start();
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(&driver, &downloads, &dir.join("profile")).await;

        upload_through_page(&client, &server, &workbook).await;
        let summary = wait_for(&client, "#summary").await.text().await.unwrap();
        assert_eq!(
            summary, summary_line,
            "the page shows the run's one-line summary"
        );

        // The dashboard's first table: what each council pays, year by year.
        let table = client
            .find(Locator::Css("#dashboard > table"))
            .await
            .unwrap();
        let header: Vec<String> = {
            let mut cells = Vec::new();
            for th in table.find_all(Locator::Css("tr th")).await.unwrap() {
                cells.push(th.text().await.unwrap());
            }
            cells
        };
        assert_eq!(&header[..2], ["Council", "Name"]);
        let mut shown = BTreeMap::new();
        for row in table
            .find_all(Locator::Css("tr"))
            .await
            .unwrap()
            .iter()
            .skip(1)
        {
            let mut cells = Vec::new();
            for td in row.find_all(Locator::Css("td")).await.unwrap() {
                cells.push(td.text().await.unwrap());
            }
            for (year, amount) in header[2..].iter().zip(&cells[2..]) {
                let value = pence(amount);
                if value != 0 || expected_paid.contains_key(&(cells[0].clone(), year.clone())) {
                    shown.insert((cells[0].clone(), year.clone()), value);
                }
            }
        }
        assert_eq!(shown, expected_paid, "the page's figures are accord run's");

        // The year's documents are listed, each to open.
        let links = client
            .find_all(Locator::Css("#documents ~ ul a"))
            .await
            .unwrap();
        let mut hrefs = Vec::new();
        for link in &links {
            hrefs.push(link.attr("href").await.unwrap().unwrap_or_default());
        }
        for wanted in [
            "2012-13/summary.xlsx",
            "2012-13/invoices/",
            "2012-13/statements/HRW.pdf",
            "annual_report.pdf",
        ] {
            assert!(
                hrefs.iter().any(|h| h.contains(wanted)),
                "a link to {wanted}"
            );
        }

        // The whole reports folder, downloaded as the browser does.
        client
            .find(Locator::Css("#zip"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let zip = wait_for_download(&downloads);
        let files: BTreeMap<String, Vec<u8>> = unzip(&std::fs::read(zip).unwrap())
            .into_iter()
            .filter(|(name, _)| name.ends_with(".csv"))
            .map(|(name, bytes)| (name.trim_start_matches("reports/").to_string(), bytes))
            .collect();
        assert_eq!(
            files, expected_csv,
            "the zip's CSV files are accord run's, byte for byte"
        );

        // A broken book: every error at its cell, and nothing else.
        upload_through_page(&client, &server, &broken).await;
        wait_for(&client, "#problems").await;
        let mut places = Vec::new();
        for cell in client
            .find_all(Locator::Css("#problems tr.error td.place"))
            .await
            .unwrap()
        {
            places.push(cell.text().await.unwrap());
        }
        assert_eq!(
            places, expected_places,
            "the page names the cells accord validate names"
        );
        assert!(
            client.find(Locator::Css("#summary")).await.is_err(),
            "no summary for an invalid book"
        );
        assert!(
            client.find(Locator::Css("#dashboard")).await.is_err(),
            "no dashboard either"
        );
        client.close().await.unwrap();
    });
    assert_eq!(server.packs().len(), 1, "the broken book made no pack");
}

#[test]
fn serve_in_chromium_compares_a_workbook_with_a_what_if() {
    let dir = scratch("serve-browser-compare");
    let workbook = repo().join("fixtures/wla.xlsx");
    let out = dir.join("comparison");
    let cli = accord(&[
        "compare",
        workbook.to_str().unwrap(),
        "--what-if",
        "leave:HRW:2014-06-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(cli.status.success(), "{}", stderr(&cli));
    let line = stdout(&cli);
    let expected_summary = line
        .trim()
        .trim_start_matches("accord compare: ")
        .split(" Comparison in ")
        .next()
        .unwrap()
        .to_string();
    let server = Server::start("serve-browser-compare", &[]);
    let driver = Driver::start();
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(&driver, &downloads, &dir.join("profile")).await;
        client.goto(&server.url("/")).await.unwrap();
        client
            .find(Locator::Css("#nav-compare"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let field = wait_for(&client, "input#book_a").await;
        field.send_keys(workbook.to_str().unwrap()).await.unwrap();
        client
            .find(Locator::Css("textarea#what_if"))
            .await
            .unwrap()
            .send_keys("leave:HRW:2014-06-01")
            .await
            .unwrap();
        client
            .find(Locator::Css("#compare"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let summary = wait_for(&client, "#summary").await.text().await.unwrap();
        assert_eq!(summary, expected_summary, "the page shows compare's line");
        let comparison = client
            .find(Locator::Css("#comparison"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(comparison.contains("HRW"), "{comparison}");
        client.close().await.unwrap();
    });
    assert_eq!(server.packs().len(), 1);
}
