//! Large files the page hands over in pieces. A regiment's snapshot carries every evidence file
//! and can run to hundreds of megabytes: sent as one IPC message it sat whole in the page and
//! again in the app. The page now sends pieces of a few megabytes, appended here to a file under
//! the data folder's `uploads/`; the command that uses the file reads it as a stream and deletes
//! it. Whatever a crash leaves behind is cleared when the app starts.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::{InvokeBody, Request};

/// The largest piece the page may send at once.
pub const PIECE_MAX: usize = 16 * 1024 * 1024;
/// The largest file: a unit's snapshot with all its evidence.
pub const FILE_MAX: u64 = 4 * 1024 * 1024 * 1024;

static NEXT: AtomicU64 = AtomicU64::new(1);

fn io(e: std::io::Error) -> AppError {
    AppError::new(ErrorCode::Io, format!("临时文件读写失败：{e}"))
}

fn folder(root: &Path) -> PathBuf {
    root.join("uploads")
}

/// Upload ids are numbers this process gave out, so a page cannot name any other path.
fn number(id: &str) -> Result<u64, AppError> {
    id.parse()
        .map_err(|_| AppError::invalid("上传编号无效，请重新选择文件"))
}

/// The file of upload number `n`.
fn file_of(root: &Path, n: u64) -> PathBuf {
    folder(root).join(format!("{n}.part"))
}

/// The file of upload `id`.
fn path_of(root: &Path, id: &str) -> Result<PathBuf, AppError> {
    Ok(file_of(root, number(id)?))
}

/// Empties `uploads/` (what an earlier run left). Called once at start.
pub fn clear(root: &Path) {
    let dir = folder(root);
    if dir.exists() {
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!("cannot clear {}: {e}", dir.display());
        }
    }
}

/// Starts an upload of `size` bytes; returns its id.
#[tauri::command]
pub async fn upload_begin(state: AppStateRef<'_>, size: u64) -> Result<String, AppError> {
    if size > FILE_MAX {
        return Err(AppError::invalid("文件过大（超过4GB）"));
    }
    let dir = folder(state.home.root());
    std::fs::create_dir_all(&dir).map_err(io)?;
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    File::create(file_of(state.home.root(), n)).map_err(io)?;
    Ok(n.to_string())
}

/// Appends one piece: raw bytes, with the upload's id in `x-upload` and the piece's place in
/// the file in `x-offset`, which must be where the file ends (pieces come in order, once).
/// Returns the file's length after the piece.
#[tauri::command]
pub async fn upload_piece(state: AppStateRef<'_>, request: Request<'_>) -> Result<u64, AppError> {
    let bytes = match request.body() {
        InvokeBody::Raw(b) if b.len() <= PIECE_MAX => b,
        InvokeBody::Raw(_) => return Err(AppError::invalid("分段过大")),
        InvokeBody::Json(_) => return Err(AppError::invalid("应上传文件内容")),
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let path = path_of(state.home.root(), &header("x-upload"))?;
    let offset: u64 = header("x-offset")
        .parse()
        .map_err(|_| AppError::invalid("分段位置无效"))?;
    // The write goes to the blocking pool, off the async workers that answer other commands.
    let bytes = bytes.to_vec();
    tauri::async_runtime::spawn_blocking(move || append(&path, offset, &bytes))
        .await
        .map_err(AppError::internal)?
}

/// Appends `bytes` to the upload file if it ends at `offset`; the file's new length.
fn append(path: &Path, offset: u64, bytes: &[u8]) -> Result<u64, AppError> {
    let mut file = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|_| AppError::invalid("上传已失效，请重新选择文件"))?;
    let len = file.metadata().map_err(io)?.len();
    if len != offset {
        return Err(AppError::invalid("文件分段顺序有误，请重新导入"));
    }
    let end = len + bytes.len() as u64;
    if end > FILE_MAX {
        return Err(AppError::invalid("文件过大（超过4GB）"));
    }
    file.write_all(bytes).map_err(io)?;
    Ok(end)
}

