//! External backend plugins: `--target NAME` for a NAME that is not built in
//! runs `lbc-backend-NAME` from `PATH` with the IR JSON on stdin; its stdout is
//! the output. A missing plugin, a non-zero exit or output that is not UTF-8 is
//! an error (E0028) that names the plugin.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use lbc_compiler::{Code, Diagnostic};
use lbc_ir::Program;

/// Runs the plugin for `target` on `program`.
pub fn run(target: &str, program: &Program) -> Result<String, Box<Diagnostic>> {
    let fail = |message: String| Box::new(Diagnostic::new(Code::PluginFailed, message));
    let valid = !target.is_empty()
        && target.len() <= 64
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(fail(format!("`{target}` is not a target name"))
            .note("target names are letters, digits, `-` and `_`; `lbc backends` lists the built-in ones")
            .into());
    }
    let program_name = format!("lbc-backend-{target}");
    let mut child = match Command::new(&program_name)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(format!(
                "there is no built-in target `{target}` and no plugin `{program_name}` on PATH"
            ))
            .help("`lbc backends` lists the built-in targets; a plugin is any program named lbc-backend-NAME (see docs/ir.md)")
            .into());
        }
        Err(e) => return Err(fail(format!("cannot run the plugin `{program_name}`: {e}"))),
    };
    let input = program.to_json();
    let stdin = child.stdin.take();
    // Feed stdin from a thread so that a plugin writing a large output before
    // reading all of its input cannot deadlock with us.
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(input.as_bytes());
        }
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let mut out = Vec::new();
    if let Some(mut s) = child.stdout.take() {
        if let Err(e) = s.read_to_end(&mut out) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(fail(format!(
                "cannot read the output of `{program_name}`: {e}"
            )));
        }
    }
    let status = child.wait();
    let _ = writer.join();
    let err = err_reader.join().unwrap_or_default();
    let err_text = String::from_utf8_lossy(&err).trim().to_string();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            let mut d = fail(format!("the plugin `{program_name}` failed ({s})"));
            if !err_text.is_empty() {
                d = d.note(format!("its error output:\n{err_text}")).into();
            }
            return Err(d);
        }
        Err(e) => return Err(fail(format!("cannot wait for `{program_name}`: {e}"))),
    }
    String::from_utf8(out).map_err(|e| {
        fail(format!(
            "the plugin `{program_name}` wrote output that is not UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}
