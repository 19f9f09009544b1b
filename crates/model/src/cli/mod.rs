//! The `mp162` command line, as a function from arguments to output text (testable natively):
//! `run`, `presets`, `show` and `queue` here, the sizing verbs in [`sizing`].
//! Wall-clock timing uses `std::time::Instant`, so this module is for native builds.

use std::time::Instant;

use serde_json::{Value, json};

mod sizing;

use super::presets;
use super::replications::replicate;
use super::scenario::Scenario;
use super::simulation::{RunOptions, Simulation, run};
use super::textbook::{QueueSpec, Service};

const USAGE: &str = "usage:
  mp162 run <scenario.json | preset> [--seed N] [--sample F] [--replications N] [--threads CORES] [--series] [--stage-times]
  mp162 presets
  mp162 show <preset>
  mp162 queue --arrival-rate L --service-rate M --servers C --customers N [--seed S] [--deterministic] [--engine computed|calendar]
  mp162 sweep <scenario.json | preset> --field PATH (--values A,B,C | --from A --to B [--steps N]) [--sample F] [--seeds N] [--csv]
  mp162 size <scenario.json | preset> --field PATH --target 'FIGURE>=VALUE' [--target ...] [--sample F] [--seeds N]
  mp162 sensitivity <scenario.json | preset> [--figure NAME] [--sample F] [--seeds N] [--csv]

A PATH names a scenario field (`mp162 show <preset>`): a number (routes.dsp_per_s), a group scaled
together (routes.s1sp_per_s: x1 is the scenario's values), a window shifted in hours
(schedules.supplier_window) or one share of a split (population.region_shares[0]).
sweep and size run at a sample of 0.0005 (the explorer's preview) unless --sample says otherwise;
size then confirms its answer at full scale.";

/// Runs the command line; `Ok` is the text for standard output, `Err` the message for standard error.
pub fn main(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("presets") => Ok(presets::names().join("\n")),
        Some("show") => {
            let name = args
                .get(1)
                .ok_or("show: name a preset (see `mp162 presets`)")?;
            let s = presets::preset(name).ok_or_else(|| {
                format!("show: no preset named '{name}'; `mp162 presets` lists them")
            })?;
            Ok(serde_json::to_string_pretty(&s).expect("scenario serialises"))
        }
        Some("run") => run_command(&args[1..]),
        Some("queue") => queue_command(&args[1..]),
        Some("sweep") => sizing::sweep_command(&args[1..]),
        Some("size") => sizing::size_command(&args[1..]),
        Some("sensitivity") => sizing::sensitivity_command(&args[1..]),
        Some("--help" | "-h" | "help") => Ok(USAGE.into()),
        Some(other) => Err(format!("unknown command '{other}'\n{USAGE}")),
        None => Err(USAGE.into()),
    }
}

/// Flag values: `--name value` pairs after the positional arguments.
struct Flags<'a>(&'a [String]);

impl Flags<'_> {
    fn value(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }
    /// Every value of a flag that may be given more than once.
    fn values(&self, name: &str) -> Vec<&str> {
        self.0
            .windows(2)
            .filter(|w| w[0] == name)
            .map(|w| w[1].as_str())
            .collect()
    }
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }
    fn parse<T: std::str::FromStr>(&self, name: &str, what: &str) -> Result<Option<T>, String> {
        match self.value(name) {
            None if self.has(name) => Err(format!("{name}: give {what}")),
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("{name}: '{v}' is not {what}")),
        }
    }
    fn check_known(&self, known: &[&str], switches: &[&str]) -> Result<(), String> {
        let mut i = 0;
        while i < self.0.len() {
            let a = &self.0[i];
            if switches.contains(&a.as_str()) {
                i += 1;
            } else if known.contains(&a.as_str()) {
                i += 2;
            } else {
                return Err(format!("unknown option '{a}'\n{USAGE}"));
            }
        }
        Ok(())
    }
}

fn load(what: &str) -> Result<Scenario, String> {
    if let Some(s) = presets::preset(what) {
        return Ok(s);
    }
    let text = std::fs::read_to_string(what).map_err(|e| {
        format!(
            "'{what}' is neither a preset ({}) nor a readable file: {e}",
            presets::names().join(", ")
        )
    })?;
    let (scenario, notes) = Scenario::from_json_with_notes(&text).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("  {}: {}", p.field, p.message))
            .collect();
        format!("{what} has problems:\n{}", lines.join("\n"))
    })?;
    for note in notes {
        eprintln!("note: {what}: {note}");
    }
    Ok(scenario)
}

