// Diagnostic (not a test): a CPU profile (V8's sampler, 100 µs) of one load of Explore, and the
// functions with the most self time in each main-thread task over 50 ms. For names, profile a
// build whose page wasm keeps its name section (DIST=... a build with data-keep-debug, no wasm-opt).
import { startServer, launch } from './harness.mjs';

const server = await startServer();
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
});
await cdp.send('Profiler.start');
await page.goto(server.base + '#/explore');
await page.waitForFunction(() => ['load', 'backlog', 'delivery', 'compliance', 'hits']
  .every((id) => Number(document.getElementById(`${id}-chart`)?.dataset.draws || 0) > 0), null, { timeout: 60_000 });
await page.waitForTimeout(500);
const { profile } = await cdp.send('Profiler.stop');
const long = await page.evaluate(() => window.__long);
const origin = await page.evaluate(() => performance.timeOrigin);
await browser.close();
await server.close();

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
// Sample times: profile.startTime is in µs of the monotonic clock; map to page time via the first
// long task is not possible, so report per time window relative to the profile start too.
let t = profile.startTime;
const samples = profile.samples.map((id, i) => { t += profile.timeDeltas[i]; return { id, t }; });
const depth = Number(process.env.DEPTH || 12);
for (const task of long) {
  // performance.now() + timeOrigin (ms, epoch) vs the profiler's monotonic µs: align on the nav.
  console.log(`long task at ${task.at.toFixed(0)} ms, ${task.ms.toFixed(0)} ms`);
}
// Windows of busy samples (not idle/program/GC idle) over 40 ms, which match the long tasks.
const idle = new Set(profile.nodes.filter((n) => ['(idle)'].includes(n.callFrame.functionName)).map((n) => n.id));
let win = [];
const windows = [];
for (const s of samples) {
  if (idle.has(s.id)) { if (win.length) { windows.push(win); win = []; } continue; }
  if (win.length && s.t - win[win.length - 1].t > 2000) { windows.push(win); win = []; }
  win.push(s);
}
if (win.length) windows.push(win);
for (const w of windows) {
  const span = (w[w.length - 1].t - w[0].t) / 1000;
  if (span < 30) continue;
  console.log(`\nbusy ${span.toFixed(1)} ms from ${((w[0].t - profile.startTime) / 1000).toFixed(0)} ms after profile start`);
  const self = new Map();
  const incl = new Map();
  for (const s of w) {
    const n = byId.get(s.id);
    self.set(name(n), (self.get(name(n)) || 0) + 1);
    const seen = new Set();
    for (let id = s.id; id; id = parent.get(id)) {
      const k = name(byId.get(id));
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) || 0) + 1);
    }
  }
  const ms = (c) => (c * span / w.length).toFixed(1);
  console.log(' self:'); for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, depth)) console.log(`   ${ms(c)} ${k}`);
  console.log(' inclusive:'); for (const [k, c] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, depth * 3)) console.log(`   ${ms(c)} ${k}`);
}
