//! One `keystep serve` per SQLite data folder: two servers writing one SQLite file would
//! each think they own its development pool and housekeeping, and the second start of a
//! forgotten first one is a confusing hour. The lock is an OS file lock on
//! `<data_dir>/keystep.lock`, released by the kernel when the process ends, however it
//! ends (a `kill -9` leaves nothing stale behind).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Held while the server runs.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataLock {
    /// Creates the data folder if needed and locks it, or says who holds it.
    pub fn take(dir: &Path) -> Result<DataLock, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the data folder {}: {e}", dir.display()))?;
        let path = dir.join("keystep.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {
                // Who holds it, for the message the next one prints.
                let _ = file.set_len(0);
                let _ = file.seek(SeekFrom::Start(0));
                let _ = write!(file, "{}", std::process::id());
                let _ = file.flush();
                Ok(DataLock { _file: file })
            }
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    "another keystep serve".to_string()
                } else {
                    format!("another keystep serve (pid {holder})")
                };
                Err(format!(
                    "{who} is using the data folder {}: stop it, or give this server its own \
                     folder (data_dir in the configuration, or KEYSTEP_DATA_DIR)",
                    dir.display()
                ))
            }
            Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_goes() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::take(dir.path()).unwrap();
        let refused = DataLock::take(dir.path()).unwrap_err();
        assert!(
            refused.contains(&format!("pid {}", std::process::id())),
            "{refused}"
        );
        assert!(refused.contains("KEYSTEP_DATA_DIR"), "{refused}");
        drop(first);
        DataLock::take(dir.path()).unwrap();
    }
}
