//! The server's addresses and what answers them:
//!
//! | address | what |
//! |---|---|
//! | `GET /` | the upload page |
//! | `POST /upload` | an upload (multipart field `book`): 303 to its pack, or 422 with its errors |
//! | `GET /compare` | the compare page: book A, and book B or what-if changes |
//! | `POST /compare` | a comparison (fields `book_a`, `book_b`, `what_if`): 303 to its pack, or 422 |
//! | `GET /template.xlsx` | the template workbook (`accord init book.xlsx`) |
//! | `GET /static/upload.js` | the upload page's drag-and-drop |
//! | `GET /packs/<id>/` | a pack's page: summary, warnings, dashboard, documents |
//! | `GET /packs/<id>/reports.zip` | the whole reports folder as one zip |
//! | `GET /packs/<id>/files/<path>` | one file of the reports folder (`?download=1` to save it) |
//!
//! A figure's explanation (`/packs/<id>/explain/...`) goes in [`router`] beside these once
//! the library has it (SPEC §6). Every request passes [`guard`] first.

use super::job::{self, Outcome, Upload, PAGE_NAME, REPORTS_DIR, ZIP_NAME};
use super::pages;
use super::safety::{self, TokenFound, FILE_CSP, MAX_UPLOAD_BYTES, PAGE_CSP, TOKEN_COOKIE};
use super::store::Store;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

/// What every handler shares.
pub struct App {
    pub store: Store,
    /// The token every request must carry, when the server was given one.
    pub token: Option<String>,
    /// The port it listens on, and whether on a loopback address (for the Host check).
    pub port: u16,
    pub loopback: bool,
    /// Books worked out at once (each may take up to 2 GiB, like one `accord run`).
    pub jobs: Semaphore,
}

/// Books worked out at the same time; further uploads wait their turn.
pub const PARALLEL_JOBS: usize = 2;

/// Room in a request beyond the file itself, for the multipart framing.
const MULTIPART_MARGIN_BYTES: u64 = 64 * 1024;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(upload_page))
        .route("/upload", post(upload))
        .route("/compare", get(compare_page).post(compare))
        .route("/template.xlsx", get(template))
        .route("/static/upload.js", get(upload_js))
        .route("/packs/{*rest}", get(pack))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            (MAX_UPLOAD_BYTES + MULTIPART_MARGIN_BYTES) as usize,
        ))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

fn page(status: StatusCode, html: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn refusal(status: StatusCode, title: &str, text: &str) -> Response {
    page(status, pages::status_page(title, text))
}

/// Every request: the Host a loopback server answers to, the token, and the page's own
/// origin for anything that is not a plain read; then the headers every response carries.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let mut response = match check(&app, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    let csp = if response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v == FILE_CSP)
    {
        FILE_CSP
    } else {
        PAGE_CSP
    };
    safety::protect(response.headers_mut(), csp);
    response
}

/// `Some(refusal)` when the request may not go on.
fn check(app: &App, request: &Request) -> Option<Response> {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !safety::host_allowed(host, app.port, app.loopback) {
        return Some(refusal(
            StatusCode::FORBIDDEN,
            "Not this server's address",
            "This server answers only at its own address (127.0.0.1 or localhost and its port). Open the address accord serve printed.",
        ));
    }
    if let Some(token) = &app.token {
        match safety::find_token(token, headers, request.uri().query()) {
            TokenFound::Carried => {}
            TokenFound::InQuery => {
                let query = safety::query_without_token(request.uri().query());
                let target = if query.is_empty() {
                    request.uri().path().to_string()
                } else {
                    format!("{}?{query}", request.uri().path())
                };
                let cookie = format!("{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
                let mut response = StatusCode::SEE_OTHER.into_response();
                let h = response.headers_mut();
                h.insert(header::LOCATION, HeaderValue::from_str(&target).ok()?);
                h.insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).ok()?);
                return Some(response);
            }
            TokenFound::Missing | TokenFound::Wrong => {
                let mut response = refusal(
                    StatusCode::UNAUTHORIZED,
                    "This server needs its token",
                    "Open the address accord serve printed, with ?token= and the token from its token file, once: the browser then keeps it. Programs send it as the header Authorization: Bearer TOKEN.",
                );
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"accord\""),
                );
                return Some(response);
            }
        }
    }
    if !safety::same_origin(request.method(), headers) {
        return Some(refusal(
            StatusCode::FORBIDDEN,
            "Not sent from this server's page",
            "Uploads are taken only from accord's own upload page. Open the upload page and send the book from there.",
        ));
    }
    None
}

