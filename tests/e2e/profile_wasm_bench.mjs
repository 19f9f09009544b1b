// Profiling aid (not a test): opens the model's wasm benchmarks (tests/wasm_bench.rs, served by
// wasm-bindgen-test-runner with NO_HEADLESS=1 at URL) in headless Chromium with V8's sampling
// profiler on, and prints the functions where the time went (self time, top TOP), to set beside a
// native `perf report` of the same day: a function that takes a larger share in wasm than natively
// is where the browser's engine struggles.
import { BENCH_DONE, benchLines, launch } from './harness.mjs';

const URL = process.env.URL;
const TOP = Number(process.env.TOP || 30);
if (!URL) throw new Error('URL: the address wasm-bindgen-test-runner serves the tests at');
const browser = await launch();
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  await page.goto(URL);
  await page.waitForFunction((done) => new RegExp(done).test(document.body?.innerText || ''), BENCH_DONE.source, { timeout: 30 * 60 * 1000, polling: 1000 });
  const { profile } = await cdp.send('Profiler.stop');
  const text = await page.evaluate(() => document.body.innerText);
  for (const line of benchLines(text)) console.log(line);
  // Self time per function: each sample counts for the node it landed in.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (const id of profile.samples) {
    const f = byId.get(id).callFrame;
    const name = f.functionName || `(${f.url.split('/').pop() || 'program'})`;
    self.set(name, (self.get(name) || 0) + 1);
  }
  const total = profile.samples.length;
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [name, n] of rows) console.log(`${(100 * n / total).toFixed(2).padStart(6)}%  ${name}`);
} finally {
  await browser.close();
}
