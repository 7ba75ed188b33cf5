//! What `accord serve` makes of uploads, over HTTP: the zip of a workbook's pack holds the
//! same CSV files as `accord run`, byte for byte; a zip of CSV files is a book too; two
//! uploads at once never mix; Ctrl-C stops the server cleanly, leaving only whole packs.

use super::server::*;
use crate::support::*;
use std::fs;
use std::io::Write;

fn fixture_csv_zip() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut files: Vec<_> = fs::read_dir(fixture())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = format!("wla/{}", path.file_name().unwrap().to_string_lossy());
        out.start_file(name, options).unwrap();
        out.write_all(&fs::read(&path).unwrap()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The CSV files of a pack's zip, by their path inside the reports folder.
fn zip_csv(addr: &str, pack: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let reply = get(addr, &format!("{pack}reports.zip"), &[]);
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    unzip(&reply.body)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".csv"))
        .map(|(name, bytes)| (name.trim_start_matches("reports/").to_string(), bytes))
        .collect()
}

#[test]
fn serve_a_zip_of_csv_files_gives_the_same_csv_files_as_accord_run() {
    let dir = scratch("serve-csv-zip");
    let out = dir.join("reports");
    run_into(&fixture(), &out);
    let expected = csv_files(&out);
    assert!(expected.len() >= 7, "{:?}", expected.keys());
    let server = Server::start("serve-csv-zip", &[]);
    let pack = upload_pack(&server.addr, "wla.zip", &fixture_csv_zip(), &[]);
    assert_eq!(zip_csv(&server.addr, &pack), expected);
    // Every file of the zip is served on its own too, and is the same.
    let reply = get(&server.addr, &format!("{pack}files/allocations.csv"), &[]);
    assert_eq!(reply.body, expected["allocations.csv"]);
    let page = get(&server.addr, &pack, &[]).text();
    let summary = stdout(&accord(&[
        "run",
        fixture().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let line = summary
        .lines()
        .last()
        .unwrap()
        .split(". Reports in")
        .next()
        .unwrap();
    assert!(
        page.contains(line),
        "the pack shows the run's summary line {line:?}"
    );
}

#[test]
fn serve_two_uploads_at_once_never_mix() {
    let dir = scratch("serve-two");
    // A second book whose figures differ: the Office's 2012/13 budget one pound higher.
    let book = copy_fixture(&dir);
    let text = fs::read_to_string(book.join("budget.csv")).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("OFFICE"))
        .unwrap()
        .to_string();
    let (head, amount) = line.rsplit_once(',').unwrap();
    let changed = format!("{head},{}", amount.parse::<f64>().unwrap() + 1.0);
    edit(&book, "budget.csv", &line, &changed);
    let out_a = dir.join("a");
    let out_b = dir.join("b");
    run_into(&fixture(), &out_a);
    run_into(&book, &out_b);
    let (expected_a, expected_b) = (csv_files(&out_a), csv_files(&out_b));
    assert_ne!(expected_a["allocations.csv"], expected_b["allocations.csv"]);
    let mut zip_b = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for entry in fs::read_dir(&book).unwrap() {
        let path = entry.unwrap().path();
        zip_b
            .start_file(
                path.file_name().unwrap().to_string_lossy(),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        zip_b.write_all(&fs::read(&path).unwrap()).unwrap();
    }
    let zip_b = zip_b.finish().unwrap().into_inner();
    let xlsx = fs::read(repo().join("fixtures/wla.xlsx")).unwrap();
    let server = Server::start("serve-two", &[]);
    let addr = server.addr.clone();
    let uploads: Vec<(&str, Vec<u8>)> = vec![
        ("wla.xlsx", xlsx.clone()),
        ("changed.zip", zip_b.clone()),
        ("wla.xlsx", xlsx),
        ("changed.zip", zip_b),
    ];
    let threads: Vec<_> = uploads
        .into_iter()
        .map(|(name, bytes)| {
            let addr = addr.clone();
            std::thread::spawn(move || (name, upload_pack(&addr, name, &bytes, &[])))
        })
        .collect();
    let packs: Vec<(&str, String)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let mut ids: Vec<&String> = packs.iter().map(|(_, p)| p).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "each upload has its own pack");
    for (name, pack) in &packs {
        let expected = if *name == "wla.xlsx" {
            &expected_a
        } else {
            &expected_b
        };
        assert_eq!(&zip_csv(&addr, pack), expected, "{name}: its own figures");
    }
}

#[test]
fn serve_stops_cleanly_on_ctrl_c_leaving_only_whole_packs() {
    let mut server = Server::start("serve-stop", &[]);
    let xlsx = fs::read(repo().join("fixtures/wla.xlsx")).unwrap();
    upload_pack(&server.addr, "wla.xlsx", &xlsx, &[]);
    // An upload in flight when Ctrl-C comes: it finishes, or leaves nothing.
    let addr = server.addr.clone();
    let in_flight = std::thread::spawn(move || upload(&addr, "wla.xlsx", &xlsx, &[]).status);
    std::thread::sleep(std::time::Duration::from_millis(150));
    let data = server.data.clone();
    let (status, printed) = server.interrupt();
    assert!(status.success(), "exit status {status:?}");
    assert!(printed.contains("accord serve: stopped"), "{printed:?}");
    // Taken before the signal, it is finished (303); not yet taken, it is refused (0).
    let answered = in_flight.join().unwrap();
    assert!(
        matches!(answered, 303 | 0),
        "the upload in flight: {answered}"
    );
    let leftovers: Vec<String> = fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "packs")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder is left: {leftovers:?}"
    );
    let packs: Vec<_> = fs::read_dir(data.join("packs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(packs.len(), if answered == 303 { 2 } else { 1 });
    for pack in packs {
        for part in ["page.html", "reports.zip", "reports/manifest.json"] {
            assert!(
                pack.join(part).is_file(),
                "{}: {part} is there",
                pack.display()
            );
        }
    }
}