async fn upload_page() -> Response {
    page(StatusCode::OK, pages::upload_page(None))
}

async fn upload_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        pages::UPLOAD_JS,
    )
        .into_response()
}

async fn template() -> Response {
    match crate::book::workbook_bytes(&crate::template::template_tables()) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, safety::content_type("template.xlsx")),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"accord-template.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The template could not be made",
            &e.to_string(),
        ),
    }
}

async fn not_found() -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "Nothing here",
        "There is no page at this address. Packs are kept for a day.",
    )
}

fn too_large() -> Response {
    refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The file is too large",
        &format!(
            "accord serve takes books of up to {} MB. A budget book is far smaller: save it with only its tables.",
            MAX_UPLOAD_BYTES / 1_000_000
        ),
    )
}

/// Removes a staging folder when an upload ends without a pack (dropped with the request,
/// so a connection that goes away mid-upload leaves nothing behind either).
struct Staging(Option<PathBuf>);

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// An upload's start, shared by `/upload` and `/compare`: the declared length checked, the
/// multipart body opened, and a fresh staging folder (removed again unless published).
async fn begin(
    app: &Arc<App>,
    request: Request,
) -> Result<(Multipart, String, PathBuf, Staging), Response> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD_BYTES + MULTIPART_MARGIN_BYTES) {
        return Err(too_large());
    }
    let multipart = match Multipart::from_request(request, app).await {
        Ok(m) => m,
        Err(e) => {
            return Err(refusal(
                e.status(),
                "Not an upload",
                "Send the book from the upload page's form.",
            ))
        }
    };
    let (id, staging) = app.store.stage().map_err(|e| server_error(&e))?;
    let guard = Staging(Some(staging.clone()));
    Ok((multipart, id, staging, guard))
}

/// An upload's end, shared by `/upload` and `/compare`: a complete pack is published and the
/// browser sent to it; an invalid book is its problems page (422), and nothing is kept.
fn finish(
    app: &App,
    id: &str,
    staging: &Path,
    mut guard: Staging,
    outcome: Result<std::io::Result<Outcome>, tokio::task::JoinError>,
) -> Response {
    match outcome {
        Ok(Ok(Outcome::Valid)) => {
            if let Err(e) = app.store.publish(id, staging) {
                return server_error(&e);
            }
            guard.0 = None;
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(
                header::LOCATION,
                HeaderValue::from_str(&format!("/packs/{id}/")).expect("an id is plain ASCII"),
            );
            response
        }
        Ok(Ok(Outcome::Invalid { page: html })) => page(StatusCode::UNPROCESSABLE_ENTITY, html),
        Ok(Err(e)) => server_error(&e),
        Err(e) => server_error(&std::io::Error::other(e.to_string())),
    }
}

async fn upload(State(app): State<Arc<App>>, request: Request) -> Response {
    let (mut multipart, id, staging, guard) = match begin(&app, request).await {
        Ok(begun) => begun,
        Err(response) => return response,
    };
    let form = match receive(&mut multipart, &staging, &[("book", "")]).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(received) = form.files.into_iter().next() else {
        return page(
            StatusCode::BAD_REQUEST,
            pages::upload_page(Some(
                "Choose a book first: a workbook (.xlsx, .xlsm, .xls, .ods) or a .zip of CSV files.",
            )),
        );
    };
    let Ok(_permit) = app.jobs.acquire().await else {
        return server_error(&std::io::Error::other("the server is stopping"));
    };
    let staging_for_job = staging.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        job::process(&Upload {
            staging: &staging_for_job,
            saved: &received.saved,
            extension: &received.extension,
            display_name: &received.display_name,
        })
    })
    .await;
    finish(&app, &id, &staging, guard, outcome)
}

