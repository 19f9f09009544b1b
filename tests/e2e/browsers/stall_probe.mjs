// Probe (not a test): runs small full-scale runs (BROWSER=webkit|firefox) again and again, and
// says how each ended: its time, its failure, or where it stalled (no progress for 30 s, or not
// done in TIMEOUT_S, 90 s). METERS=preset runs the GB day. A WebKit run stalled once in about
// twenty GB days and twice in six runs of the journeys under load (6-7 December 2026).
import { startServer } from '../harness.mjs';
import { startBrowser, ready, startFullRun, fullRunEnds } from './webdriver.mjs';

const server = await startServer();
const session = await startBrowser();
const { driver } = session;
const RUNS = Number(process.env.RUNS || 20);
const meters = process.env.METERS || '20000';
try {
  for (let i = 0; i < RUNS; i++) {
    await driver.get(`${server.base}#/explore${meters === 'preset' ? '' : `?population.meters=${meters}`}`);
    await driver.navigate().refresh();
    await ready(driver);
    const t0 = Date.now();
    await startFullRun(driver);
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
