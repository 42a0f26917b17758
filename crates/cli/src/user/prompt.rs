//! Asking a person (or a script) for answers: prompts go to stdout, answers come line by
//! line from stdin. On a terminal, passwords are read with echo off; when stdin is not a
//! terminal (a pipe, a file) every answer, passwords included, is simply the next line.

use std::io::{IsTerminal as _, Write as _};

use super::Failure;

/// Reads answers from stdin.
#[derive(Debug)]
pub struct Prompter {
    interactive: bool,
}

impl Prompter {
    /// A prompter for this process's stdin.
    pub fn new() -> Prompter {
        Prompter {
            interactive: std::io::stdin().is_terminal(),
        }
    }

    /// Prints a line.
    pub fn say(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    /// Prints `prompt` and reads one line (without its line ending).
    pub fn line(&mut self, prompt: &str) -> Result<String, Failure> {
        show(prompt);
        read_answer(prompt)
    }

    /// Like [`Prompter::line`], but `None` when the input has ended (a script that had
    /// nothing more to say).
    pub fn line_or_end(&mut self, prompt: &str) -> Result<Option<String>, Failure> {
        show(prompt);
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) => {
                // The prompt is left without its answer: end its line.
                self.say("");
                Ok(None)
            }
            Ok(_) => Ok(Some(line.trim_end_matches(['\n', '\r']).to_string())),
            Err(e) => Err(Failure::Usage(format!("cannot read stdin: {e}"))),
        }
    }

    /// Like [`Prompter::line`], but not echoed on a terminal.
    pub fn secret(&mut self, prompt: &str) -> Result<String, Failure> {
        if !self.interactive {
            show(prompt);
            return read_answer(prompt);
        }
        // Echo goes off before the prompt shows, so nothing typed after it is echoed.
        let quiet = EchoOff::new();
        show(prompt);
        let answer = read_answer(prompt);
        if !quiet.echoes_newline() {
            self.say("");
        }
        drop(quiet);
        answer
    }

    /// A new password: asked twice on a terminal, once from a script.
    pub fn new_password(&mut self, prompt: &str) -> Result<String, Failure> {
        for _ in 0..3 {
            let first = self.secret(prompt)?;
            if !self.interactive {
                return Ok(first);
            }
            if self.secret("Repeat it: ")? == first {
                return Ok(first);
            }
            self.say("The two passwords differ. Try again.");
        }
        Err(Failure::Refused("The passwords did not match.".into()))
    }

    /// One of `options`, by number (from 1) or by name (any case).
    pub fn choose(&mut self, prompt: &str, options: &[&str]) -> Result<usize, Failure> {
        for (i, option) in options.iter().enumerate() {
            self.say(&format!("  {}) {option}", i + 1));
        }
        loop {
            let answer = self.line(prompt)?;
            let answer = answer.trim();
            let picked = answer
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .filter(|i| *i < options.len())
                .or_else(|| options.iter().position(|o| o.eq_ignore_ascii_case(answer)));
            match picked {
                Some(i) => return Ok(i),
                None if self.interactive => {
                    self.say(&format!("Answer 1 to {} or a name.", options.len()));
                }
                None => {
                    return Err(Failure::Usage(format!(
                        "\"{answer}\" is not one of {}",
                        options.join(", ")
                    )))
                }
            }
        }
    }
}

fn show(prompt: &str) {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{prompt}");
    let _ = out.flush();
}

fn read_answer(prompt: &str) -> Result<String, Failure> {
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) => Err(Failure::Usage(format!(
            "no answer to \"{}\" (end of input)",
            prompt.trim_end_matches([' ', ':'])
        ))),
        Ok(_) => Ok(line.trim_end_matches(['\n', '\r']).to_string()),
        Err(e) => Err(Failure::Usage(format!("cannot read stdin: {e}"))),
    }
}

/// Terminal echo switched off on stdin for as long as this lives.
struct EchoOff {
    saved: Option<rustix::termios::Termios>,
    echo_newline: bool,
}

impl EchoOff {
    fn new() -> EchoOff {
        use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions};
        let stdin = std::io::stdin();
        let Ok(saved) = tcgetattr(&stdin) else {
            return EchoOff {
                saved: None,
                echo_newline: false,
            };
        };
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        quiet.local_modes.insert(LocalModes::ECHONL);
        let ok = tcsetattr(&stdin, OptionalActions::Now, &quiet).is_ok();
        EchoOff {
            saved: ok.then_some(saved),
            echo_newline: ok,
        }
    }

    /// Whether the terminal itself echoes the Enter key (so no newline is needed).
    fn echoes_newline(&self) -> bool {
        self.echo_newline
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            let _ = rustix::termios::tcsetattr(
                std::io::stdin(),
                rustix::termios::OptionalActions::Now,
                saved,
            );
        }
    }
}