async fn compare_page() -> Response {
    page(StatusCode::OK, pages::compare_page(None))
}

async fn compare(State(app): State<Arc<App>>, request: Request) -> Response {
    let (mut multipart, id, staging, guard) = match begin(&app, request).await {
        Ok(begun) => begun,
        Err(response) => return response,
    };
    let form = match receive(
        &mut multipart,
        &staging,
        &[("book_a", "a"), ("book_b", "b")],
    )
    .await
    {
        Ok(form) => form,
        Err(response) => return response,
    };
    let what_if = form.text("what_if");
    let mut files = form.files.into_iter();
    let (Some(a), b) = (files.next(), files.next()) else {
        return page(
            StatusCode::BAD_REQUEST,
            pages::compare_page(Some("Choose book A first, then book B or what-if changes.")),
        );
    };
    if a.field != "book_a" {
        return page(
            StatusCode::BAD_REQUEST,
            pages::compare_page(Some("Choose book A first; book B is compared with it.")),
        );
    }
    let Ok(_permit) = app.jobs.acquire().await else {
        return server_error(&std::io::Error::other("the server is stopping"));
    };
    let staging_for_job = staging.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let upload_a = Upload {
            staging: a.saved.parent().unwrap_or(&staging_for_job),
            saved: &a.saved,
            extension: &a.extension,
            display_name: &a.display_name,
        };
        let upload_b = b.as_ref().map(|b| Upload {
            staging: b.saved.parent().unwrap_or(&staging_for_job),
            saved: &b.saved,
            extension: &b.extension,
            display_name: &b.display_name,
        });
        job::process_compare(&staging_for_job, &upload_a, upload_b.as_ref(), &what_if)
    })
    .await;
    finish(&app, &id, &staging, guard, outcome)
}

/// One uploaded file, saved.
struct Received {
    /// The form field it came in.
    field: String,
    extension: String,
    display_name: String,
    saved: PathBuf,
}

/// What a form held: its files (in the order sent), and its short text fields.
struct Form {
    files: Vec<Received>,
    texts: Vec<(String, String)>,
}

impl Form {
    fn text(&self, name: &str) -> String {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }
}

/// Most bytes of a form's text fields, all together.
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Saves each file field named in `fields` into its own folder of the staging folder (the
/// second of the pair, empty for the staging folder itself) as `book.<ext>`, counting the bytes
/// of all of them against the upload limit; keeps other fields as short text. A file field
/// left empty is skipped.
async fn receive(
    multipart: &mut Multipart,
    staging: &Path,
    fields: &[(&str, &str)],
) -> Result<Form, Response> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            refusal(
                e.status(),
                "The upload was cut short",
                "The book did not arrive whole; send it again.",
            )
        }
    };
    let mut form = Form {
        files: Vec::new(),
        texts: Vec::new(),
    };
    let mut total: u64 = 0;
    let mut text_bytes = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        let Some((_, folder)) = fields.iter().find(|(f, _)| *f == name) else {
            if field.file_name().is_some() {
                continue;
            }
            let text = field.text().await.map_err(bad)?;
            text_bytes += text.len();
            if text_bytes > MAX_TEXT_BYTES {
                return Err(too_large());
            }
            form.texts.push((name, text));
            continue;
        };
        if form.files.iter().any(|r| r.field == name) {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_string();
        if file_name.is_empty() {
            continue;
        }
        let Some(extension) = super::upload::accepted_extension(&file_name) else {
            return Err(page(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                pages::upload_page(Some(&format!(
                    "{} is not a book accord reads: give a workbook (.xlsx, .xlsm, .xls, .ods) or a .zip of the book's CSV files.",
                    super::upload::display_name(&file_name, "The file")
                ))),
            ));
        };
        let display_name = super::upload::display_name(&file_name, &format!("book.{extension}"));
        let dir = staging.join(folder);
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| server_error(&e))?;
        let saved = dir.join(format!("book.{extension}"));
        let mut out = tokio::fs::File::create(&saved)
            .await
            .map_err(|e| server_error(&e))?;
        let mut size: u64 = 0;
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            size += chunk.len() as u64;
            total += chunk.len() as u64;
            if total > MAX_UPLOAD_BYTES {
                return Err(too_large());
            }
            out.write_all(&chunk).await.map_err(|e| server_error(&e))?;
        }
        out.flush().await.map_err(|e| server_error(&e))?;
        if size == 0 {
            continue;
        }
        form.files.push(Received {
            field: name,
            extension,
            display_name,
            saved,
        });
    }
    Ok(form)
}

