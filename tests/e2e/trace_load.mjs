// Diagnostic (not a test): a Chromium trace of one load of Explore (or of HASH), and what each main-thread task
// over 50 ms spent its time on (the longest events inside it). TRACE=path keeps the raw trace.
// SAMPLES=1 adds V8's CPU samples and prints the functions with the most time in each task; for
// names, trace a build whose page wasm keeps its name section (DIST=... built with data-keep-debug
// and data-wasm-opt="0"). OVER=ms lists tasks over that instead of 50 ms (tracing slows tasks:
// what is near the line shows at 30).
import { writeFile } from 'node:fs/promises';
import { startServer, launch, chartsDrawn } from './harness.mjs';

const server = await startServer();
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
await browser.startTracing(page, {
  categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'v8.execute', 'blink', 'loading', 'disabled-by-default-devtools.timeline.stack', 'disabled-by-default-devtools.timeline.invalidationTracking', ...(process.env.SAMPLES ? ['disabled-by-default-v8.cpu_profiler'] : [])],
});
// HASH=... traces another page's load instead, until WAIT_FOR (a CSS selector) is there and then
// three seconds more (HASH='#/respond/section/technical' WAIT_FOR='#evidence-srv_4_1_1-table tbody tr').
if (process.env.HASH) {
  await page.goto(server.base + process.env.HASH);
  await page.waitForSelector(process.env.WAIT_FOR || 'body[data-ready="1"] main h1', { timeout: 60000 });
  await page.waitForTimeout(3000);
} else {
  await page.goto(server.base + '#/explore');
  await chartsDrawn(page);
  await page.waitForTimeout(500);
}
const buffer = await browser.stopTracing();
if (process.env.TRACE) await writeFile(process.env.TRACE, buffer);
await browser.close();
await server.close();

const events = JSON.parse(buffer.toString()).traceEvents;
const names = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
const main = (e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain';
const complete = events.filter((e) => e.ph === 'X' && main(e));
const tasks = complete.filter((e) => e.name === 'RunTask' && e.dur > Number(process.env.OVER || 50) * 1000).sort((a, b) => a.ts - b.ts);
const t0 = Math.min(...complete.map((e) => e.ts));

// V8's samples of the main thread (SAMPLES=1): the profile's chunks come from the sampler's thread,
// tied to the main thread's profile by its id; their times are on the trace's clock.
const profile = events.find((e) => e.name === 'Profile' && main(e));
const nodes = new Map();
const samples = [];
if (profile) {
  let t = profile.args.data.startTime;
  for (const c of events.filter((e) => e.name === 'ProfileChunk' && e.pid === profile.pid && e.id === profile.id)) {
    const { cpuProfile = {}, timeDeltas = [] } = c.args.data;
    for (const n of cpuProfile.nodes || []) nodes.set(n.id, n);
    (cpuProfile.samples || []).forEach((id, i) => { t += timeDeltas[i]; samples.push({ id, t }); });
  }
}
/** The functions with the most time (their own and their callees') in a task, from the samples. */
function timeByFunction(task) {
  const inside = samples.filter((s) => s.t >= task.ts && s.t <= task.ts + task.dur);
  const count = new Map();
  for (const s of inside) {
    const seen = new Set();
    for (let n = nodes.get(s.id); n; n = nodes.get(n.parent)) {
      const name = (n.callFrame.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
      if (!seen.has(name)) count.set(name, (count.get(name) || 0) + 1);
      seen.add(name);
    }
  }
  const ms = task.dur / 1000 / Math.max(1, inside.length);
  return [...count].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 25)).map(([k, c]) => `${(c * ms).toFixed(1)} ${k.slice(0, 140)}`);
}
for (const task of tasks) {
  const inside = complete.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
  const byName = new Map();
  for (const e of inside) {
    const key = `${e.name}${e.args?.data?.url ? ' ' + e.args.data.url.split('/').pop() : ''}`;
    byName.set(key, Math.max(byName.get(key) || 0, e.dur));
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, d]) => `${k} ${(d / 1000).toFixed(1)}`);
  console.log(`task at ${((task.ts - t0) / 1000).toFixed(0)} ms: ${(task.dur / 1000).toFixed(1)} ms\n  ${top.join('\n  ')}`);
  if (samples.length) console.log(`  functions, time inside them:\n    ${timeByFunction(task).join('\n    ')}`);
}