/// How far each upload being read has got, for `upload_progress`.
static READING: Mutex<BTreeMap<u64, Arc<Reading>>> = Mutex::new(BTreeMap::new());

struct Reading {
    read: AtomicU64,
    total: u64,
}

fn registry() -> std::sync::MutexGuard<'static, BTreeMap<u64, Arc<Reading>>> {
    // A poisoned map only means a reader panicked; its entries are still counters.
    READING.lock().unwrap_or_else(|e| e.into_inner())
}

/// An uploaded file, open for reading; the file is deleted when this is dropped.
pub struct Uploaded {
    file: File,
    path: PathBuf,
    n: u64,
    reading: Arc<Reading>,
}

impl Uploaded {
    /// A buffered reader of the file that counts what has been read.
    pub fn reader(&self) -> impl Read + '_ {
        BufReader::with_capacity(
            256 * 1024,
            Counting {
                inner: &self.file,
                reading: &self.reading,
            },
        )
    }
}

impl Drop for Uploaded {
    fn drop(&mut self) {
        registry().remove(&self.n);
        let _ = std::fs::remove_file(&self.path);
    }
}

struct Counting<'a> {
    inner: &'a File,
    reading: &'a Reading,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.reading.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Takes upload `id` for reading; it is gone afterwards, whatever the reading gives.
pub fn take(root: &Path, id: &str) -> Result<Uploaded, AppError> {
    let n = number(id)?;
    let path = file_of(root, n);
    let file = File::open(&path).map_err(|_| AppError::invalid("上传已失效，请重新选择文件"))?;
    let total = file.metadata().map_err(io)?.len();
    let reading = Arc::new(Reading {
        read: AtomicU64::new(0),
        total,
    });
    registry().insert(n, reading.clone());
    Ok(Uploaded {
        file,
        path,
        n,
        reading,
    })
}

/// How much of an upload the command using it has read.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct UploadProgress {
    pub read: u64,
    pub total: u64,
}

/// How far the command reading upload `upload` has got; `None` before it starts and after
/// it ends. The page asks a few times a second while an import runs.
#[tauri::command]
pub fn upload_progress(upload: String) -> Result<Option<UploadProgress>, AppError> {
    let n = number(&upload)?;
    Ok(registry().get(&n).map(|r| UploadProgress {
        read: r.read.load(Ordering::Relaxed),
        total: r.total,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbers_name_an_upload() {
        let root = Path::new("/data");
        assert_eq!(
            path_of(root, "17").unwrap(),
            Path::new("/data/uploads/17.part")
        );
        for bad in ["", "../x", "1/2", "-1", "17.part", " 1"] {
            assert_eq!(
                path_of(root, bad).unwrap_err().code,
                ErrorCode::InvalidInput,
                "{bad}"
            );
        }
    }

    #[test]
    fn reading_an_upload_is_counted_while_it_is_taken() {
        let root = std::env::temp_dir().join(format!("jxjy-upload-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(folder(&root)).unwrap();
        let id = NEXT.fetch_add(1, Ordering::SeqCst).to_string();
        std::fs::write(path_of(&root, &id).unwrap(), vec![7u8; 300_000]).unwrap();
        assert!(
            upload_progress(id.clone()).unwrap().is_none(),
            "not taken yet"
        );
        let taken = take(&root, &id).unwrap();
        let p = upload_progress(id.clone()).unwrap().unwrap();
        assert_eq!((p.read, p.total), (0, 300_000));
        let mut r = taken.reader();
        let mut first = vec![0u8; 1000];
        r.read_exact(&mut first).unwrap();
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(first.len() + rest.len(), 300_000);
        drop(r);
        assert_eq!(upload_progress(id.clone()).unwrap().unwrap().read, 300_000);
        drop(taken);
        assert!(upload_progress(id.clone()).unwrap().is_none(), "done");
        assert!(!path_of(&root, &id).unwrap().exists(), "deleted");
        let _ = std::fs::remove_dir_all(&root);
    }
}