fn server_error(e: &std::io::Error) -> Response {
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on this computer",
        &format!("accord could not finish: {e}. Nothing was kept; try again."),
    )
}

/// Everything under `/packs/`: the raw (still encoded) path is read here, never a decoded one.
async fn pack(State(app): State<Arc<App>>, request: Request) -> Response {
    let raw = request
        .uri()
        .path()
        .trim_start_matches("/packs/")
        .to_string();
    let download = request
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "download=1"));
    let (id, rest) = raw.split_once('/').unwrap_or((raw.as_str(), ""));
    let Some(dir) = app.store.pack_dir(id) else {
        return not_found().await;
    };
    if !dir.is_dir() {
        return not_found().await;
    }
    if raw == id {
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&format!("/packs/{id}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    if rest.is_empty() {
        return match tokio::fs::read_to_string(dir.join(PAGE_NAME)).await {
            Ok(html) => page(StatusCode::OK, html),
            Err(_) => not_found().await,
        };
    }
    if rest == ZIP_NAME {
        return match tokio::fs::read(dir.join(ZIP_NAME)).await {
            Ok(bytes) => file_response(bytes, "accord-reports.zip", true),
            Err(_) => not_found().await,
        };
    }
    let Some(file_path) = rest.strip_prefix("files/") else {
        return not_found().await;
    };
    let segments = match safety::file_segments(file_path) {
        Ok(segments) => segments,
        Err(_) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "Not a file of the pack",
                "Only the files accord wrote in this pack are served, by their own names.",
            )
        }
    };
    let reports = dir.join(REPORTS_DIR);
    let found = tokio::task::spawn_blocking(move || open_inside(&reports, &segments)).await;
    match found {
        Ok(Some((bytes, name))) => file_response(bytes, &name, download),
        _ => not_found().await,
    }
}

/// Reads `segments` under `root`, refusing a symbolic link at any step and anything that
/// does not resolve inside `root`.
fn open_inside(root: &Path, segments: &[String]) -> Option<(Vec<u8>, String)> {
    let mut path = root.to_path_buf();
    for (index, segment) in segments.iter().enumerate() {
        path.push(segment);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        let last = index + 1 == segments.len();
        if meta.file_type().is_symlink() || (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return None;
        }
    }
    let real = std::fs::canonicalize(&path).ok()?;
    if !real.starts_with(std::fs::canonicalize(root).ok()?) {
        return None;
    }
    let bytes = std::fs::read(&real).ok()?;
    Some((bytes, segments.last()?.clone()))
}

fn file_response(bytes: Vec<u8>, name: &str, download: bool) -> Response {
    let mut response =
        ([(header::CONTENT_TYPE, safety::content_type(name))], bytes).into_response();
    let headers = response.headers_mut();
    if download {
        let value = format!("attachment; filename=\"{}\"", name.replace('"', ""));
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FILE_CSP),
    );
    response
}
