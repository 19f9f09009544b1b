// Explore: assumption controls, live preview, charts (hover, keyboard, table, PNG/SVG/CSV),
// full-scale run and cancel, compare with a baseline, shared links (good, damaged, hostile).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, assertClean, ready, axe, screenshot } from './harness.mjs';

const CHARTS = ['load', 'backlog', 'delivery', 'compliance', 'hits'];

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function openExplore(hash = '#/explore', options = {}, { noWorkers = false, cores = null } = {}) {
  const opened = await openPage(browser, server.origin, { viewport: { width: 1400, height: 1000 }, ...options });
  // A browser that cannot start Web Workers.
  if (noWorkers) await opened.page.addInitScript(() => { delete window.Worker; });
  // A machine with more cores than this one: the browser says so.
  if (cores) {
    await opened.page.addInitScript((n) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n });
    }, cores);
  }
  await opened.page.goto(server.base + hash);
  await ready(opened.page);
  await opened.page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1);
  return opened;
}

/** Sets a 20,000-meter population, runs it at full scale and returns what the page says then. */
async function runSmallAtFullScale(page) {
  await page.locator('#group-population summary').click();
  const meters = page.locator('#f-population-meters');
  await meters.fill('20000');
  await meters.press('Tab');
  await page.waitForFunction(() => /20,000 meters/.test(document.getElementById('full-run').textContent));
  await page.locator('#full-run-start').click();
  await page.locator('#full-run-done').waitFor({ timeout: 60000 });
  return page.locator('#full-run-done').innerText();
}

const draws = (page, id) => page.locator(`#${id}-chart`).getAttribute('data-draws').then(Number);
const pixels = (page, id) => page.evaluate((id) => document.getElementById(`${id}-chart`).toDataURL(), id);

/** Waits until a chart has been drawn more often than `n` times. */
async function redrawn(page, id, n) {
  await page.waitForFunction(([id, n]) => Number(document.getElementById(`${id}-chart`).dataset.draws) > n, [id, n]);
}

test('every chart is drawn with a finding, a description and a table; axe finds nothing', async () => {
  const { page, context, problems } = await openExplore();
  for (const id of CHARTS) {
    assert.ok((await draws(page, id)) >= 1, id);
    const title = await page.locator(`#${id}-chart-title`).innerText();
    assert.ok(title.length > 20, `${id} title states a finding: ${title}`);
    assert.equal(await page.locator(`#${id}-chart`).getAttribute('aria-label'), title);
    assert.match(await page.locator(`#${id}-chart-desc`).innerText(), /chart of/);
  }
  assert.match(await page.locator('#load-chart-title').innerText(), /DCC load peaks at [\d,]+ requests\/s/);
  assert.match(await page.locator('#delivery-chart-title').innerText(), /of MHHS data is delivered by 07:00/);
  await page.locator('#load-chart-figure summary').click();
  await page.waitForSelector('#load-chart-table tbody tr');
  assert.equal(await page.locator('#load-chart-table tbody tr').count(), 48, 'one row per hour');
  await page.locator('#compliance-chart-figure summary').click();
  await page.waitForSelector('#compliance-chart-table tbody tr');
  assert.ok(await page.locator('#compliance-chart-table tbody tr').count() >= 6, 'one row per service request');
  // Every group of controls open, for the scan.
  for (const d of await page.locator('.controls__group').all()) await d.locator('summary').click();
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'explore-all-charts');
  assertClean(assert, problems);
  await context.close();
});

