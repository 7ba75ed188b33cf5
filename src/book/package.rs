//! A look inside a workbook package (xlsx, xlsm, ods: zip files of XML parts) before calamine
//! reads it. calamine trusts what a file declares: it sizes allocations from a sharedStrings
//! `uniqueCount` or a sheet's `dimension`, and has no limit on how far parts inflate. So every
//! part is inflated here first, counting the bytes as they come rather than trusting declared
//! sizes, and a package that would take more than accord's limits is refused with the limit
//! it hit.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::xml_scan::{
    cell_name, cell_position, sheet_parts, Part, XmlScan, LAST_COLUMN, LAST_ROW, MAX_SHEET_CELLS,
    MAX_XML_DEPTH,
};
use crate::money::group_thousands;

/// Most parts a package may hold.
pub const MAX_PARTS: usize = 10_000;
/// Most bytes all parts may inflate to, together (a workbook of a million budget rows takes
/// about 260 MiB).
pub const MAX_INFLATED_BYTES: u64 = 512 << 20;
/// Most bytes of shared-string text the cells of a workbook may repeat between them: a cell
/// of type `s` names a string of the sharedStrings part, and calamine gives each cell a copy.
pub const MAX_SHARED_TEXT_BYTES: u64 = 512 << 20;
/// Most a part larger than [`RATIO_CHECK_BYTES`] may inflate per compressed byte.
pub const MAX_RATIO: u64 = 200;
pub const RATIO_CHECK_BYTES: u64 = 16 << 20;
/// Most cells a sheet's declared dimension or shared-string count may claim beyond what its
/// inflated bytes could hold (each cell or string takes at least this many bytes of XML).
const MIN_XML_BYTES_PER_ITEM: u64 = 4;

/// Checks a zip-based workbook package; `Err` holds the sentence to show the user.
pub fn check_package(path: &Path) -> Result<(), String> {
    check_package_within(path, MAX_INFLATED_BYTES)
}

/// [`check_package`] with another limit on the bytes all parts may inflate to (tests use a
/// small one).
fn check_package_within(path: &Path, max_inflated: u64) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        format!(
            "cannot be read as a workbook ({e}); open it in a spreadsheet program and save it again"
        )
    })?;
    if archive.len() > MAX_PARTS {
        return Err(format!(
            "holds {} parts, more than accord reads in a workbook ({MAX_PARTS}); save the book again with only its tables",
            archive.len()
        ));
    }
    let mut inflated_total: u64 = 0;
    // The shared strings first, so each worksheet can count the text its cells repeat.
    let mut order: Vec<usize> = (0..archive.len()).collect();
    order.sort_by_key(|&index| {
        archive
            .name_for_index(index)
            .and_then(|name| name.ok())
            .is_none_or(|name| part_kind(&name) != Part::SharedStrings)
    });
    let sheets = sheet_parts(
        &small_part(&mut archive, "xl/workbook.xml"),
        &small_part(&mut archive, "xl/_rels/workbook.xml.rels"),
    );
    let mut shared_lengths: Vec<u32> = Vec::new();
    let mut shared_text_bytes: u64 = 0;
    for index in order {
        let mut part = archive.by_index(index).map_err(|e| {
            format!("cannot be read as a workbook: a part is damaged ({e}); open it in a spreadsheet program and save it again")
        })?;
        let name = part
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{index}"));
        let compressed = part.compressed_size().max(1);
        let budget = max_inflated - inflated_total;
        let mut head = Vec::new();
        let mut scan = XmlScan::new(part_kind(&name), &shared_lengths);
        let inflated = inflate_counting(&mut part, budget + 1, &mut head, &mut scan)
            .map_err(|e| format!("cannot be read as a workbook: part {name} is damaged ({e}); open it in a spreadsheet program and save it again"))?;
        if inflated > budget {
            return Err(format!(
                "inflates to more than {} MiB, the most accord reads from one workbook (part {name}); split the book or save it as CSV files",
                max_inflated >> 20
            ));
        }
        inflated_total += inflated;
        if inflated > RATIO_CHECK_BYTES && inflated / compressed > MAX_RATIO {
            return Err(format!(
                "part {name} inflates {}:1, more than accord accepts ({MAX_RATIO}:1); this is not how a spreadsheet program saves a book",
                inflated / compressed
            ));
        }
        check_declared_counts(&name, &head, inflated)?;
        let label = match sheets.iter().find(|(part, _)| *part == name) {
            Some((_, sheet)) => format!("sheet {sheet} (part {name})"),
            None if !scan.ods_largest_table.is_empty() => {
                format!("sheet {} (in part {name})", scan.ods_largest_table)
            }
            None => format!("part {name}"),
        };
        check_scan(&label, &scan)?;
        shared_text_bytes += scan.shared_text_bytes;
        if part_kind(&name) == Part::SharedStrings {
            shared_lengths = std::mem::take(&mut scan.shared_lengths);
        }
        if shared_text_bytes > MAX_SHARED_TEXT_BYTES {
            return Err(format!(
                "its cells repeat shared text that would take more than {} MiB to hold, more than accord reads from one workbook (passed in {label}); a budget book repeats far less, so the file is damaged or hostile",
                MAX_SHARED_TEXT_BYTES >> 20
            ));
        }
    }
    Ok(())
}

