// Bench (not a test): 200 responses (each a complete response with model evidence, ~76 kB) loaded
// into Consolidate in headless Chromium. Times, from the file input's change event: all files read,
// checked and summarised (status shows 200 loaded), and the combined model run drawn.
import { startServer, launch } from './harness.mjs';
import { makeResponses } from './responses.mjs';

const N = Number(process.env.RESPONSES || 200);
const server = await startServer();
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
await page.goto(server.base + '#/consolidate');
await page.waitForSelector('body[data-ready="1"] main h1');
await page.evaluate((n) => {
  document.getElementById('response-files').addEventListener('change', () => { window.__t0 = performance.now(); }, { capture: true });
  new MutationObserver(() => {
    if (!window.__t1 && new RegExp(`^${n} responses loaded`).test(document.getElementById('load-status').textContent)) window.__t1 = performance.now();
    const chart = document.getElementById('combined-load-chart');
    if (!window.__t2 && chart && chart.dataset.draws === '1') window.__t2 = performance.now();
  }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true, attributes: true });
}, N);
const files = makeResponses(N);
const bytes = files.reduce((s, f) => s + f.buffer.length, 0);
await page.setInputFiles('#response-files', files);
await page.waitForFunction(() => window.__t1 && window.__t2, null, { timeout: 120000 });
const [t0, t1, t2] = await page.evaluate(() => [window.__t0, window.__t1, window.__t2]);
console.log(JSON.stringify({
  responses: N, megabytes: +(bytes / 1e6).toFixed(1),
  load_and_summarise_ms: +(t1 - t0).toFixed(0), with_combined_model_and_charts_ms: +(t2 - t0).toFixed(0), target_ms: 2000,
}));
await browser.close();
await server.close();
