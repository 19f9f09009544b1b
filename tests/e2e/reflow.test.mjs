// Reflow (WCAG 2.2 SC 1.4.10): at 320 CSS px wide every page of every area works without the page
// scrolling sideways; tables and charts may scroll inside their own box. A screenshot of each page
// is kept for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, assertClean, ready, screenshot } from './harness.mjs';
import { makeResponses } from './responses.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PAGES = [
  ['home', '#/'],
  ['explore', '#/explore', async (page) => {
    await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1);
    // Every group of controls and every disclosure open: the widest the page gets.
    for (const summary of await page.locator('main details > summary').all()) {
      if (await summary.isVisible()) await summary.click();
    }
  }],
  ['respond', '#/respond'],
  ...['about-you', 'portfolio', 'technical', 'nfr', 'impact'].map((id) => [`respond-${id}`, `#/respond/section/${id}`, async (page) => {
    if (id === 'technical') await page.waitForSelector('[id^="evidence-"][id$="-table"]');
  }]),
  ['respond-check', '#/respond/check'],
  ['consolidate', '#/consolidate', async (page) => {
    await page.setInputFiles('#response-files', makeResponses(6));
    await page.waitForFunction(() => /6 responses loaded/.test(document.getElementById('load-status').textContent));
    await page.waitForSelector('#combined-load-chart[data-draws="1"]');
    // The capacity the combined load would need, and its tornado chart.
    await page.waitForFunction(() => Number(document.getElementById('combined-capacity-tornado-chart')?.dataset.draws || 0) >= 1, null, { timeout: 60000 });
    for (const summary of await page.locator('main details > summary').all()) {
      if (await summary.isVisible()) await summary.click();
    }
  }],
  ['about', '#/about'],
  ['not-found', '#/no-such-page'],
];

for (const [name, hash, prepare] of PAGES) {
  test(`${name} reflows at 320 px: no sideways scrolling of the page`, async () => {
    const { page, context, problems } = await openPage(browser, server.origin, { viewport: { width: 320, height: 720 } });
    await page.goto(server.base + hash);
    await ready(page);
    if (prepare) await prepare(page);
    const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // What sticks out, outside the boxes that are allowed to scroll on their own.
      const wide = [...document.querySelectorAll('main *, header *, footer *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap, .table-scroll'))
        .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ')[0] : ''}`);
      return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, wide };
    });
    assert.ok(scrollWidth <= clientWidth, `${hash} is ${scrollWidth} px wide at ${clientWidth} px: ${wide.join(', ')}`);
    assert.deepEqual(wide, [], `${hash}: these stick out`);
    await screenshot(page, `reflow-${name}`);
    assertClean(assert, problems);
    await context.close();
  });
}

// Layout stability: a page that mounts in pieces must not move what is already on the screen
// (a button moved under the pointer takes the click meant for it: a WebKit journey's full-scale
// run once never started so). Cumulative layout shift, as Chromium measures it, stays under 0.05
// from the start of each load until it has settled ("good" is under 0.1).
const SETTLED_MS = 1500;
for (const [width, hashes] of [
  [1400, ['#/', '#/explore', '#/respond', '#/respond/section/about-you', '#/respond/section/technical', '#/respond/check', '#/consolidate', '#/about']],
  [320, ['#/explore', '#/respond/section/portfolio', '#/respond/check', '#/about']],
]) {
  test(`at ${width} px, loading a page moves nothing already shown`, async () => {
    const { page, context, problems } = await openPage(browser, server.origin, { viewport: { width, height: 900 } });
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const who = (e.sources || []).map((s) => `${s.node?.id || s.node?.className || s.node?.nodeName}: ${(s.node?.textContent || '').slice(0, 40)}`);
          window.__shifts.push({ value: e.value, who: who.join(' | ') });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const hash of hashes) {
      await page.goto(server.base + hash);
      await page.reload();
      await ready(page);
      if (hash === '#/explore') await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1);
      await page.waitForTimeout(SETTLED_MS);
      const shifts = await page.evaluate(() => window.__shifts);
      const total = shifts.reduce((a, s) => a + s.value, 0);
      assert.ok(total < 0.05, `${hash} at ${width} px: layout shift ${total.toFixed(3)}: ${JSON.stringify(shifts)}`);
    }
    assertClean(assert, problems);
    await context.close();
  });
}
