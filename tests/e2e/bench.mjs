// Bench (not a test): time from navigation to an interactive page, over several fresh loads.
import { startServer, launch } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 7);
const server = await startServer();
const browser = await launch();
const times = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.base);
  await page.waitForSelector('body[data-ready="1"]');
  times.push(await page.evaluate(() => performance.getEntriesByName('mp162-interactive')[0]?.startTime ?? NaN));
  await context.close();
}
await browser.close();
await server.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(JSON.stringify({ interactive_ms_median: +median.toFixed(1), interactive_ms_all: times.map((t) => +t.toFixed(1)), target_ms: 1000 }));
