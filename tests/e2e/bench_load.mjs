// Bench (not a test): the explorer's load in headless Chromium, from navigation until its first
// preview has drawn all five charts: main-thread tasks over 50 ms (the Long Tasks API, observed
// from before the page's first script), over several fresh loads.
import { startServer, launch, chartsDrawn, pageWatchingLongTasks, longTasks } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 5);
const server = await startServer();
const browser = await launch();
const loads = [];
for (let i = 0; i < RUNS; i++) {
  const { page, context } = await pageWatchingLongTasks(browser);
  const t0 = Date.now();
  await page.goto(server.base + '#/explore');
  await chartsDrawn(page);
  // Anything still queued from the load runs before it is counted.
  await page.waitForTimeout(500);
  loads.push({ drawn_ms: Date.now() - t0, long: await longTasks(page) });
  await context.close();
}
await browser.close();
await server.close();
const longest = loads.map((l) => Math.max(0, ...l.long.map((t) => t.ms))).sort((a, b) => a - b);
console.log(JSON.stringify({
  loads: RUNS,
  long_tasks_per_load: loads.map((l) => l.long.length),
  longest_task_ms_median: longest[Math.floor(RUNS / 2)],
  longest_task_ms_each: longest,
  tasks_over_50ms_first_load: loads[0].long,
}));
