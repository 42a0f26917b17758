//! What the tests that run the `keystep` binary share: a free port, a command without the
//! developer's own settings, and the banner `keystep serve` prints.
// Each test binary uses its own subset.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_keystep");

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `keystep` without any KEYSTEP_* or AWS_* variable of the developer's shell.
pub fn keystep() -> Command {
    let mut command = Command::new(BIN);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("KEYSTEP_") || key.starts_with("AWS_") {
            command.env_remove(key.as_ref());
        }
    }
    command
}

/// Reads `child`'s standard output (piped) up to the end of its start banner (the
/// Amplify snippet), then keeps draining it so the server never blocks on a full pipe.
pub fn read_banner(child: &mut Child) -> String {
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    let started = Instant::now();
    while !banner.contains("Amplify.configure") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no banner: {banner}"
        );
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "exited: {banner}");
        banner.push_str(&line);
    }
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    banner
}

/// The value after `prefix` on its line of the banner.
pub fn banner_value(banner: &str, prefix: &str) -> String {
    banner
        .lines()
        .find_map(|l| l.trim().strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {banner}"))
        .trim()
        .to_string()
}
