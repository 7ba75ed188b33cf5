//! A running `accord serve` for a test (on 127.0.0.1, port 0, a fresh data folder), and a
//! plain HTTP/1.1 client over a TCP socket, so that a test sends exactly the bytes it means
//! (a browser or an HTTP library would tidy `..` and `%2e` away before they left).

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    pub data: PathBuf,
    /// What the server printed after its first line, read when it stops.
    stdout: Option<BufReader<std::process::ChildStdout>>,
    /// The scratch folder that holds `data`, removed when the test ends.
    _folder: Scratch,
}

impl Server {
    /// Starts `accord serve --listen 127.0.0.1:0 --data <scratch> EXTRA...` and waits for
    /// the line that gives its address.
    pub fn start(name: &str, extra: &[&str]) -> Server {
        let folder = scratch(name);
        let data = folder.join("data");
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&data)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("accord serve starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("accord serve printed its address: {line:?}"))
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        Server {
            child,
            addr,
            data,
            stdout: Some(stdout),
            _folder: folder,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Sends SIGINT (Ctrl-C) and waits (at most a minute) for the server to end; returns its
    /// exit status and what it printed after the address.
    pub fn interrupt(&mut self) -> (ExitStatus, String) {
        // SAFETY: signalling our own child process, by its id.
        unsafe {
            libc::kill(self.pid(), libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut rest = String::new();
                if let Some(mut out) = self.stdout.take() {
                    out.read_to_string(&mut rest).unwrap();
                }
                return (status, rest);
            }
            assert!(
                Instant::now() < deadline,
                "accord serve did not stop within a minute of Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pack folders the server made.
    pub fn packs(&self) -> Vec<PathBuf> {
        let mut packs: Vec<PathBuf> = std::fs::read_dir(self.data.join("packs"))
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        packs.sort();
        packs
    }

    /// Fails the test unless the server still answers its upload page.
    pub fn still_answers(&self) {
        let reply = get(&self.addr, "/", &[]);
        assert_eq!(
            reply.status, 200,
            "the server still answers after the attack"
        );
        assert!(reply.text().contains("Upload the budget book"));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// No response at all (the connection was refused or closed): status 0.
    fn none() -> Reply {
        Reply {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `head` (the request line and headers, without the blank line; `Host` and
/// `Connection: close` are added) and `body`, and reads the whole response.
pub fn send(addr: &str, head: &str, body: &[u8]) -> Reply {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return Reply::none();
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let host = if head
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("host:"))
    {
        String::new()
    } else {
        format!("Host: {addr}\r\n")
    };
    let request = format!("{head}\r\n{host}Connection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return Reply::none();
    }
    // The server may answer (413, 403) before reading the body, and close: write it from
    // another thread and read the answer here meanwhile.
    let mut writer = stream.try_clone().unwrap();
    let body = body.to_vec();
    let sender = std::thread::spawn(move || {
        for chunk in body.chunks(1 << 16) {
            if writer.write_all(chunk).is_err() {
                break;
            }
        }
    });
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let _ = sender.join();
    parse(&raw)
}

pub fn get(addr: &str, path: &str, headers: &[&str]) -> Reply {
    let mut head = format!("GET {path} HTTP/1.1");
    for h in headers {
        head.push_str("\r\n");
        head.push_str(h);
    }
    send(addr, &head, b"")
}

/// The response; status 0 when the connection gave none.
fn parse(raw: &[u8]) -> Reply {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Reply::none();
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

pub const BOUNDARY: &str = "accordTestBoundary7d3f";

/// A multipart form body holding one file field `book`.
pub fn multipart(file_name: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"book\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a file to `/upload` as the upload page would (its own Origin), with `extra` headers.
pub fn upload(addr: &str, file_name: &str, content: &[u8], extra: &[&str]) -> Reply {
    let body = multipart(file_name, content);
    let mut head = format!(
        "POST /upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}",
        body.len()
    );
    if !extra
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("origin:"))
    {
        head.push_str(&format!("\r\nOrigin: http://{addr}"));
    }
    for h in extra {
        head.push_str("\r\n");
        head.push_str(h);
    }
    send(addr, &head, &body)
}

/// Uploads and expects a pack: returns its address, `/packs/<id>/`.
pub fn upload_pack(addr: &str, file_name: &str, content: &[u8], extra: &[&str]) -> String {
    let reply = upload(addr, file_name, content, extra);
    assert_eq!(
        reply.status,
        303,
        "a valid book gives a pack: {}",
        reply.text()
    );
    reply
        .header("location")
        .expect("the pack's address")
        .to_string()
}

/// The files of a zip: path → bytes.
pub fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        files.insert(name, content);
    }
    files
}

/// The CSV files of a reports folder: relative path → bytes.
pub fn csv_files(folder: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "csv") {
                let relative = path.strip_prefix(folder).unwrap().display().to_string();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}
