//! Tokens of a signed-in user and where they are kept: [`TokenStore`],
//! [`MemoryTokenStore`] (the default) and [`FileTokenStore`].

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::AuthError;

/// The tokens of a signed-in user. `Debug` shows only which tokens are present.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// The access token (a JWT).
    pub access_token: String,
    /// The ID token (a JWT), absent only if the server sent none.
    pub id_token: Option<String>,
    /// The refresh token.
    pub refresh_token: Option<String>,
    /// When the access token expires, in Unix seconds.
    pub expires_at: i64,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |present: bool| if present { "<redacted>" } else { "<none>" };
        f.debug_struct("Tokens")
            .field("access_token", &redacted(true))
            .field("id_token", &redacted(self.id_token.is_some()))
            .field("refresh_token", &redacted(self.refresh_token.is_some()))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Tokens {
    /// Tokens from an `AuthenticationResult`; `previous_refresh` is kept when the result has
    /// no refresh token (refresh responses without rotation).
    pub(crate) fn from_result(
        result: &keystep_proto::AuthenticationResult,
        previous_refresh: Option<String>,
        now_secs: i64,
    ) -> Result<Tokens, AuthError> {
        let access_token = result
            .access_token
            .as_ref()
            .map(|t| t.expose().to_string())
            .ok_or_else(|| {
                AuthError::bad_response("InvalidServiceResponse", "no AccessToken in the result")
            })?;
        let expires_at = jwt_claims(&access_token)
            .and_then(|c| c.get("exp").and_then(serde_json::Value::as_i64))
            .unwrap_or_else(|| now_secs + result.expires_in.unwrap_or(3600));
        Ok(Tokens {
            access_token,
            id_token: result.id_token.as_ref().map(|t| t.expose().to_string()),
            refresh_token: result
                .refresh_token
                .as_ref()
                .map(|t| t.expose().to_string())
                .or(previous_refresh),
            expires_at,
        })
    }

    /// The claims of the ID token, if there is one and it decodes.
    pub fn id_claims(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        self.id_token.as_deref().and_then(jwt_claims)
    }

    /// The claims of the access token, if it decodes.
    pub fn access_claims(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        jwt_claims(&self.access_token)
    }

    /// The user's canonical name: `cognito:username` of the ID token, else `username` of
    /// the access token.
    pub(crate) fn username(&self) -> Option<String> {
        let from = |claims: Option<serde_json::Map<String, serde_json::Value>>, key: &str| {
            claims.and_then(|c| c.get(key).and_then(|v| v.as_str()).map(str::to_string))
        };
        from(self.id_claims(), "cognito:username")
            .or_else(|| from(self.access_claims(), "username"))
    }
}

/// The payload of a JWT, decoded but **not verified** (the server verifies tokens; the
/// client only reads them).
pub(crate) fn jwt_claims(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A device remembered by the user pool (device tracking): the keys the pool handed out
/// and the device's own random password, whose SRP verifier the pool keeps. Kept across
/// sign-outs, as Amplify keeps them, so the next sign-in on this device proves it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedDevice {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// The device's random password (never sent; only its verifier was).
    pub(crate) password: String,
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("key", &self.key)
            .field("group_key", &self.group_key)
            .finish_non_exhaustive()
    }
}

/// Where tokens are kept between calls.
///
/// ```
/// use keystep_client::{MemoryTokenStore, TokenStore};
/// let store = MemoryTokenStore::default();
/// assert_eq!(store.load().unwrap(), None);
/// ```
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The stored tokens, if any.
    fn load(&self) -> Result<Option<Tokens>, AuthError>;
    /// Replaces the stored tokens.
    fn save(&self, tokens: &Tokens) -> Result<(), AuthError>;
    /// Forgets the tokens (not the remembered device).
    fn clear(&self) -> Result<(), AuthError>;
    /// The remembered device, if any. Stores that keep none answer `None`, and the client
    /// then never skips MFA on a remembered device.
    fn load_device(&self) -> Result<Option<RememberedDevice>, AuthError> {
        Ok(None)
    }
    /// Replaces (or with `None` forgets) the remembered device.
    fn save_device(&self, device: Option<&RememberedDevice>) -> Result<(), AuthError> {
        let _ = device;
        Ok(())
    }
}