fn run_command(args: &[String]) -> Result<String, String> {
    let what = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .ok_or("run: name a scenario file or preset")?;
    let flags = Flags(&args[1..]);
    flags.check_known(
        &["--seed", "--sample", "--replications", "--threads"],
        &["--series", "--stage-times"],
    )?;
    let mut s = load(what)?;
    if let Some(seed) = flags.parse::<u64>("--seed", "a whole number")? {
        s.seed = seed;
    }
    let sample = sizing::sample_flag(&flags)?.unwrap_or(1.0);
    let reps = flags
        .parse::<u32>("--replications", "a whole number from 1 to 100")?
        .unwrap_or(1);
    if !(1..=100).contains(&reps) {
        return Err(format!(
            "--replications: must be from 1 to 100 (got {reps})"
        ));
    }
    let threads = flags
        .parse::<usize>("--threads", "a whole number of cores from 1 to 64")?
        .unwrap_or(0);
    if threads > 64 || flags.has("--threads") && threads == 0 {
        return Err(format!(
            "--threads: must be a whole number of cores from 1 to 64 (got {threads})"
        ));
    }
    let stage_times = flags.has("--stage-times");
    if stage_times && (threads > 1 || reps > 1) {
        return Err(
            "--stage-times: times the stages of one run on one thread; leave out --threads and --replications"
                .into(),
        );
    }
    let options = RunOptions {
        sample,
        series: flags.has("--series"),
        threads,
    };
    let started = Instant::now();
    let mut out = if stage_times {
        let mut sim = Simulation::new(&s, options);
        sim.time_stages(clock_ms);
        while !sim.step(u64::MAX) {}
        let times = sim.stage_times().expect("timed");
        let mut report = sim.finish();
        report.wall_seconds = started.elapsed().as_secs_f64();
        let mut out = serde_json::to_value(&report).expect("report serialises");
        // (serde_json keeps an object's keys in alphabetical order.)
        let by_stage = times.into_iter().map(|(k, s)| (k.to_string(), json!(s)));
        out["stage_seconds"] = Value::Object(by_stage.collect());
        out
    } else if reps == 1 {
        let mut report = run(&s, options);
        report.wall_seconds = started.elapsed().as_secs_f64();
        serde_json::to_value(&report).expect("report serialises")
    } else {
        let (reports, intervals) = replicate(&s, &options, reps);
        let mut first = serde_json::to_value(&reports[0]).expect("report serialises");
        first["replications"] = json!({ "count": reps, "seeds": reports.iter().map(|r| r.seed).collect::<Vec<_>>(), "intervals": intervals });
        first["wall_seconds"] = json!(started.elapsed().as_secs_f64());
        first
    };
    if let Value::Object(map) = &mut out {
        map.insert("peak_memory_mb".into(), json!(peak_memory_mb()));
    }
    Ok(serde_json::to_string_pretty(&out).expect("json"))
}

fn queue_command(args: &[String]) -> Result<String, String> {
    let flags = Flags(args);
    flags.check_known(
        &[
            "--arrival-rate",
            "--service-rate",
            "--servers",
            "--customers",
            "--seed",
            "--engine",
        ],
        &["--deterministic"],
    )?;
    let need = |name: &str| format!("{name}: required");
    let spec = QueueSpec {
        arrival_rate: flags
            .parse("--arrival-rate", "a number")?
            .ok_or_else(|| need("--arrival-rate"))?,
        service_rate: flags
            .parse("--service-rate", "a number")?
            .ok_or_else(|| need("--service-rate"))?,
        servers: flags
            .parse("--servers", "a whole number")?
            .ok_or_else(|| need("--servers"))?,
        customers: flags
            .parse("--customers", "a whole number")?
            .ok_or_else(|| need("--customers"))?,
        seed: flags.parse("--seed", "a whole number")?.unwrap_or(1),
        service: if flags.has("--deterministic") {
            Service::Deterministic
        } else {
            Service::Exponential
        },
    };
    let problems = spec.problems();
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let calendar = match flags.value("--engine") {
        None | Some("computed") => false,
        Some("calendar") => true,
        Some(other) => {
            return Err(format!(
                "--engine: \"{other}\" is not an engine; use computed (the FIFO station worked out, the default) or calendar (event by event)"
            ));
        }
    };
    let started = Instant::now();
    let r = if calendar { spec.run() } else { spec.compute() };
    let wall = started.elapsed().as_secs_f64();
    let out = json!({
        "model": if spec.service == Service::Exponential { "M/M/c" } else { "M/D/c" },
        "arrival_rate": spec.arrival_rate, "service_rate": spec.service_rate, "servers": spec.servers, "seed": spec.seed,
        "customers": r.customers, "mean_wait": r.mean_wait, "mean_wait_theory": r.mean_wait_theory,
        "utilisation": r.utilisation, "events": r.events, "engine": r.engine, "threads": r.threads, "wall_seconds": wall,
        "customers_per_second": r.customers as f64 / wall.max(1e-9),
    });
    Ok(serde_json::to_string_pretty(&out).expect("json"))
}