test("running D+1's own collection too says how the next night fared", async () => {
  const { page, context, problems } = await openExplore();
  const title = page.locator('#delivery-chart-title');
  assert.doesNotMatch(await title.innerText(), /D\+1's own collection/);
  await page.locator('#group-collection summary').click();
  await page.locator('#f-collection-next_night').check();
  await page.waitForFunction(() =>
    /D\+1's own collection: [\d.]+% by 07:00 on D\+1/.test(document.getElementById('delivery-chart-title').textContent));
  // The address takes the change up once the preview is drawn.
  await page.waitForFunction(() => /collection\.next_night=true/.test(location.href));
  assert.match(await page.locator('#group-collection summary').innerText(), /1 changed/);
  await screenshot(page, 'explore-next-night');
  assertClean(assert, problems);
  await context.close();
});

test('changing assumptions re-runs the preview and updates figures, charts and the link', async () => {
  const { page, context, problems } = await openExplore();
  assert.equal(await page.locator('#fig-cache-hits').innerText(), '0');
  const before = { hits: await draws(page, 'hits'), png: await pixels(page, 'hits') };
  await page.locator('#group-cache summary').click();
  await page.locator('#f-cache-enabled').check();
  await page.locator('#group-users summary').click();
  const pass = page.locator('#f-users-agent_passes_data_on');
  await pass.fill('0');
  await pass.press('Tab');
  await page.waitForFunction(() => document.getElementById('fig-cache-hits').textContent !== '0');
  await redrawn(page, 'hits', before.hits);
  assert.notEqual(await pixels(page, 'hits'), before.png, 'the hits chart changed');
  assert.match(await page.locator('#hits-chart-title').innerText(), /cache answers [\d,]+ requests/);
  assert.match(await page.locator('#controls-changed').innerText(), /2 assumptions changed/);
  assert.match(await page.locator('#group-cache summary').innerText(), /1 changed/);
  await page.waitForFunction(() => location.href.endsWith('#/explore?preset=dcc-recommendation&cache.enabled=true&users.agent_passes_data_on=0'));
  assert.equal(await page.locator('#share-link').inputValue(), page.url());
  // The slider moves through the same value, by keyboard.
  await page.locator('#group-population summary').click();
  const slider = page.locator('#f-population-export_share-slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.getElementById('f-population-export_share').value === '2');
  // Shares that add up to 100%: the last takes up the rest.
  const north = page.locator('#f-population-region_shares-0');
  await north.fill('40');
  await north.press('Tab');
  await page.waitForFunction(() => /22\.5%/.test(document.getElementById('f-population-region_shares-2').textContent));
  // Restore defaults.
  await page.locator('#restore-defaults').click();
  await page.waitForFunction(() => document.getElementById('fig-cache-hits').textContent === '0');
  assert.match(await page.locator('#controls-changed').innerText(), /All assumptions at the starting point's defaults/);
  assert.equal(await page.locator('#f-population-export_share').inputValue(), '1.5');
  assertClean(assert, problems);
  await context.close();
});

test('bad input gets an inline message and an error summary, and never reaches the model', async () => {
  const { page, context, problems } = await openExplore();
  const figures = await page.locator('#key-figures').innerText();
  const n = await draws(page, 'load');
  await page.locator('#group-population summary').click();
  const share = page.locator('#f-population-export_share');
  for (const [typed, says] of [['abc', /enter a number from 0 to 100 %/], ['150', /from 0 to 100/], ['', /enter a number/], ['<img src=x onerror=alert(1)>', /enter a number/]]) {
    await share.fill(typed);
    await share.press('Tab');
    const message = page.locator('#f-population-export_share-error');
    await message.waitFor();
    assert.match(await message.innerText(), says);
    assert.match(await message.innerText(), /Meters with export/);
    assert.equal(await share.inputValue(), typed, 'what was typed is kept');
  }
  assert.equal(await page.locator('img[src=x]').count(), 0, 'typed text is never HTML');
  const summary = page.locator('.error-summary');
  assert.match(await summary.innerText(), /There is a problem[\s\S]*Meters with export/);
  assert.match(await page.locator('#group-population summary').innerText(), /1 to fix/);
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#key-figures').innerText(), figures, 'the model kept the last valid value');
  assert.equal(await draws(page, 'load'), n, 'no redraw for an invalid value');
  // The summary link takes focus to the field.
  await summary.locator('a').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-population-export_share');
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'explore-invalid-input');
  // A valid value clears the message and reaches the model.
  await share.fill('10');
  await share.press('Tab');
  await page.locator('#f-population-export_share-error').waitFor({ state: 'detached' });
  assert.equal(await summary.count(), 0);
  await redrawn(page, 'load', n);
  assertClean(assert, problems);
  await context.close();
});

test('charts read out values by keyboard and by hover', async () => {
  const { page, context, problems } = await openExplore();
  const canvas = page.locator('#load-chart');
  await canvas.focus();
  await page.keyboard.press('Home');
  assert.match(await page.locator('#load-chart-readout').innerText(), /^00:00–00:15 \(requests\/s\): CSP North [\d,.]+; CSP Central/);
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('#load-chart-readout').innerText(), /^00:15–00:30/);
  await page.keyboard.press('End');
  assert.match(await page.locator('#load-chart-readout').innerText(), /^23:45 on D\+1–00:00/);
  await page.keyboard.press('Escape');
  assert.match(await page.locator('#load-chart-readout').innerText(), /arrow keys/);
  // Hover over the middle of the bar chart: the readout names a route.
  await page.locator('#hits-chart').scrollIntoViewIfNeeded();
  const box = await page.locator('#hits-chart').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  assert.match(await page.locator('#hits-chart-readout').innerText(), /^(CSP|S1SP) \w+ \(attempts\): Device attempts [\d,]+; Cache answers/);
  await screenshot(page, 'explore-chart-cursor');
  assertClean(assert, problems);
  await context.close();
});

test('each chart downloads as PNG, SVG and CSV', async () => {
  const { page, context, problems } = await openExplore();
  for (const id of ['load', 'compliance']) {
    for (const [kind, check] of [
      ['png', (b) => assert.equal(b.subarray(1, 4).toString(), 'PNG')],
      ['svg', (b) => { const t = b.toString(); assert.match(t, /^<svg/); assert.match(t, /CSP North/); }],
      ['csv', (b) => assert.ok(b.toString().trim().split('\n').length > 5)],
    ]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#${id}-chart-${kind}`).click()]);
      assert.equal(download.suggestedFilename(), `mp162-${id}.${kind}`);
      check(await readFile(await download.path()));
    }
  }
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#load-chart-csv').click()]);
  const text = await readFile(await csv.path(), 'utf8');
  assert.match(text.split('\n')[0], /^hour_from_00_00_on_D,csp_north,csp_central,csp_south,s1sp_ioc,s1sp_moc,s1sp_foc,mhhs_all_routes$/);
  assert.equal(text.trim().split('\n').length, 1 + 48 * 4);
  assertClean(assert, problems);
  await context.close();
});

test('a full-scale run can be cancelled, and one of a small population completes', async () => {
  const { page, context, problems } = await openExplore();
  await page.locator('#full-run-start').click();
  const progress = page.locator('#full-run-progress');
  await progress.waitFor();
  await page.waitForFunction(() => Number(document.getElementById('full-run-progress')?.value) > 0.5);
  // The page stays responsive while it runs: a control still opens.
  await page.locator('#group-cache summary').click();
  assert.equal(await page.locator('#group-cache').getAttribute('open'), '');
  await page.locator('#full-run-cancel').click();
  await page.locator('#full-run-cancelled').waitFor();
  assert.match(await page.locator('#full-run-cancelled').innerText(), /cancelled at \d+%/);
  assert.match(await page.locator('#preview-note').innerText(), /^Preview/);
  // A preview says which figures it cannot show honestly; the full run shows them.
  assert.equal(await page.locator('#fig-on-demand-trt').innerText(), 'needs a full-scale run');
  assert.equal(await page.locator('#fig-last-mhhs').innerText(), 'needs a full-scale run');
  assert.match(await page.locator('#fig-by-needed').innerText(), /^[\d.]+%$/);
  // A 20,000-meter population runs at full scale in moments: in the DSP's worker and the
  // routes' (one worker per core, at least two, at most six).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const workers = Math.min(6, Math.max(2, cores));
  assert.match(await runSmallAtFullScale(page), new RegExp(`on ${workers} background workers \\(the largest used [\\d,]+ MB\\)`));
  const meters = page.locator('#f-population-meters');
  assert.match(await page.locator('#preview-note').innerText(), /^Full-scale run: every meter, seed 1, [\d,]+ requests simulated/);
  assert.match(await page.locator('#fig-submitted').innerText(), /^[\d,]+$/);
  assert.match(await page.locator('#fig-on-demand-trt').innerText(), /^[\d.]+%$/);
  // Changing an assumption goes back to the preview of the new scenario.
  await meters.fill('30000');
  await meters.press('Tab');
  await page.waitForFunction(() => /^Preview/.test(document.getElementById('preview-note').textContent));
  assertClean(assert, problems);
  await context.close();
});

test('however many workers (or none) run the day, the figures are the same', async () => {
  const figures = async (page) => page.locator('#key-figures').innerText();
  const withWorkers = await openExplore();
  assert.match(await runSmallAtFullScale(withWorkers.page), /on \d background workers/);
  const expected = await figures(withWorkers.page);
  assertClean(assert, withWorkers.problems);
  await withWorkers.context.close();
  // On a machine of 4 and of 16 cores: the routes shared over three parts, and over five (a
  // page starts at most six workers).
  for (const [cores, workers] of [[4, 4], [16, 6]]) {
    const many = await openExplore('#/explore', {}, { cores });
    assert.match(await runSmallAtFullScale(many.page), new RegExp(`on ${workers} background workers`));
    assert.equal(await figures(many.page), expected, `${workers} workers`);
    assertClean(assert, many.problems);
    await many.context.close();
  }
  const without = await openExplore('#/explore', {}, { noWorkers: true });
  assert.match(await runSmallAtFullScale(without.page), /on this page's thread/);
  assert.equal(await figures(without.page), expected);
  assertClean(assert, without.problems);
  await without.context.close();
});

test('preview replications give each key figure a 95% confidence interval', async () => {
  const { page, context, problems } = await openExplore();
  await page.locator('#replications-start').click();
  await page.waitForFunction(() => /Intervals from 10 replications, seeds 1 to 10/.test(document.getElementById('replications-status').textContent), null, { timeout: 30000 });
  assert.match(await page.locator('#fig-by-needed-ci').innerText(), /95% CI: [\d.]+% ± [\d.]+ points/);
  assert.match(await page.locator('#fig-peak-ci').innerText(), /± [\d,.]+ requests\/s/);
  // A changed assumption makes them stale, so they go.
  await page.selectOption('#preset', 'original-tom');
  await page.waitForFunction(() => !document.getElementById('fig-by-needed-ci'));
  assertClean(assert, problems);
  await context.close();
});

test('pinning a baseline spells out the differences', async () => {
  const { page, context, problems } = await openExplore();
  await page.locator('#pin-baseline').click();
  await page.locator('#compare-summary').waitFor();
  assert.equal(await page.locator('#compare-summary').innerText(), 'No key figure differs from the baseline.');
  await page.selectOption('#preset', 'sr-4-2-on-demand');
  await page.waitForFunction(() => /Against the baseline: /.test(document.getElementById('compare-summary').textContent));
  const said = await page.locator('#compare-summary').innerText();
  assert.match(said, /MHHS data by 07:00 [+−][\d.]+ points/);
  // Figures a preview cannot show honestly are left out of the sentence, and the table says so.
  assert.doesNotMatch(said, /on-demand TRT compliance/);
  assert.equal(await page.locator('#compare-table tbody tr').count(), 12);
  assert.match(await page.locator('#compare-table tbody').innerText(), /needs a full-scale run/);
  assert.match(await page.locator('#compare-table thead').innerText(), /Baseline: dcc-recommendation \(preview\)[\s\S]*Current: sr-4-2-on-demand \(preview\)/);
  await screenshot(page, 'explore-compare');
  assertClean(assert, problems);
  await context.close();
});

test('a shared link reproduces the view; damaged and hostile links fall back with a message', async () => {
  const shared = '#/explore?preset=original-tom&cache.enabled=true&routes.dsp_per_s=1800';
  let { page, context, problems } = await openExplore(shared);
  assert.equal(await page.locator('#preset').inputValue(), 'original-tom');
  await page.locator('#group-cache summary').click();
  assert.equal(await page.locator('#f-cache-enabled').isChecked(), true);
  await page.locator('#group-capacities summary').click();
  assert.equal(await page.locator('#f-routes-dsp_per_s').inputValue(), '1800');
  assert.equal(await page.locator('#link-problems').count(), 0);
  // Past the address's delay after a change (150 ms): the link stays as it came.
  await page.waitForTimeout(400);
  assert.ok(page.url().endsWith(shared), page.url());
  assertClean(assert, problems);
  await context.close();

  const hostile = '#/explore?preset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&population.export_share=abc&cache.enabled=true&__proto__=1&' + 'x'.repeat(300);
  ({ page, context, problems } = await openExplore(hostile));
  const note = page.locator('#link-problems');
  await note.waitFor();
  const text = await note.innerText();
  assert.match(text, /starting point “<img src=x onerror=alert\(1\)>” does not exist/);
  assert.match(text, /“population\.export_share” has a value that is not a number/);
  assert.match(text, /“__proto__” is not an assumption/);
  assert.equal(await page.locator('img[src=x]').count(), 0, 'link text is never HTML');
  assert.equal(await page.locator('#preset').inputValue(), 'dcc-recommendation');
  await page.locator('#group-cache summary').click();
  assert.equal(await page.locator('#f-cache-enabled').isChecked(), true, 'the usable setting still applies');
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'explore-hostile-link');
  assertClean(assert, problems);
  await context.close();
});

test('charts are drawn at the screen\'s pixel density', async () => {
  const { page, context, problems } = await openExplore('#/explore', { deviceScaleFactor: 2 });
  const size = await page.evaluate(() => {
    const c = document.getElementById('load-chart');
    return { width: c.width, height: c.height, cssWidth: Math.round(c.getBoundingClientRect().width) };
  });
  assert.deepEqual([size.width, size.height], [1800, 840], 'backing store is twice the drawing size');
  assert.ok(size.cssWidth <= 1000, `laid out in its column, got ${size.cssWidth}`);
  await screenshot(page, 'explore-hidpi');
  assertClean(assert, problems);
  await context.close();
});
