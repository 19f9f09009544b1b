import { startServer, launch } from './harness.mjs';
const server = await startServer(process.env.DIST);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
await page.goto(server.base + '#/explore');
await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1);
await page.locator('#group-population summary').click();
await page.waitForTimeout(1500);
await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'disabled-by-default-v8.cpu_profiler'] });
const marks = [];
for (let i = 0; i < 6; i++) {
  marks.push(await page.evaluate((value) => new Promise((done) => {
    const ids = ['load', 'backlog', 'delivery', 'compliance', 'hits'];
    const before = ids.map((id) => document.getElementById(`${id}-chart`).dataset.draws);
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (ids.every((id, k) => document.getElementById(`${id}-chart`).dataset.draws !== before[k])) { observer.disconnect(); done([t0, performance.now() - t0]); }
    });
    for (const id of ids) observer.observe(document.getElementById(`${id}-chart`), { attributes: true, attributeFilter: ['data-draws'] });
    const field = document.getElementById('f-population-export_share');
    field.value = value; field.dispatchEvent(new Event('change'));
  }), String(8.3 + i * 0.01)));
  await page.waitForTimeout(300);
}
const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
await browser.close(); await server.close();
const names = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.dur > 1000).map((e) => ({ th: names.get(`${e.pid}:${e.tid}`) || '?', ts: e.ts, dur: e.dur / 1000 }));
const t0 = Math.min(...tasks.map((t) => t.ts));
// Group by update: print each thread's tasks in time order for the 3rd update window.
console.log('updates (ms):', marks.map((m) => m[1].toFixed(1)).join(' '));
const th = {};
for (const t of tasks) { (th[t.th] ||= []).push(t); }
for (const [k, v] of Object.entries(th)) console.log(k, 'tasks>1ms', v.length, 'sum', v.reduce((a, t) => a + t.dur, 0).toFixed(0), 'ms; longest', v.map((t) => t.dur.toFixed(1)).sort((a, b) => b - a).slice(0, 8).join(' '));
// Timeline of a window around the 4th update: first main-thread task after it
const main = th['CrRendererMain'] || [];
const isMain = (e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain';
const profile = events.find((e) => e.name === 'Profile' && isMain(e));
const nodes = new Map(); const samples = [];
if (profile) { let t = profile.args.data.startTime;
  for (const c of events.filter((e) => e.name === 'ProfileChunk' && e.pid === profile.pid && e.id === profile.id)) {
    const { cpuProfile = {}, timeDeltas = [] } = c.args.data;
    for (const n of cpuProfile.nodes || []) nodes.set(n.id, n);
    (cpuProfile.samples || []).forEach((id, i) => { t += timeDeltas[i]; samples.push({ id, t }); }); } }
const big = tasks.filter((t) => t.th === 'CrRendererMain' && t.dur > 12);
for (const task of big) {
  const inside = samples.filter((s) => s.t >= task.ts && s.t <= task.ts + task.dur * 1000);
  const count = new Map();
  for (const s of inside) { const seen = new Set(); for (let n = nodes.get(s.id); n; n = nodes.get(n.parent)) { const name = (n.callFrame.functionName || '(anon)').replace(/::h[0-9a-f]{16}$/, ''); if (!seen.has(name)) count.set(name, (count.get(name) || 0) + 1); seen.add(name); } }
  const ms = task.dur / Math.max(1, inside.length);
  console.log(`main task ${task.dur.toFixed(1)} ms:\n  ` + [...count].sort((a, b) => b[1] - a[1]).filter(([k]) => !/wasm_bindgen|js-to-wasm|wasm-to-js|js_sys::futures|Pin<P>|\(root\)|^real$|tachys|reactive_graph|alloc::|core::/.test(k)).slice(0, 22).map(([k, c]) => `${(c * ms).toFixed(1)} ${k.slice(0, 140)}`).join('\n  '));
}
const tl = tasks.filter((t) => t.dur > 2).sort((a, b) => a.ts - b.ts).map((t) => `${((t.ts - t0) / 1000).toFixed(0)}+${t.dur.toFixed(1)} ${t.th}`);
console.log(tl.slice(0, 80).join('\n'));
