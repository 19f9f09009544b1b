// Benchmark (not a test): the explorer's full-scale run from its button, in Firefox or WebKit
// (BROWSER=firefox|webkit) through WebDriver, against the release build. METERS sets the
// population (default: the preset's, the GB day); CORES=n makes the page believe the machine has n
// cores (it starts one full-run worker per core; WebKitGTK says 4 on a 2-core machine); prints one
// JSON line with the run's own time.
// scripts/bench.sh runs it beside the Chromium figure of bench_explore.mjs.
import { startServer } from '../harness.mjs';
import { BROWSER, startBrowser, waitInPage, ready, startFullRun, fullRunEnds } from './webdriver.mjs';

const METERS = process.env.METERS || '';
const server = await startServer();
const session = await startBrowser();
const { driver } = session;
try {
  await driver.manage().setTimeouts({ script: 20 * 60 * 1000 });
  const query = METERS ? `?population.meters=${METERS}` : '';
  await driver.get(`${server.base}#/explore${query}`);
  await ready(driver);
  if (process.env.CORES) {
    // The page reads the count when the run starts, so overriding it after the load is enough.
    await driver.executeScript((n) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true });
    }, Number(process.env.CORES));
  }
  if (process.env.HIDE) await driver.executeScript(() => { new MutationObserver(() => { for (const e of document.querySelectorAll('.full-run progress, .full-run .hint, .full-run label')) e.style.display = "none"; }).observe(document.body, { subtree: true, childList: true }); });
  await startFullRun(driver);
  const done = await fullRunEnds(driver, { timeout: 20 * 60 * 1000, stillFor: 3 * 60 * 1000 });
  // The note says the full run's time once its report is shown (a moment after "finished").
  const note = await waitInPage(driver, () => {
    const t = document.getElementById('preview-note')?.textContent || '';
    return t.startsWith('Full-scale run') ? t : null;
  }, [], { what: 'the full run\'s note' });
  // Where each worker's time went (worker 0: the DSP; the others: routes).
  const times = await driver.executeScript(() => document.getElementById('full-run-done').dataset.workerTimes);
  console.log(JSON.stringify({
    browser: BROWSER,
    meters: METERS || 'preset',
    full_run_seconds: Number(note.match(/in ([\d.]+) s/)?.[1]),
    full_run_requests: note.match(/([\d,]+) requests/)?.[1],
    full_run_workers: Number(done.match(/on (\d+) background workers/)?.[1]),
    largest_worker_memory_mb: Number(done.match(/largest used ([\d,]+) MB/)?.[1].replace(/,/g, '')),
    worker_times: JSON.parse(times || 'null'),
    note,
  }));
} finally {
  await session.quit();
  await server.close();
}