/// Milliseconds since the first time this was asked (the clock `--stage-times` uses).
fn clock_ms() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Peak resident memory of this process in MB (Linux; 0 elsewhere).
pub fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn presets_and_show() {
        let names = main(&args("presets")).unwrap();
        assert!(names.lines().any(|l| l == "dcc-recommendation"));
        let shown = main(&args("show today")).unwrap();
        assert!(Scenario::from_json(&shown).is_ok());
        assert!(
            main(&args("show nope"))
                .unwrap_err()
                .contains("mp162 presets")
        );
    }

    #[test]
    fn run_prints_every_preset_as_json_whose_accounts_add_up() {
        for name in crate::presets::names() {
            let out: Value =
                serde_json::from_str(&main(&args(&format!("run {name} --sample 0.001"))).unwrap())
                    .unwrap();
            let r = &out["requests"];
            let n = |k: &str| {
                r[k].as_u64()
                    .unwrap_or_else(|| panic!("{name}: requests.{k}"))
            };
            let ended = [
                "completed_within_trt",
                "completed_late",
                "failed",
                "pending",
            ]
            .map(n)
            .iter()
            .sum::<u64>();
            assert_eq!(n("submitted"), ended, "{name}");
            assert!(n("submitted") > 0, "{name}");
            // Device attempts, apart from requests, add up too.
            let a = &out["attempts"];
            let m = |k: &str| {
                a[k].as_u64()
                    .unwrap_or_else(|| panic!("{name}: attempts.{k}"))
            };
            assert_eq!(
                m("sent"),
                m("answered") + m("failed") + m("in_flight"),
                "{name}"
            );
            for k in ["peak_requests_per_second", "wall_seconds"] {
                assert!(out[k].as_f64().is_some(), "{name}: {k}");
            }
            assert!(out["events"].as_u64().unwrap() > 0, "{name}");
        }
    }

    #[test]
    fn queue_prints_json_and_names_bad_fields() {
        let out: Value = serde_json::from_str(
            &main(&args(
                "queue --arrival-rate 0.5 --service-rate 1 --servers 1 --customers 1000",
            ))
            .unwrap(),
        )
        .unwrap();
        assert_eq!(out["customers"], 1000);
        assert!(out["mean_wait"].as_f64().unwrap() > 0.0);
        assert!(out["wall_seconds"].as_f64().is_some());
        assert_eq!(out["engine"], "computed");
        let on_calendar: Value = serde_json::from_str(
            &main(&args(
                "queue --arrival-rate 0.5 --service-rate 1 --servers 1 --customers 1000 --engine calendar",
            ))
            .unwrap(),
        )
        .unwrap();
        assert_eq!(on_calendar["engine"], "calendar");
        assert!(on_calendar["events"].as_u64().unwrap() >= 2000);
        let err = main(&args(
            "queue --arrival-rate 0.5 --service-rate 1 --servers 1 --customers 10 --engine fast",
        ))
        .unwrap_err();
        assert!(
            err.contains("--engine") && err.contains("calendar"),
            "{err}"
        );
        let err = main(&args(
            "queue --arrival-rate x --service-rate 1 --servers 1 --customers 10",
        ))
        .unwrap_err();
        assert!(err.contains("--arrival-rate"), "{err}");
        assert!(
            main(&args("queue --service-rate 1 --servers 1 --customers 10"))
                .unwrap_err()
                .contains("--arrival-rate")
        );
    }

    #[test]
    fn run_rejects_bad_values_naming_them() {
        assert!(
            main(&args("run today --sample 2"))
                .unwrap_err()
                .contains("--sample")
        );
        assert!(
            main(&args("run today --seed x"))
                .unwrap_err()
                .contains("--seed")
        );
        assert!(
            main(&args("run today --bogus 1"))
                .unwrap_err()
                .contains("--bogus")
        );
        assert!(
            main(&args("run /no/such/file.json"))
                .unwrap_err()
                .contains("preset")
        );
        let dir = std::env::temp_dir().join(format!("mp162-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.json");
        let mut s = serde_json::to_value(Scenario::default()).unwrap();
        s["population"]["export_share"] = json!(3.0);
        std::fs::write(&file, s.to_string()).unwrap();
        let err = main(&[String::from("run"), file.to_string_lossy().into()]).unwrap_err();
        assert!(err.contains("population.export_share"), "{err}");
    }
}
