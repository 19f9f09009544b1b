// Probe (not a test): runs small full-scale runs (BROWSER=webkit|firefox) again and again, and
// says how each ended: its time, its failure, or where it stalled (no progress for 30 s, or not
// done in TIMEOUT_S, 90 s). METERS=preset runs the GB day. A WebKit run stalled once in about
// twenty GB days and twice in six runs of the journeys under load (6-7 December 2026).
import { By } from 'selenium-webdriver';
import { startServer } from '../harness.mjs';
import { startBrowser, waitInPage, ready, fullRunEnds } from './webdriver.mjs';

const server = await startServer();
const session = await startBrowser();
const { driver } = session;
const RUNS = Number(process.env.RUNS || 20);
try {
  for (let i = 0; i < RUNS; i++) {
    const meters = process.env.METERS || '20000';
    await driver.get(`${server.base}#/explore${meters === 'preset' ? '' : `?population.meters=${meters}`}`);
    await driver.navigate().refresh();
    await ready(driver);
    await waitInPage(driver, () => document.getElementById('full-run-start'), [], { what: 'the button' });
    const start = await driver.findElement(By.id('full-run-start'));
    await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', start);
    const t0 = Date.now();
    await start.click();
    try {
      await fullRunEnds(driver, { timeout: Number(process.env.TIMEOUT_S || 90) * 1000, stillFor: 30_000 });
      console.log(`run ${i}: ${(Date.now() - t0) / 1000} s`);
    } catch (e) {
      console.log(`run ${i}: ${e.message}`);
    }
  }
} finally {
  await session.quit();
  await server.close();
}
