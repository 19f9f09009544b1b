// Benchmark (not a test): the explorer's full-scale run from its button, in Firefox or WebKit
// (BROWSER=firefox|webkit) through WebDriver, against the release build. METERS sets the
// population (default: the preset's, the GB day); prints one JSON line with the run's own time.
// scripts/bench.sh runs it beside the Chromium figure of bench_explore.mjs.
import { By } from 'selenium-webdriver';
import { startServer } from '../harness.mjs';
import { BROWSER, startBrowser, waitInPage, ready } from './webdriver.mjs';

const METERS = process.env.METERS || '';
const server = await startServer();
const session = await startBrowser();
const { driver } = session;
try {
  await driver.manage().setTimeouts({ script: 20 * 60 * 1000 });
  const query = METERS ? `?population.meters=${METERS}` : '';
  await driver.get(`${server.base}#/explore${query}`);
  await ready(driver);
  const start = await driver.findElement(By.id('full-run-start'));
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', start);
  await start.click();
  await waitInPage(driver, () => document.getElementById('full-run-done'), [], { timeout: 20 * 60 * 1000, what: 'the full-scale run' });
  const note = await driver.executeScript('return document.getElementById("preview-note").textContent');
  console.log(JSON.stringify({
    browser: BROWSER,
    meters: METERS || 'preset',
    full_run_seconds: Number(note.match(/in ([\d.]+) s/)?.[1]),
    full_run_requests: note.match(/([\d,]+) requests/)?.[1],
  }));
} finally {
  await session.quit();
  await server.close();
}
