// Diagnostic (not a test): two builds' page loads side by side in traced Chromium, interleaved
// (a shared machine's hour moves the figures more than most changes do). For each page in HASHES
// (default Respond's technical section) and each of ROUNDS rounds, one load from build A and one
// from build B, alternating which goes first; prints each build's longest main-thread task per load
// and how many tasks went over 50 and 35 ms (tracing slows tasks: what is near the line shows at 35).
//   A=/path/to/dist-before B=dist ROUNDS=8 HASHES='#/explore,#/respond/section/technical' node ab_loads.mjs
import { startServer, launch } from './harness.mjs';

const hashes = (process.env.HASHES || '#/respond/section/technical').split(',');
if (!process.env.A) throw new Error('A: the folder of the build to compare with (B, default dist, is the other)');
const builds = { A: process.env.A, B: process.env.B || undefined };
const servers = {};
for (const k in builds) servers[k] = await startServer(builds[k]);
const browser = await launch();
const loads = {};
for (let round = 0; round < Number(process.env.ROUNDS || 6); round++) {
  for (const hash of hashes) {
    for (const k of round % 2 ? ['B', 'A'] : ['A', 'B']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'] });
      await page.goto(servers[k].base + hash);
      await page.waitForSelector('body[data-ready="1"] main h1', { timeout: 60_000 });
      await page.waitForTimeout(3500);
      const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
      const names = new Map();
      for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
      const tasks = events
        .filter((e) => e.ph === 'X' && e.name === 'RunTask' && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')
        .map((e) => e.dur / 1000);
      (loads[`${hash} ${k}`] ||= []).push({
        longest: Math.round(Math.max(0, ...tasks)),
        over50: tasks.filter((d) => d > 50).length,
        over35: tasks.filter((d) => d > 35).length,
      });
      await context.close();
    }
  }
}
await browser.close();
for (const k in servers) await servers[k].close();
for (const [key, v] of Object.entries(loads)) {
  const sorted = v.map((x) => x.longest).sort((a, b) => a - b);
  const sum = (f) => v.reduce((a, x) => a + f(x), 0);
  console.log(`${key.padEnd(36)} longest each load: ${v.map((x) => x.longest).join(' ')} | median ${sorted[Math.floor(sorted.length / 2)]} ms | over 50 ms: ${sum((x) => x.over50)} | over 35 ms: ${sum((x) => x.over35)}`);
}
