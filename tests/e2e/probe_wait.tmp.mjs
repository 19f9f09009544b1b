// Bench (not a test): the explorer in headless Chromium.
//  - preview update: from an input change to all five charts redrawn (median, 95th percentile);
//  - the full-scale run of the DCC-recommendation day: wall time, and main-thread tasks over 50 ms
//    while it runs (the Long Tasks API), the workers it ran in and the largest one's memory.
// Set FULL=0 to skip the full run; CORES=n to make the page believe it has n cores.
import { startServer, launch } from './harness.mjs';

const UPDATES = Number(process.env.UPDATES || 40);
const FULL = process.env.FULL !== '0';
const server = await startServer();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const page = await context.newPage(); page.on("console", (m) => { if (m.text().startsWith("WAIT")) console.log(m.text()); });
// CORES=n makes the page believe the machine has n cores (it starts one full-run worker per core).
if (process.env.CORES) {
  await page.addInitScript((n) => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n });
  }, Number(process.env.CORES));
}
await page.goto(server.base + '#/explore');
await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1);
await page.locator('#group-population summary').click();

const times = [];
for (let i = 0; i < UPDATES; i++) {
  times.push(await page.evaluate((value) => new Promise((done) => {
    const ids = ['load', 'backlog', 'delivery', 'compliance', 'hits'];
    const before = ids.map((id) => document.getElementById(`${id}-chart`).dataset.draws);
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (ids.every((id, k) => document.getElementById(`${id}-chart`).dataset.draws !== before[k])) {
        observer.disconnect();
        done(performance.now() - t0);
      }
    });
    for (const id of ids) observer.observe(document.getElementById(`${id}-chart`), { attributes: true, attributeFilter: ['data-draws'] });
    const field = document.getElementById('f-population-export_share');
    field.value = value;
    field.dispatchEvent(new Event('change'));
  }), String(8 + (i % 2 ? 0 : 0.5) + i * 0.01)));
}
times.sort((a, b) => a - b);
const q = (p) => +times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
const result = { preview_update_ms_median: q(0.5), preview_update_ms_p95: q(0.95), preview_update_ms_max: q(1), updates: UPDATES, target_p95_ms: 100 };

if (FULL) {
  await page.locator('#restore-defaults').click();
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: false });
  });
  await page.locator('#full-run-start').click();
  await page.locator('#full-run-done').waitFor({ timeout: 20 * 60 * 1000 });
  const note = await page.locator('#preview-note').innerText();
  const long = await page.evaluate(() => window.__long);
  result.full_run_seconds = Number(note.match(/in ([\d.]+) s/)?.[1]);
  result.full_run_requests = note.match(/([\d,]+) requests/)?.[1];
  const done = await page.locator('#full-run-done').innerText();
  result.full_run_workers = Number(done.match(/on (\d+) background workers/)?.[1]);
  result.largest_worker_memory_mb = Number(done.match(/largest used ([\d,]+) MB/)?.[1].replace(/,/g, ''));
  // Where each worker's time went (worker 0: the DSP; the others: routes).
  result.worker_times = JSON.parse(await page.locator('#full-run-done').getAttribute('data-worker-times') || 'null');
  result.long_tasks_over_50ms = long.length;
  result.longest_task_ms = long.length ? +Math.max(...long).toFixed(0) : 0;
}
console.log(JSON.stringify(result));
await browser.close();
await server.close();
