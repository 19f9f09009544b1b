//! `mp162 sweep`, `mp162 size` and `mp162 sensitivity`: the model's inverse questions on the
//! command line (see [`crate::sizing`]). Output is JSON (a sweep or tornado may ask for CSV).

use std::time::Instant;

use serde_json::{Map, Value, json};

use super::{Flags, load};
use crate::preview::shows;
use crate::sizing::search::{Search, SearchSpec, Solve};
use crate::sizing::sweep::{Sweep, csv, steps};
use crate::sizing::targets::{Target, figure_names};
use crate::sizing::tornado::Tornado;
use crate::sizing::{FigureStat, SEARCH_SAMPLE, run_jobs};

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The scenario named first, before any flag.
fn scenario_arg<'a>(verb: &str, args: &'a [String]) -> Result<&'a String, String> {
    args.first()
        .filter(|a| !a.starts_with("--"))
        .ok_or_else(|| format!("{verb}: name a scenario file or preset first"))
}

/// `--sample F`, a share above 0 and at most 1, if given.
pub(super) fn sample_flag(flags: &Flags) -> Result<Option<f64>, String> {
    let sample = flags.parse::<f64>("--sample", "a share above 0 and at most 1")?;
    if let Some(f) = sample
        && !(f > 0.0 && f <= 1.0)
    {
        return Err(format!("--sample: must be above 0 and at most 1 (got {f})"));
    }
    Ok(sample)
}

fn seeds_flag(flags: &Flags) -> Result<u32, String> {
    let seeds = flags
        .parse::<u32>("--seeds", "a whole number from 1 to 100")?
        .unwrap_or(1);
    if !(1..=100).contains(&seeds) {
        return Err(format!("--seeds: must be from 1 to 100 (got {seeds})"));
    }
    Ok(seeds)
}

/// Figures as `{name: {mean, half_width_95}}`, leaving out those a sample cannot show honestly.
fn figures_json(stats: &[FigureStat], sample: f64, keep: &[&str]) -> Value {
    let mut map = Map::new();
    for f in stats {
        if sample >= 1.0 || shows(&f.figure) || keep.contains(&f.figure.as_str()) {
            map.insert(
                f.figure.clone(),
                json!({ "mean": f.mean, "half_width_95": f.half_width_95 }),
            );
        }
    }
    Value::Object(map)
}

/// Figures as `{name: mean}`, as [`figures_json`] chooses them.
fn means_json(stats: &[FigureStat], sample: f64, keep: &[&str]) -> Value {
    let mut map = Map::new();
    for f in stats {
        if sample >= 1.0 || shows(&f.figure) || keep.contains(&f.figure.as_str()) {
            map.insert(f.figure.clone(), json!(f.mean));
        }
    }
    Value::Object(map)
}

fn left_out_note(sample: f64) -> Option<String> {
    (sample < 1.0).then(|| {
        let hidden: Vec<&str> = figure_names().into_iter().filter(|f| !shows(f)).collect();
        format!(
            "at a sample of {sample} these figures are left out, since a sample cannot show them honestly: {} (run with --sample 1 for them)",
            hidden.join(", ")
        )
    })
}

fn numbers(text: &str, flag: &str) -> Result<Vec<f64>, String> {
    text.split(',')
        .map(|v| {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    format!("{flag}: '{v}' is not a number (give numbers separated by commas)")
                })
        })
        .collect()
}

pub fn sweep_command(args: &[String]) -> Result<String, String> {
    let what = scenario_arg("sweep", args)?;
    let flags = Flags(&args[1..]);
    flags.check_known(
        &[
            "--field", "--values", "--from", "--to", "--steps", "--sample", "--seeds",
        ],
        &["--csv"],
    )?;
    let base = load(what)?;
    let field = flags
        .value("--field")
        .ok_or("sweep: give --field PATH, e.g. --field routes.dsp_per_s")?;
    let values = match (
        flags.value("--values"),
        flags.value("--from"),
        flags.value("--to"),
    ) {
        (Some(v), None, None) => numbers(v, "--values")?,
        (None, Some(a), Some(b)) => {
            let n = flags
                .parse::<usize>("--steps", "a whole number from 2 to 200")?
                .unwrap_or(5);
            if !(2..=200).contains(&n) {
                return Err(format!("--steps: must be from 2 to 200 (got {n})"));
            }
            let a = numbers(a, "--from")?[0];
            let b = numbers(b, "--to")?[0];
            steps(a, b, n)
        }
        _ => {
            return Err("sweep: give either --values A,B,C or --from A --to B [--steps N]".into());
        }
    };
    let sample = sample_flag(&flags)?.unwrap_or(SEARCH_SAMPLE);
    let seeds = seeds_flag(&flags)?;
    let plan = Sweep::plan(&base, field, &values, seeds, sample).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("--field {}: {}", p.field, p.message))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let started = Instant::now();
    let headlines = run_jobs(&plan.jobs);
    let rows = plan.rows(&base, &headlines);
    if flags.has("--csv") {
        return Ok(csv(&plan.lever.path, &rows).trim_end().to_string());
    }
    let out = json!({
        "field": plan.lever.path,
        "lever": plan.lever.kind,
        "unit": plan.lever.unit(),
        "sample": sample,
        "seeds": seeds,
        "rows": rows.iter().map(|r| json!({
            "value": r.value,
            "field_value": r.field_value,
            "figures": figures_json(&r.figures, sample, &[]),
        })).collect::<Vec<_>>(),
        "runs": plan.jobs.len(),
        "wall_seconds": started.elapsed().as_secs_f64(),
        "notes": left_out_note(sample).into_iter().collect::<Vec<_>>(),
    });
    Ok(serde_json::to_string_pretty(&out).expect("json"))
}

