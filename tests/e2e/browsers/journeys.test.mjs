// The journeys that must work in every browser, run in Firefox or WebKit (BROWSER=firefox|webkit)
// through WebDriver against the release build under the GitHub Pages sub-path: every area loads;
// the Explore preview draws and a typed change redraws it; a small full-scale run completes through
// the workers; a question's evidence and Explore's replications come back from the workers; a
// Respond answer survives a reload; a response exports and opens again; Consolidate
// reads a folder of responses. Chromium runs the fuller Playwright journeys beside this folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { By, Key, until } from 'selenium-webdriver';
import { startServer } from '../harness.mjs';
import { makeResponses } from '../responses.mjs';
import { BROWSER, startBrowser, waitInPage, ready, startFullRun, fullRunEnds } from './webdriver.mjs';

let server, session, driver, dir;
before(async () => {
  server = await startServer();
  session = await startBrowser();
  driver = session.driver;
  dir = await mkdtemp(join(tmpdir(), `mp162-${BROWSER}-`));
});
after(async () => { await session?.quit(); await server?.close(); });

/** Opens an address of the app in a fresh state (no stored draft) and waits for it to mount. */
async function open(hash, { fresh = true } = {}) {
  await driver.get(server.base + hash);
  if (fresh) {
    await driver.executeScript('localStorage.clear()');
    await driver.navigate().refresh();
  }
  await ready(driver);
}

/** What the page must never do, in any browser: fetch from elsewhere, or fall over. */
async function assertClean() {
  const outside = await driver.executeScript(
    'return performance.getEntriesByType("resource").map((e) => e.name).filter((u) => !u.startsWith(location.origin + "/") && !u.startsWith("blob:") && !u.startsWith("data:"))');
  assert.deepEqual(outside, [], 'requests left 127.0.0.1');
  const failSafe = await driver.executeScript('return document.getElementById("fail-safe")?.textContent || ""');
  assert.equal(failSafe, '', 'the fail-safe message is showing');
}

const text = (id) => driver.executeScript('return document.getElementById(arguments[0])?.textContent || ""', id);
const draws = (id) => driver.executeScript('return Number(document.getElementById(arguments[0])?.dataset.draws || 0)', `${id}-chart`);

/** The element, once the page has it: the explorer mounts in pieces, a paint apart. */
const found = (by) => driver.wait(until.elementLocated(by), 10_000, `waiting for ${by}`);

/** Clicks an element as a person would, after scrolling it into view (WebKit's driver clicks
 *  where the element is on screen, and misses it otherwise). */
async function click(selector) {
  const element = await found(By.css(selector));
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
  await element.click();
}

/** Replaces a field's text as a person would: empty it, type, leave the field. */
async function typeInto(id, value) {
  const field = await found(By.id(id));
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', field);
  await field.clear();
  await field.sendKeys(value, Key.TAB);
}

/** Keeps every file the page offers for download, instead of saving it, for `downloadFrom`. */
const CATCH_DOWNLOADS = `
  window.__downloads = [];
  const make = URL.createObjectURL;
  URL.createObjectURL = (blob) => { const u = make(blob); window.__blobs = Object.assign(window.__blobs || {}, { [u]: blob }); return u; };
  HTMLAnchorElement.prototype.click = function () { if (this.download) window.__downloads.push({ name: this.download, blob: (window.__blobs || {})[this.href] }); };
`;

/** Clicks `selector` and returns the file the page offered for download: its name and text.
 *  WebKit's driver now and then returns from a click that never reached the page (about one
 *  run in twelve), so a click that offers nothing within 5 s is made again, up to three times. */
