//! "Device attempts and cache answers by route": attempts that woke a meter (first tries and
//! retries), and requests the S1SP cache answered instead (the cache exists only at the S1SPs, so
//! CSP routes have none).

use super::figure::{Axis, Figure, Hourly, Series};
use crate::model::routes::ROUTES;
use crate::model::{Report, Scenario};
use crate::present::format::{number, percent};

pub fn figure(report: &Report, s: &Scenario) -> Figure {
    let get = |f: fn(&crate::model::report::RouteHits) -> u64| -> Vec<f64> {
        ROUTES
            .iter()
            .map(|r| {
                report
                    .hits_by_route
                    .iter()
                    .find(|h| h.route == r.key())
                    .map(|h| f(h) as f64)
                    .unwrap_or(0.0)
            })
            .collect()
    };
    let device = get(|h| h.device);
    let cache = get(|h| h.cache);
    let s1_device: f64 = device[3..].iter().sum();
    let s1_cache: f64 = cache[3..].iter().sum();
    let title = if !s.cache.enabled {
        format!(
            "The S1SP cache is off: all {} attempts (first tries and retries) reach a device",
            number(device.iter().sum())
        )
    } else if s1_cache == 0.0 {
        "The S1SP cache is on but answers nothing: no two users ask for the same SMETS1 data"
            .to_string()
    } else {
        format!(
            "The S1SP cache answers {} requests, {} of SMETS1 reads, sparing those device attempts",
            number(s1_cache),
            percent(s1_cache / (s1_cache + s1_device))
        )
    };
    let description = format!(
        "Bar chart of attempts that reached a device (first tries and retries) and requests answered from the S1SP cache, for each route, over the whole run. {title}."
    );
    Figure {
        id: "hits",
        title,
        description,
        x: Axis::Categories(ROUTES.iter().map(|r| r.label().to_string()).collect()),
        x_desc: "route".into(),
        y_desc: "attempts in the run".into(),
        percent: false,
        series: vec![
            Series {
                label: "Device attempts".into(),
                colour: 0,
                values: device,
            },
            Series {
                label: "Cache answers".into(),
                colour: 2,
                values: cache,
            },
        ],
        shade: vec![],
        markers: vec![],
        legend_lower: false,
        hourly: Hourly::Mean,
        unit: "attempts",
    }
}
