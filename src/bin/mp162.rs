//! `mp162`: the traffic model on the command line.
//!
//! ```text
//! mp162 run <scenario.json | preset> [--seed N] [--sample F] [--replications N] [--series]
//! mp162 presets
//! mp162 show <preset>
//! mp162 queue --arrival-rate L --service-rate M --servers C --customers N [--seed S] [--deterministic]
//! ```
//! Output is JSON on standard output; problems go to standard error with a non-zero exit.

use std::process::ExitCode;

use mp162_explorer::model::cli;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::main(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("mp162: {message}");
            ExitCode::from(2)
        }
    }
}