async function downloadFrom(selector) {
  for (let tries = 1; ; tries++) {
    await click(selector);
    try {
      await waitInPage(driver, () => window.__downloads.length > 0 && window.__downloads[0].blob, [], { timeout: 5_000, what: 'the download' });
      break;
    } catch (e) {
      if (tries === 3) throw e;
    }
  }
  return driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const d = window.__downloads.shift();
    d.blob.text().then((text) => done({ name: d.name, text }));
  `);
}

const AREAS = [
  ['#/', /MP162: collecting half-hourly data/],
  ['#/explore', /Explore the traffic model/],
  ['#/respond', /Respond to the MP162 consultation/],
  ['#/consolidate', /Consolidate responses/],
  ['#/about', /About this tool/],
];

test(`${BROWSER}: every area loads under the sub-path`, async () => {
  for (const [hash, h1] of AREAS) {
    await open(hash, { fresh: false });
    assert.match(await driver.executeScript('return document.querySelector("main h1").textContent'), h1, hash);
    assert.ok(new URL(await driver.getCurrentUrl()).pathname.startsWith('/mp162-explorer/'));
  }
  await assertClean();
});

test(`${BROWSER}: the Explore preview draws, and a typed change redraws it`, async () => {
  await open('#/explore');
  await waitInPage(driver, () => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1, [], { what: 'the first preview' });
  const before = await draws('delivery');
  const title = await text('delivery-chart-title');
  assert.match(title, /of MHHS data is delivered by 07:00/);
  await click('#group-capacities summary');
  await typeInto('f-routes-dsp_per_s', '400');
  await waitInPage(driver, (n) => Number(document.getElementById('delivery-chart').dataset.draws) > n, [before], { what: 'the redraw' });
  await waitInPage(driver, (t) => document.getElementById('delivery-chart-title').textContent !== t, [title], { what: 'a new finding' });
  await waitInPage(driver, () => /routes\.dsp_per_s=400/.test(location.href), [], { what: 'the address to take the change up' });
  await assertClean();
});

test(`${BROWSER}: a small full-scale run completes through the workers`, async () => {
  await open('#/explore');
  await click('#group-population summary');
  await typeInto('f-population-meters', '20000');
  await waitInPage(driver, () => /20,000 meters/.test(document.getElementById('full-run').textContent), [], { what: 'the 20,000-meter scenario' });
  await startFullRun(driver);
  await fullRunEnds(driver, { timeout: 120_000 });
  assert.match(await text('full-run-done'), /Full-scale run finished/);
  assert.match(await text('preview-note'), /^Full-scale run: every meter, seed 1, [\d,]+ requests simulated/);
  await assertClean();
});

test(`${BROWSER}: evidence and replications come back from the background workers`, async () => {
  // Both run their previews in the model's workers (Task::Run), whose reports travel as JSON.
  await open('#/respond/section/technical');
  await waitInPage(driver, () => document.getElementById('evidence-srv_4_1_1-table')?.querySelectorAll('tbody tr').length > 0, [], { timeout: 60_000, what: 'the evidence table' });
  assert.match(await text('evidence-srv_4_1_1-table'), /\d/);
  await open('#/explore');
  await click('#replications-start');
  await waitInPage(driver, () => /Intervals from 10 replications/.test(document.getElementById('replications-status').textContent), [], { timeout: 60_000, what: 'the replications' });
  await assertClean();
});

test(`${BROWSER}: a Respond answer survives a reload`, async () => {
  await open('#/respond/section/about-you');
  await typeInto('q-organisation', `Firefox & WebKit <b>Ltd</b> (${BROWSER})`);
  await driver.navigate().refresh();
  await ready(driver);
  await waitInPage(driver, () => document.getElementById('q-organisation'), [], { what: 'the form' });
  assert.equal(await driver.executeScript('return document.getElementById("q-organisation").value'), `Firefox & WebKit <b>Ltd</b> (${BROWSER})`);
  assert.equal(await driver.executeScript('return document.querySelectorAll("main b").length'), 0, 'typed text is never HTML');
  await assertClean();
});

test(`${BROWSER}: a response exports and opens again unchanged`, async () => {
  await open('#/respond/section/about-you');
  await typeInto('q-organisation', 'Round Trip Energy');
  await typeInto('q-contact_name', 'R. Trip');
  await driver.get(server.base + '#/respond');
  await ready(driver);
  await driver.executeScript(CATCH_DOWNLOADS);
  const file = await downloadFrom('#download-draft');
  assert.match(file.name, /\.json$/);
  const saved = JSON.parse(file.text);
  assert.equal(saved.answers.organisation.value, 'Round Trip Energy');
  // A new response, then the file opened again: every answer is back.
  await click('#start-new');
  await click('#confirm-new-yes');
  await waitInPage(driver, () => /A new response has been started/.test(document.getElementById('open-notice')?.textContent), [], { what: 'the new response' });
  const path = join(dir, file.name);
  await writeFile(path, file.text);
  await driver.findElement(By.id('open-draft')).sendKeys(path);
  // The new response has no answers, so nothing asks before it is replaced.
  await waitInPage(driver, () => /Opened/.test(document.getElementById('open-notice')?.textContent), [], { what: 'the opened file' });
  await driver.executeScript(CATCH_DOWNLOADS);
  const again = JSON.parse((await downloadFrom('#download-draft')).text);
  assert.deepEqual(again.answers, saved.answers);
  assert.deepEqual(again.completed_sections, saved.completed_sections);
  await assertClean();
});

test(`${BROWSER}: Consolidate reads a folder of responses`, async () => {
  await open('#/consolidate');
  const paths = [];
  for (const f of makeResponses(6)) {
    const path = join(dir, f.name);
    await writeFile(path, f.buffer);
    paths.push(path);
  }
  await driver.findElement(By.id('response-files')).sendKeys(paths.join('\n'));
  await waitInPage(driver, () => /6 responses loaded/.test(document.getElementById('load-status')?.textContent), [], { what: 'the responses' });
  assert.match(await text('respondents'), /Org 0 Energy/);
  await waitInPage(driver, () => document.querySelector('#combined-load-chart[data-draws="1"]'), [], { what: 'the combined load chart' });
  await assertClean();
});
