//! The repository holds only its own files: no virtual environment, `node_modules`, build output
//! (`target`, `dist`) is ever tracked. (Skipped where there is no git checkout, e.g. a source
//! tarball.)
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

#[test]
fn no_tool_or_build_folder_is_tracked() {
    let root = env!("CARGO_MANIFEST_DIR");
    let Ok(out) = Command::new("git").args(["-C", root, "ls-files"]).output() else {
        eprintln!("git is not available: nothing to check");
        return;
    };
    if !out.status.success() {
        eprintln!("not a git checkout: nothing to check");
        return;
    }
    let files = String::from_utf8_lossy(&out.stdout);
    let foreign: Vec<&str> = files
        .lines()
        .filter(|f| {
            f.split('/')
                .any(|part| matches!(part, "node_modules" | "venv" | ".venv" | "site-packages"))
                || f.starts_with("target/")
                || f.starts_with("dist/")
                || f.contains("/pyvenv.cfg")
                || *f == "pyvenv.cfg"
        })
        .collect();
    assert!(
        foreign.is_empty(),
        "{} tracked files belong to tools or build output, e.g. {:?}: `git rm -r --cached` them (they are in .gitignore)",
        foreign.len(),
        &foreign[..foreign.len().min(5)]
    );
}
