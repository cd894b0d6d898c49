//! A small builder that runs the real `qload` binary in a temporary directory
//! and checks its exit status, stdout, stderr and the files it wrote.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where `samples/` and `mappings/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root.
pub fn repo(path: &str) -> PathBuf {
    root().join(path)
}

/// One run of the binary, built step by step.
pub struct Run {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

/// What a run produced.
pub struct Done {
    pub output: Output,
    pub dir: PathBuf,
    _keep: tempfile::TempDir,
}

impl Run {
    /// A run of `qload` with these arguments, in a fresh temporary directory.
    pub fn new(args: &[&str]) -> Run {
        Run {
            dir: tempfile::tempdir().expect("temporary directory"),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
            stdin: None,
        }
    }

    /// Appends more arguments.
    pub fn args<S: AsRef<str>>(mut self, more: &[S]) -> Run {
        self.args.extend(more.iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Appends a path argument.
    pub fn path(mut self, path: impl AsRef<Path>) -> Run {
        self.args.push(path.as_ref().display().to_string());
        self
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Writes a file into the run's directory before it starts.
    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Run {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("fixture directory");
        }
        std::fs::write(path, contents).expect("fixture file");
        self
    }

    /// Names, with `--known`, a document delivered earlier holding these
    /// property ids, so that transactions may link to them.
    pub fn known_properties(self, ids: &[&str]) -> Run {
        let properties: Vec<String> =
            ids.iter().map(|id| format!("{{\"id\": \"{id}\"}}")).collect();
        let document = format!("{{\"properties\": [{}]}}", properties.join(", "));
        self.file("known.json", document).args(&["--known", "known.json"])
    }

    /// Feeds bytes on standard input.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(bytes.into());
        self
    }

    /// The run's working directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary and waits for it.
    pub fn run(self) -> Done {
        use std::io::Write;
        let mut command = Command::new(env!("CARGO_BIN_EXE_qload"));
        command
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("QLOWER_API_KEY")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_PROFILE")
            .env("NO_COLOR", "1")
            .env("XDG_DATA_HOME", self.dir.path().join(".data"))
            .env("HOME", self.dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("qload starts");
        let input = self.stdin.unwrap_or_default();
        if let Some(mut pipe) = child.stdin.take() {
            let _ = pipe.write_all(&input);
        }
        let output = child.wait_with_output().expect("qload finishes");
        Done { output, dir: self.dir.path().to_path_buf(), _keep: self.dir }
    }
}

impl Done {
    /// The exit status, with stderr shown when it is not the expected one.
    pub fn status(&self, expected: i32) -> &Done {
        assert_eq!(
            self.output.status.code(),
            Some(expected),
            "unexpected exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts that stderr contains each of these fragments.
    pub fn stderr_has(&self, fragments: &[&str]) -> &Done {
        let err = self.stderr();
        for fragment in fragments {
            assert!(err.contains(fragment), "stderr lacks {fragment:?}\n--- stderr\n{err}");
        }
        self
    }

    /// Asserts that stdout contains each of these fragments.
    pub fn stdout_has(&self, fragments: &[&str]) -> &Done {
        let out = self.stdout();
        for fragment in fragments {
            assert!(out.contains(fragment), "stdout lacks {fragment:?}\n--- stdout\n{out}");
        }
        self
    }

    /// A file the run wrote, relative to its directory.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
    }

    /// A file the run wrote, as text.
    pub fn read_text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).expect("utf-8 output")
    }
}
