import { startServer, launch } from './harness.mjs';
const server = await startServer();
const browser = await launch();
const page = await browser.newPage();
await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'v8.wasm'] });
await page.goto(server.base + (process.env.HASH || '#/explore'));
await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws || 0) > 0, null, { timeout: 60000 });
await page.waitForTimeout(300);
const buf = await browser.stopTracing();
const ev = JSON.parse(buf.toString()).traceEvents;
for (const e of ev.filter((e) => (e.name === "Layout" || e.name === "UpdateLayoutTree") && e.dur > 5000)) console.log(e.name, (e.dur/1000).toFixed(1), JSON.stringify(e.args).slice(0, 300));
const main = ev.filter((e) => e.name === 'RunTask' && e.dur > 40000);
for (const t of main) {
  const inside = ev.filter((e) => e.tid === t.tid && e.ts >= t.ts && e.ts < t.ts + t.dur && e.ph === 'X' && e.name !== 'RunTask');
  const agg = new Map();
  for (const e of inside) agg.set(e.name, (agg.get(e.name) || 0) + e.dur / 1000);
  console.log(`task at ${((t.ts - ev[0].ts) / 1000).toFixed(0)} ms: ${(t.dur / 1000).toFixed(0)} ms, tid ${t.tid}`);
  [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).forEach(([k, v]) => console.log('   ', v.toFixed(1).padStart(7), k));
}
await browser.close(); await server.close();