/// Tokens in memory only: lost when the process ends.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<Tokens>>,
    device: Mutex<Option<RememberedDevice>>,
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<Tokens>, AuthError> {
        Ok(self
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone())
    }

    fn save(&self, tokens: &Tokens) -> Result<(), AuthError> {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = Some(tokens.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), AuthError> {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    fn load_device(&self) -> Result<Option<RememberedDevice>, AuthError> {
        Ok(self
            .device
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone())
    }

    fn save_device(&self, device: Option<&RememberedDevice>) -> Result<(), AuthError> {
        *self.device.lock().unwrap_or_else(|e| e.into_inner()) = device.cloned();
        Ok(())
    }
}

/// Tokens in a JSON file, created readable by its owner only (mode 0600 on Unix).
///
/// ```no_run
/// use keystep_client::{FileTokenStore, TokenStore};
/// let store = FileTokenStore::new("/home/me/.config/myapp/tokens.json");
/// if let Some(tokens) = store.load()? {
///     println!("signed in until {}", tokens.expires_at);
/// }
/// # Ok::<(), keystep_client::AuthError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store in `path` (the file is created on the first `save`).
    pub fn new(path: impl Into<PathBuf>) -> FileTokenStore {
        FileTokenStore { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the remembered device is kept: beside the tokens, `<name>.device.json`.
    pub fn device_path(&self) -> PathBuf {
        self.path.with_extension("device.json")
    }
}

/// Writes `bytes` to `path` through a fresh owner-only file renamed over it: the secret
/// never sits in a file with wider permissions, and a crash leaves the old file intact.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), AuthError> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(&tmp)
        .map_err(|e| io_error("create", &tmp, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error("write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_error("replace", path, e))
}

fn io_error(action: &str, path: &Path, e: std::io::Error) -> AuthError {
    AuthError::Service {
        name: "TokenStoreError".into(),
        message: format!("cannot {action} {}: {e}", path.display()),
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Result<Option<Tokens>, AuthError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &self.path, e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| AuthError::Service {
                name: "TokenStoreError".into(),
                message: format!("cannot parse {}: {e}", self.path.display()),
            })
    }

    fn save(&self, tokens: &Tokens) -> Result<(), AuthError> {
        let json = serde_json::to_vec_pretty(tokens).map_err(|e| AuthError::Service {
            name: "TokenStoreError".into(),
            message: e.to_string(),
        })?;
        write_private(&self.path, &json)
    }

    fn clear(&self) -> Result<(), AuthError> {
        remove(&self.path)
    }

    fn load_device(&self) -> Result<Option<RememberedDevice>, AuthError> {
        let path = self.device_path();
        match std::fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read", &path, e)),
        }
    }

    fn save_device(&self, device: Option<&RememberedDevice>) -> Result<(), AuthError> {
        let path = self.device_path();
        match device {
            None => remove(&path),
            Some(d) => {
                let json = serde_json::to_vec(d).map_err(|e| AuthError::Service {
                    name: "TokenStoreError".into(),
                    message: e.to_string(),
                })?;
                write_private(&path, &json)
            }
        }
    }
}

fn remove(path: &Path) -> Result<(), AuthError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("remove", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: serde_json::Value) -> String {
        format!(
            "e30.{}.sig",
            URL_SAFE_NO_PAD.encode(claims.to_string().as_bytes())
        )
    }

    fn sample() -> Tokens {
        Tokens {
            access_token: jwt(serde_json::json!({"username": "u-sub", "exp": 100})),
            id_token: Some(jwt(serde_json::json!({"cognito:username": "alice"}))),
            refresh_token: Some("refresh-secret".into()),
            expires_at: 100,
        }
    }

    #[test]
    fn debug_hides_every_token() {
        let text = format!("{:?}", sample());
        assert!(
            !text.contains("refresh-secret") && !text.contains("e30"),
            "{text}"
        );
        assert!(text.contains("expires_at: 100"));
    }

    #[test]
    fn username_comes_from_the_id_token_then_the_access_token() {
        let mut t = sample();
        assert_eq!(t.username().as_deref(), Some("alice"));
        t.id_token = None;
        assert_eq!(t.username().as_deref(), Some("u-sub"));
    }

    #[test]
    fn expiry_comes_from_exp_and_the_old_refresh_token_is_kept() {
        let result = keystep_proto::AuthenticationResult {
            access_token: Some(jwt(serde_json::json!({"exp": 5000})).into()),
            expires_in: Some(3600),
            ..Default::default()
        };
        let t = Tokens::from_result(&result, Some("old".into()), 10).unwrap();
        assert_eq!(t.expires_at, 5000);
        assert_eq!(t.refresh_token.as_deref(), Some("old"));
    }

    #[test]
    fn file_store_round_trips_with_owner_only_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("tokens.json"));
        assert_eq!(store.load().unwrap(), None);
        store.save(&sample()).unwrap();
        assert_eq!(store.load().unwrap(), Some(sample()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.clear().unwrap();
    }

    #[test]
    fn the_remembered_device_outlives_the_tokens_and_stays_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("tokens.json"));
        let device = RememberedDevice {
            key: "us-east-1_0f1e".into(),
            group_key: "-grp".into(),
            password: "device-secret".into(),
        };
        assert_eq!(store.load_device().unwrap(), None);
        store.save(&sample()).unwrap();
        store.save_device(Some(&device)).unwrap();
        store.clear().unwrap();
        assert_eq!(store.load_device().unwrap(), Some(device.clone()));
        assert!(!format!("{device:?}").contains("device-secret"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(store.device_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.save_device(None).unwrap();
        assert_eq!(store.load_device().unwrap(), None);
    }
}
