// Probe (not a test): runs small full-scale runs in WebKit again and again; on a run that does not
// finish in TIMEOUT_S (90 s), prints where it stood. METERS=preset runs the GB day.
import { By } from 'selenium-webdriver';
import { startServer } from '../harness.mjs';
import { startBrowser, waitInPage, ready } from './webdriver.mjs';

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
      await waitInPage(driver, () => document.getElementById('full-run-done'), [], { timeout: Number(process.env.TIMEOUT_S || 90) * 1000, what: 'the run' });
      console.log(`run ${i}: ${(Date.now() - t0) / 1000} s`);
    } catch (e) {
      const where = await driver.executeScript(() => ({
        progress: document.getElementById('full-run-progress')?.value,
        label: document.querySelector('label[for=full-run-progress]')?.textContent,
        failed: document.body.innerText.match(/[^\n]*(fail|could not)[^\n]*/i)?.[0],
      }));
      console.log(`run ${i}: STALLED ${JSON.stringify(where)}`);
    }
  }
} finally {
  await session.quit();
  await server.close();
}
