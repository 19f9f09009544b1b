// Shared pieces of the end-to-end journeys: a static server for the release build under the
// GitHub Pages sub-path, Debian's Chromium through Playwright, and the checks every page must pass
// (no console errors, no failed request, nothing fetched from outside 127.0.0.1, axe clean).
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.DIST || join(here, '..', '..', 'dist');
export const BASE_PATH = process.env.BASE_PATH || '/mp162-explorer/';
export const SHOTS = process.env.SHOTS || join(here, 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain',
};

/** Serves `dist` under `basePath` on 127.0.0.1 (a free port); anything else is a 404. */
export async function startServer(dist = DIST, basePath = BASE_PATH) {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build at ${dist}: run trunk build --release first`);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(basePath)) { res.writeHead(404).end('not under ' + basePath); return; }
    let rel = decodeURIComponent(url.pathname.slice(basePath.length)) || 'index.html';
    const file = normalize(join(dist, rel));
    if (!file.startsWith(normalize(dist))) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch { res.writeHead(404).end('not found'); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, base: origin + basePath, close: () => new Promise((ok) => server.close(ok)) };
}

/** True once the page wasm-bindgen-test-runner serves (NO_HEADLESS) shows its tests' result. */
export const BENCH_DONE = /test result: \w+/;

/** The figures in that page's text, one a line: its lines run together, each figure starts BENCH. */
export function benchLines(text) {
  return text.split(/\n|(?=BENCH )/).filter((l) => /BENCH|test result/.test(l)).map((l) => l.trim());
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A fresh page that records what must never happen: console errors, uncaught errors, failed
 * requests and requests to anywhere but the test server.
 */
export async function openPage(browser, origin, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 }, ...options });
  const page = await context.newPage();
  return { page, context, problems: watch(page, origin) };
}

/** Records on `page` what must never happen (for a second page of a context, too). */
export function watch(page, origin) {
  const problems = { console: [], pageErrors: [], failed: [], external: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  // A request the page itself cancelled (a worker stopped while its script loads) is not a failure.
  page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.failed.push(`${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.failed.push(`${r.url()} HTTP ${r.status()}`); });
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:'))) problems.external.push(u);
  });
  return problems;
}

/** Fails unless the page stayed clean (pass `allowConsole` where an error is the point). */
export function assertClean(assert, problems, { allowConsole = false } = {}) {
  assert.deepEqual(problems.external, [], 'requests left 127.0.0.1');
  assert.deepEqual(problems.failed, [], 'failed requests');
  if (!allowConsole) {
    assert.deepEqual(problems.console, [], 'console errors');
    assert.deepEqual(problems.pageErrors, [], 'page errors');
  }
}

/** Waits until Explore's five charts have each drawn at least once (its first preview is in). */
export async function chartsDrawn(page) {
  await page.waitForFunction(() => ['load', 'backlog', 'delivery', 'compliance', 'hits']
    .every((id) => Number(document.getElementById(`${id}-chart`)?.dataset.draws || 0) > 0), null, { timeout: 60_000 });
}

/**
 * A fresh page (in a context of its own) that records its main-thread tasks over 50 ms from before
 * its first script (the Long Tasks API); `longTasks(page)` reads them as { at, ms }.
 */
export async function pageWatchingLongTasks(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push({ at: Math.round(e.startTime), ms: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  });
  return { page, context };
}

/** The long tasks a `pageWatchingLongTasks` page has had so far. */
export const longTasks = (page) => page.evaluate(() => window.__long);

/** Waits until the app has mounted. */
export async function ready(page) {
  await page.waitForSelector('body[data-ready="1"] main h1');
}

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page; returns the violations. */
export async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