/// The first 4 MiB of a small part that names others (`xl/workbook.xml`), or nothing when the
/// package has no such part or it cannot be read.
fn small_part(archive: &mut zip::ZipArchive<BufReader<File>>, name: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Ok(part) = archive.by_name(name) {
        let _ = part.take(4 << 20).read_to_end(&mut bytes);
    }
    bytes
}

/// Which of a package's parts hold cells calamine lays out as rectangles.
fn part_kind(name: &str) -> Part {
    if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
        Part::Worksheet
    } else if name.eq_ignore_ascii_case("xl/sharedStrings.xml") {
        Part::SharedStrings
    } else if name == "content.xml" {
        Part::OdsContent
    } else {
        Part::Other
    }
}

/// Refuses a part nested deeper than a spreadsheet program writes, or a worksheet whose cells
/// lie beyond a spreadsheet's edges or span a rectangle larger than accord reads.
fn check_scan(label: &str, scan: &XmlScan) -> Result<(), String> {
    if scan.deepest > MAX_XML_DEPTH {
        return Err(format!(
            "{label} nests its XML {} deep, deeper than accord reads ({MAX_XML_DEPTH}); this is not how a spreadsheet program saves a book",
            group_thousands(&scan.deepest.to_string())
        ));
    }
    if let Some((column, row)) = scan.beyond {
        return Err(format!(
            "{label} has a cell at {}, beyond the last row or column a spreadsheet has ({}); the file is damaged or hostile",
            cell_name(column, row),
            cell_name(LAST_COLUMN, LAST_ROW)
        ));
    }
    if scan.span_cells() > MAX_SHEET_CELLS {
        let extent = match scan.span {
            Some((first_row, last_row, first_column, last_column)) => format!(
                "has cells from {} to {}, a rectangle of",
                cell_name(first_column, first_row),
                cell_name(last_column, last_row)
            ),
            None => "expands, with its repeated rows and cells, to".to_owned(),
        };
        return Err(format!(
            "{label} {extent} {} cells, more than accord reads in one sheet ({}); delete what lies far from the table, or split it",
            group_thousands(&scan.span_cells().to_string()),
            group_thousands(&MAX_SHEET_CELLS.to_string())
        ));
    }
    Ok(())
}

/// Reads a part to its end (or `limit` bytes), keeping its first 64 KiB in `head` and passing
/// every byte through `scan`.
fn inflate_counting(
    part: &mut impl Read,
    limit: u64,
    head: &mut Vec<u8>,
    scan: &mut XmlScan,
) -> io::Result<u64> {
    let mut buffer = [0u8; 64 * 1024];
    let mut total = 0u64;
    let mut limited = part.take(limit);
    loop {
        let n = limited.read(&mut buffer)?;
        if n == 0 {
            return Ok(total);
        }
        if head.len() < buffer.len() {
            let room = buffer.len() - head.len();
            head.extend_from_slice(&buffer[..n.min(room)]);
        }
        scan.feed(&buffer[..n]);
        total += n as u64;
    }
}

