//! The floor for reading a ledger: the `csv` crate's byte-record reader alone over a CSV file,
//! split at line ends into as many parts as threads (default 2, as accord's ledger reader uses
//! on two cores), each part streamed from the file and every record read, nothing else done.
//! `cargo run --release --example csv_floor -- GL.csv [THREADS]`; bench/ledger.sh times it.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::process::ExitCode;
use std::time::Instant;

/// The byte after the first line feed at or after `from` (the end of the file if none).
fn next_line_start(path: &str, from: u64, size: u64) -> std::io::Result<u64> {
    if from == 0 || from >= size {
        return Ok(from.min(size));
    }
    let mut file = BufReader::new(File::open(path)?);
    file.seek(SeekFrom::Start(from))?;
    let mut skipped = Vec::new();
    let read = file.read_until(b'\n', &mut skipped)?;
    Ok(from + read as u64)
}

/// Reads every record of bytes `start..end` of the file: (records, bytes of values).
fn read_part(path: &str, start: u64, end: u64) -> std::io::Result<(u64, u64)> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.take(end - start));
    let mut record = csv::ByteRecord::new();
    let (mut records, mut bytes) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        records += 1;
        bytes += record.as_slice().len() as u64;
    }
    Ok((records, bytes))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: csv_floor FILE.csv [THREADS]");
        return ExitCode::from(2);
    };
    let threads: u64 = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(2).max(1);
    let started = Instant::now();
    let run = || -> std::io::Result<(u64, u64)> {
        let size = std::fs::metadata(path)?.len();
        let mut starts = Vec::new();
        for part in 0..=threads {
            starts.push(next_line_start(path, size * part / threads, size)?);
        }
        std::thread::scope(|scope| {
            let parts: Vec<_> = starts
                .windows(2)
                .map(|w| {
                    let (start, end) = (w[0], w[1]);
                    scope.spawn(move || read_part(path, start, end))
                })
                .collect();
            let mut total = (0, 0);
            for part in parts {
                let (records, bytes) = part.join().expect("a part is read")?;
                total = (total.0 + records, total.1 + bytes);
            }
            Ok(total)
        })
    };
    match run() {
        Ok((records, bytes)) => {
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "{records} records ({bytes} bytes of values) on {threads} threads in {seconds:.3} s"
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("csv_floor: {path}: {error}");
            ExitCode::FAILURE
        }
    }
}
