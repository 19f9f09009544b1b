// Bench (not a test): Explore's "What would it take?" in headless Chromium.
//  - a sizing search at preview scale: every route capacity for 90% of MHHS data by 07:00, under
//    the three DCC policies at once, in the page's background workers (target <= 2 s), and the
//    whole answer with its frontier lines;
//  - a tornado over every ranged assumption at preview scale (target <= 5 s);
//  - main-thread tasks over 50 ms meanwhile (the Long Tasks API).
// Each is run RUNS times (default 3); the median counts.
import { startServer, launch } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 3);
const server = await startServer();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
await page.goto(server.base + '#/explore');
await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1);
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: false });
});
await page.selectOption('#size-capacity', { label: "Every route capacity together (× today's values)" });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const search = [], whole = [], tornado = [];
let answer = '';
for (let i = 0; i < RUNS; i++) {
  await page.locator('#size-find').click();
  await page.locator('#size-done').waitFor({ timeout: 120000 });
  answer = await page.locator('#size-done').innerText();
  search.push(Number(await page.locator('#what-it-takes').getAttribute('data-search-ms')));
  whole.push(Number(/preview runs in ([\d.]+) s/.exec(answer)[1]) * 1000);
  await page.locator('#size-sensitivity').click();
  await page.locator('#size-done').waitFor({ timeout: 120000 });
  tornado.push(Number(await page.locator('#what-it-takes').getAttribute('data-tornado-ms')));
}
const long = await page.evaluate(() => window.__long);
console.log(JSON.stringify({
  runs: RUNS,
  workers: await page.evaluate(() => Math.min(8, Math.max(2, navigator.hardwareConcurrency || 2))),
  search_ms: search, search_ms_median: median(search),
  answer_with_frontier_ms_median: median(whole),
  tornado_ms: tornado, tornado_ms_median: median(tornado),
  answer: answer.split('. ')[0],
  long_tasks_over_50ms: long.length, longest_task_ms: long.length ? +Math.max(...long).toFixed(0) : 0,
}));
await browser.close();
await server.close();
