// Diagnostic (not a test): a Chromium trace of one load of Explore, and what each main-thread task
// over 50 ms spent its time on (the longest events inside it). TRACE=path keeps the raw trace.
import { writeFile } from 'node:fs/promises';
import { startServer, launch } from './harness.mjs';

const server = await startServer();
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
await browser.startTracing(page, {
  categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'v8.execute', 'blink', 'loading', 'disabled-by-default-devtools.timeline.stack', 'disabled-by-default-devtools.timeline.invalidationTracking', ...(process.env.SAMPLES ? ['disabled-by-default-v8.cpu_profiler'] : [])],
});
await page.goto(server.base + '#/explore');
await page.waitForFunction(() => ['load', 'backlog', 'delivery', 'compliance', 'hits']
  .every((id) => Number(document.getElementById(`${id}-chart`)?.dataset.draws || 0) > 0), null, { timeout: 60_000 });
await page.waitForTimeout(500);
const buffer = await browser.stopTracing();
if (process.env.TRACE) await writeFile(process.env.TRACE, buffer);
await browser.close();
await server.close();

const events = JSON.parse(buffer.toString()).traceEvents;
const names = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
const main = (e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain';
const complete = events.filter((e) => e.ph === 'X' && main(e));
const tasks = complete.filter((e) => e.name === 'RunTask' && e.dur > 50_000).sort((a, b) => a.ts - b.ts);
const t0 = Math.min(...complete.map((e) => e.ts));
for (const task of tasks) {
  const inside = complete.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
  const byName = new Map();
  for (const e of inside) {
    const key = `${e.name}${e.args?.data?.url ? ' ' + e.args.data.url.split('/').pop() : ''}`;
    byName.set(key, Math.max(byName.get(key) || 0, e.dur));
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, d]) => `${k} ${(d / 1000).toFixed(1)}`);
  console.log(`task at ${((task.ts - t0) / 1000).toFixed(0)} ms: ${(task.dur / 1000).toFixed(1)} ms\n  ${top.join('\n  ')}`);
}
