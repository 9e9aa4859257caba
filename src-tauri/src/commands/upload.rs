//! Large files the page hands over in pieces. A regiment's snapshot carries every evidence file
//! and can run to hundreds of megabytes: sent as one IPC message it sat whole in the page and
//! again in the app. The page now sends pieces of a few megabytes, appended here to a file under
//! the data folder's `uploads/`; the command that uses the file reads it as a stream and deletes
//! it. Whatever a crash leaves behind is cleared when the app starts.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
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

/// The file of upload `id`. Ids are numbers this process gave out, so a page cannot name
/// any other path.
fn path_of(root: &Path, id: &str) -> Result<PathBuf, AppError> {
    let n: u64 = id
        .parse()
        .map_err(|_| AppError::invalid("上传编号无效，请重新选择文件"))?;
    Ok(folder(root).join(format!("{n}.part")))
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
    let id = NEXT.fetch_add(1, Ordering::SeqCst).to_string();
    File::create(path_of(state.home.root(), &id)?).map_err(io)?;
    Ok(id)
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
    let mut file = OpenOptions::new()
        .append(true)
        .open(&path)
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

/// An uploaded file, open for reading; the file is deleted when this is dropped.
pub struct Uploaded {
    pub file: File,
    path: PathBuf,
}

impl Drop for Uploaded {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes upload `id` for reading; it is gone afterwards, whatever the reading gives.
pub fn take(root: &Path, id: &str) -> Result<Uploaded, AppError> {
    let path = path_of(root, id)?;
    let file = File::open(&path).map_err(|_| AppError::invalid("上传已失效，请重新选择文件"))?;
    Ok(Uploaded { file, path })
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
}
