//! `accord serve`: the whole job from a web page (SPEC §8). An HTTP server (axum on tokio)
//! whose pages upload a book, show its errors, or its dashboard, documents and zip, and
//! compare two books or one with what-if changes; the work
//! itself is the library's, done exactly as `accord run` does it (`job`). Safety rules are in
//! `safety`, the packs on disk in `store`, the unpacking of uploads in `upload`.

pub mod job;
pub mod pages;
pub mod routes;
pub mod safety;
pub mod store;
pub mod upload;

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The address `accord serve` listens on when not told.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// How long a stopping server waits for uploads in flight to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// How often old packs are looked for.
const CLEAN_EVERY: Duration = Duration::from_secs(10 * 60);

/// What `accord serve` was asked for, checked.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data: PathBuf,
    pub token: Option<String>,
}

/// Why the server could not start (or the command line was wrong: `usage`).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl ServeConfig {
    /// Checks the command line: an address that is not loopback needs a token file.
    pub fn new(
        listen: &str,
        data: Option<&Path>,
        token_file: Option<&Path>,
    ) -> Result<ServeConfig, ServeError> {
        let listen = listen
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| {
                ServeError::Usage(format!(
                    "--listen {listen:?} is not an address; write it like 127.0.0.1:8080 (port 0 picks a free one)"
                ))
            })?;
        let token = match token_file {
            None => None,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ServeError::File {
                    path: path.display().to_string(),
                    message: format!("cannot be read ({e})"),
                })?;
                Some(
                    safety::token_from_file(&text).map_err(|message| ServeError::File {
                        path: path.display().to_string(),
                        message,
                    })?,
                )
            }
        };
        if !listen.ip().is_loopback() && token.is_none() {
            return Err(ServeError::Usage(format!(
                "--listen {listen} can be reached from other computers, so it needs --token-file FILE (a file holding a long random token that every request must carry); or listen on 127.0.0.1"
            )));
        }
        Ok(ServeConfig {
            listen,
            data: data.map(Path::to_path_buf).unwrap_or_else(default_data_dir),
            token,
        })
    }
}

/// The user's cache folder for accord serve: `$XDG_CACHE_HOME/accord/serve`, or
/// `~/.cache/accord/serve`.
pub fn default_data_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("accord").join("serve")
}

/// Runs the server until Ctrl-C (SIGINT) or SIGTERM. `ready` is told the address it listens
/// on once it does (port 0 becomes the port chosen). On the signal it stops taking
/// connections, lets uploads in flight finish (at most [`SHUTDOWN_GRACE`]), removes any
/// staging folder left, and returns.
pub fn serve(config: ServeConfig, ready: impl FnOnce(SocketAddr, &Path)) -> Result<(), ServeError> {
    let store = store::Store::open(&config.data).map_err(|e| ServeError::File {
        path: config.data.display().to_string(),
        message: format!("cannot be used as the data folder ({e})"),
    })?;
    store.clean(SystemTime::now(), store::MAX_PACK_AGE, store::MAX_PACKS);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| ServeError::Listen {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr()?;
        let app = Arc::new(routes::App {
            store: store.clone(),
            token: config.token.clone(),
            port: addr.port(),
            loopback: addr.ip().is_loopback(),
            jobs: tokio::sync::Semaphore::new(routes::PARALLEL_JOBS),
        });
        let cleaner_store = store.clone();
        let cleaner = tokio::spawn(async move {
            loop {
                tokio::time::sleep(CLEAN_EVERY).await;
                let s = cleaner_store.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    s.clean(SystemTime::now(), store::MAX_PACK_AGE, store::MAX_PACKS)
                })
                .await;
            }
        });
        ready(addr, store.root());
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(
            axum::serve(listener, routes::router(app))
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.await;
                })
                .into_future(),
        );
        stop_signal().await;
        let _ = stop_tx.send(());
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, server).await;
        cleaner.abort();
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    store.remove_staging()?;
    result
}

use std::future::IntoFuture;

/// Ctrl-C (SIGINT), or SIGTERM where there are signals.
async fn stop_signal() {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(2);
    let on_interrupt = tx.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = on_interrupt.send(()).await;
        }
    });
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::spawn(async move {
                term.recv().await;
                let _ = tx.send(()).await;
            });
        }
    }
    rx.recv().await;
}