pub fn size_command(args: &[String]) -> Result<String, String> {
    let what = scenario_arg("size", args)?;
    let flags = Flags(&args[1..]);
    flags.check_known(&["--field", "--target", "--sample", "--seeds"], &[])?;
    let base = load(what)?;
    let field = flags
        .value("--field")
        .ok_or("size: give --field PATH, e.g. --field routes.dsp_per_s")?;
    let targets = flags
        .values("--target")
        .into_iter()
        .flat_map(|t| t.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|t| !t.trim().is_empty())
        .map(|t| Target::parse(&t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("--target: {e}"))?;
    if targets.is_empty() {
        return Err("size: give --target 'FIGURE>=VALUE', e.g. --target 'mhhs_delivered_by_needed_by>=0.95'".into());
    }
    let sample = sample_flag(&flags)?;
    let spec = SearchSpec {
        targets: targets.clone(),
        seeds: seeds_flag(&flags)?,
        sample: sample.unwrap_or(SEARCH_SAMPLE),
        confirm: sample.is_none(),
        width: cores(),
    };
    let started = Instant::now();
    let mut search = Search::new(&base, field, spec)?;
    let bounds = search.bounds();
    while search.outcome().is_none() {
        let jobs = search.jobs();
        let headlines = run_jobs(&jobs);
        search.record(&headlines);
    }
    let runs_made = search.runs_made();
    let answer = match search.outcome() {
        Some(Ok(a)) => a.clone(),
        Some(Err(e)) => return Err(format!("size: {e}")),
        None => unreachable!("the loop runs until there is an outcome"),
    };
    let keep: Vec<&str> = targets.iter().map(|t| t.figure).collect();
    let not_met_key = match answer.solve {
        Solve::Least => "not_met_below",
        Solve::Greatest => "not_met_above",
    };
    let mut out = json!({
        "field": answer.field,
        "lever": answer.lever,
        "unit": answer.unit,
        "solve": answer.solve,
        "value": answer.value,
        "field_value": answer.field_value,
        "target": answer.targets,
        "met_at": means_json(&answer.met_at, answer.sample, &keep),
        "not_met_value": answer.not_met_value,
        "sample": answer.sample,
        "seeds": answer.seeds,
        "confirmed_at_full_scale": answer.sample >= 1.0,
        "search": { "value": answer.search_value, "sample": answer.search_sample },
        "bounds": [bounds.0, bounds.1],
        "runs": answer.runs.iter().map(|p| json!({
            "value": p.value, "sample": p.sample, "met": p.met,
            "figures": means_json(&p.figures, p.sample, &keep),
        })).collect::<Vec<_>>(),
        "run_count": runs_made,
        "wall_seconds": started.elapsed().as_secs_f64(),
        "notes": answer.notes,
    });
    out[not_met_key] = means_json(&answer.not_met, answer.sample, &keep);
    Ok(serde_json::to_string_pretty(&out).expect("json"))
}

pub fn sensitivity_command(args: &[String]) -> Result<String, String> {
    let what = scenario_arg("sensitivity", args)?;
    let flags = Flags(&args[1..]);
    flags.check_known(&["--figure", "--sample", "--seeds"], &["--csv"])?;
    let base = load(what)?;
    let figure = flags
        .value("--figure")
        .unwrap_or("mhhs_delivered_by_needed_by");
    if !figure_names().contains(&figure) {
        return Err(format!(
            "--figure: '{figure}' is not a key figure; the figures are {}",
            figure_names().join(", ")
        ));
    }
    let sample = match sample_flag(&flags)? {
        Some(f) => f,
        None if shows(figure) => SEARCH_SAMPLE,
        None => {
            return Err(format!(
                "--figure {figure}: a preview cannot show it honestly, so its tornado needs full-scale runs: \
                 pass --sample 1 (two full-scale runs per assumption) or choose a figure a preview shows"
            ));
        }
    };
    let seeds = seeds_flag(&flags)?;
    let started = Instant::now();
    let plan = Tornado::plan(&base, sample, seeds);
    let headlines = run_jobs(&plan.jobs);
    let bars = plan.bars(figure, &headlines);
    if flags.has("--csv") {
        let mut out = String::from("field,lever,unit,low,high,at_low,at_high,swing,basis\n");
        for b in &bars.bars {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{}\n",
                b.field,
                b.lever,
                b.unit,
                b.low,
                b.high,
                b.at_low,
                b.at_high,
                b.swing,
                b.basis.label()
            ));
        }
        return Ok(out.trim_end().to_string());
    }
    let mut out = serde_json::to_value(&bars).expect("bars serialise");
    out["runs"] = json!(plan.jobs.len());
    out["wall_seconds"] = json!(started.elapsed().as_secs_f64());
    Ok(serde_json::to_string_pretty(&out).expect("json"))
}