/// Refuses a sheet whose `dimension` or a shared-strings table whose `uniqueCount`/`count`
/// claims more items than its bytes could hold.
fn check_declared_counts(name: &str, head: &[u8], inflated: u64) -> Result<(), String> {
    let text = String::from_utf8_lossy(head);
    let most = inflated / MIN_XML_BYTES_PER_ITEM + 1_000;
    if name.ends_with("sharedStrings.xml") {
        for attribute in ["uniqueCount", "count"] {
            if let Some(count) = attribute_number(&text, attribute) {
                if count > most {
                    return Err(format!(
                        "declares {count} shared strings in {name}, more than its {inflated} bytes can hold; the file is damaged or hostile"
                    ));
                }
            }
        }
    }
    if name.contains("worksheets/") {
        if let Some(reference) = attribute_text(&text, "<dimension", "ref") {
            if let Some(cells) = dimension_cells(&reference) {
                if cells > most && cells > 1_000_000 {
                    return Err(format!(
                        "declares a sheet of {cells} cells ({reference}) in {name}, more than its {inflated} bytes can hold; the file is damaged or hostile"
                    ));
                }
            }
        }
    }
    Ok(())
}

fn attribute_number(text: &str, attribute: &str) -> Option<u64> {
    let at = text.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn attribute_text(text: &str, element: &str, attribute: &str) -> Option<String> {
    let start = text.find(element)?;
    let rest = &text[start..];
    let at = rest.find(&format!("{attribute}=\""))? + attribute.len() + 2;
    let value: String = rest[at..].chars().take_while(|c| *c != '"').collect();
    Some(value)
}

/// Cells in an A1-style range such as `A1:XFD1048576`.
fn dimension_cells(reference: &str) -> Option<u64> {
    let (from, to) = reference.split_once(':').unwrap_or((reference, reference));
    let (c1, r1) = cell_position(from.as_bytes())?;
    let (c2, r2) = cell_position(to.as_bytes())?;
    Some((c2.abs_diff(c1) + 1) * (r2.abs_diff(r1) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A package of `parts` in a throw-away folder (removed when the folder is dropped).
    fn package(parts: &[(&str, &[u8])]) -> (crate::test_dir::TestDir, std::path::PathBuf) {
        let dir = crate::test_dir::TestDir::new("package");
        let path = dir.path().join("book.xlsx");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
        (dir, path)
    }

    #[test]
    fn dimensions_count_cells() {
        let cases = [
            ("A1", Some(1)),
            ("A1:B2", Some(4)),
            ("A1:XFD1048576", Some(16_384 * 1_048_576)),
            ("??", None),
        ];
        for (reference, expected) in cases {
            assert_eq!(dimension_cells(reference), expected, "{reference}");
        }
    }

    #[test]
    fn refuses_declared_counts_the_bytes_cannot_hold() {
        let (_dir, path) = package(&[(
            "xl/sharedStrings.xml",
            br#"<?xml version="1.0"?><sst xmlns="x" count="4294967295" uniqueCount="4294967295"><si><t>a</t></si></sst>"#,
        )]);
        let err = check_package(&path).unwrap_err();
        assert!(err.contains("declares 4294967295 shared strings"), "{err}");
        let (_dir, path) = package(&[(
            "xl/worksheets/sheet1.xml",
            br#"<?xml version="1.0"?><worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>"#,
        )]);
        let err = check_package(&path).unwrap_err();
        assert!(
            err.contains("declares a sheet of 17179869184 cells"),
            "{err}"
        );
    }

    #[test]
    fn refuses_a_part_that_inflates_like_a_bomb() {
        let zeros = vec![b'0'; 40 << 20];
        let (_dir, path) = package(&[("xl/worksheets/sheet1.xml", &zeros)]);
        let err = check_package(&path).unwrap_err();
        assert!(err.contains("more than accord accepts (200:1)"), "{err}");
    }

    #[test]
    fn stops_inflating_at_the_limit_whatever_the_parts_declare() {
        // Text that does not compress like a bomb, in two parts that pass the limit together.
        let mut state = 1u64;
        let text: Vec<u8> = (0..3 << 20)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                b'a' + ((state >> 33) % 26) as u8
            })
            .collect();
        let (_dir, path) = package(&[
            ("xl/worksheets/sheet1.xml", &text),
            ("xl/worksheets/sheet2.xml", &text),
        ]);
        assert_eq!(check_package_within(&path, 8 << 20), Ok(()));
        let err = check_package_within(&path, 4 << 20).unwrap_err();
        assert!(
            err.starts_with("inflates to more than 4 MiB, the most accord reads from one workbook (part xl/worksheets/sheet2.xml)"),
            "{err}"
        );
    }

    #[test]
    fn accepts_the_fixture_workbook() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wla.xlsx");
        assert_eq!(check_package(&fixture), Ok(()));
    }
}
