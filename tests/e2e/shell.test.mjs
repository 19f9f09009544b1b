// The app shell: sub-path loading, deep links, keyboard-only navigation, axe, no outside
// requests, the Content-Security-Policy and the fail-safe message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, assertClean, ready, axe, screenshot } from './harness.mjs';

const AREAS = [
  { hash: '#/', h1: /MP162: collecting half-hourly data/ , shot: 'home' },
  { hash: '#/explore', h1: /Explore the traffic model/, nav: 'Explore', shot: 'explore' },
  { hash: '#/respond', h1: /Respond to the MP162 consultation/, nav: 'Respond', shot: 'respond' },
  { hash: '#/consolidate', h1: /Consolidate responses/, nav: 'Consolidate', shot: 'consolidate' },
  { hash: '#/about', h1: /About this tool/, nav: 'About', shot: 'about' },
];

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('loads under the GitHub Pages sub-path with every asset found', async () => {
  const { page, context, problems } = await openPage(browser, server.origin);
  const res = await page.goto(server.base);
  assert.equal(res.status(), 200);
  await ready(page);
  assert.match(await page.locator('header').innerText(), /MP162 consultation explorer/);
  assert.equal(await page.locator('footer').count(), 1);
  assertClean(assert, problems);
  await context.close();
});

for (const area of AREAS) {
  test(`deep link ${area.hash} shows its page, survives a reload and passes axe`, async () => {
    const { page, context, problems } = await openPage(browser, server.origin);
    await page.goto(server.base + area.hash);
    await ready(page);
    assert.match(await page.locator('main h1').innerText(), area.h1);
    await page.reload();
    await ready(page);
    assert.match(await page.locator('main h1').innerText(), area.h1);
    if (area.nav) {
      assert.equal(await page.locator(`nav a[aria-current="page"]`).innerText(), area.nav);
      assert.match(await page.title(), new RegExp(area.nav));
    }
    const violations = await axe(page);
    assert.deepEqual(violations, [], `axe violations on ${area.hash}: ${JSON.stringify(violations, null, 1)}`);
    await screenshot(page, `shell-${area.shot}`);
    assertClean(assert, problems);
    await context.close();
  });
}

test('every area is reachable by keyboard alone, starting with the skip link', async () => {
  const { page, context, problems } = await openPage(browser, server.origin);
  await page.goto(server.base);
  await ready(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main-content');
  for (const area of AREAS.filter((a) => a.nav)) {
    await page.goto(server.base + '#/');
    await page.reload();
    await ready(page);
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate((label) => document.activeElement?.closest('nav') !== null && document.activeElement.textContent === label, area.nav);
    }
    assert.ok(found, `Tab never reached the ${area.nav} link`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('main h1')?.textContent || ''), area.h1.source);
    // Focus moves to the new page's heading once it has rendered.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 3000 });
  }
  assertClean(assert, problems);
  await context.close();
});

test('the Content-Security-Policy admits the app and blocks injected scripts', async () => {
  const { page, context, problems } = await openPage(browser, server.origin);
  const res = await page.goto(server.base);
  const html = await res.text();
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] || '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /'sha256-[A-Za-z0-9+/=]+'/, 'the inline start-up script is allowed by hash');
  assert.doesNotMatch(csp, /__INLINE_SCRIPT_HASHES__|'unsafe-eval'/);
  for (const directive of csp.split(';').map((d) => d.trim())) {
    if (!directive.startsWith('style-src-attr')) assert.doesNotMatch(directive, /'unsafe-inline'/, directive);
  }
  await ready(page);
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return window.__injected === true;
  });
  assert.equal(ran, false, 'an injected inline script must not run');
  assert.ok(problems.console.every((m) => /Content Security Policy/.test(m)), problems.console.join('\n'));
  assertClean(assert, problems, { allowConsole: true });
  await context.close();
});

test('a panic shows a message that answers are kept, with a working reload link', async () => {
  const { page, context, problems } = await openPage(browser, server.origin);
  await page.goto(server.base + '#/panic-check');
  const box = page.locator('#fail-safe[role="alert"]');
  await box.waitFor();
  const text = await box.innerText();
  assert.match(text, /Something went wrong/);
  assert.match(text, /saved answers are kept/);
  assert.match(text, /deliberate panic/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fail-safe', 'focus moves to the message');
  await screenshot(page, 'shell-panic');
  const href = await page.locator('#fail-safe-reload').getAttribute('href');
  assert.match(href, /^\?reload=\d+#\/panic-check$/);
  await Promise.all([page.waitForEvent('load'), page.locator('#fail-safe-reload').click()]);
  assert.match(page.url(), /\?reload=\d+#\/panic-check$/, 'the link reloads the page on the same route');
  assert.ok(problems.console.some((m) => /deliberate panic/.test(m)), 'the panic is also logged');
  assertClean(assert, problems, { allowConsole: true });
  await context.close();
});

test('an unknown route says so and offers the way back', async () => {
  const { page, context, problems } = await openPage(browser, server.origin);
  await page.goto(server.base + '#/no-such-page');
  await ready(page);
  assert.equal(await page.locator('main h1').innerText(), 'Page not found');
  assertClean(assert, problems);
  await context.close();
});
