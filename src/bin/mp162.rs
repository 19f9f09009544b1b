//! `mp162`: the traffic model on the command line.
//!
//! ```text
//! mp162 run <scenario.json | preset> [--seed N] [--sample F] [--replications N] [--series]
//! mp162 presets
//! mp162 show <preset>
//! mp162 queue --arrival-rate L --service-rate M --servers C --customers N [--seed S] [--deterministic]
//! ```
//! Output is JSON on standard output; problems go to standard error with a non-zero exit.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match mp162_explorer::model::cli::main(&args) {
        Ok(out) => {
            println!("{out}");
            std::process::ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("mp162: {message}");
            std::process::ExitCode::from(2)
        }
    }
}

/// The command line is native only (it reads files and the clock).
#[cfg(target_arch = "wasm32")]
fn main() {}
