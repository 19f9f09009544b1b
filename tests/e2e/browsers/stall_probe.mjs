// Probe (not a test): runs small full-scale runs (BROWSER=webkit|firefox) again and again, and
// says how each ended: its time, its failure, or where it stalled (no progress for 30 s, or not
// done in TIMEOUT_S, 90 s). METERS=preset runs the GB day. A WebKit run stalled once in about
// twenty GB days and twice in six runs of the journeys under load (6-7 December 2026). On a stall
// it prints what the page knew: where clicks landed, the run button's state and the run's text.
import { startServer } from '../harness.mjs';
import { startBrowser, ready, startFullRun, fullRunEnds } from './webdriver.mjs';

const server = await startServer();
const session = await startBrowser();
const { driver } = session;
const RUNS = Number(process.env.RUNS || 20);
const meters = process.env.METERS || '20000';

/** Records where every click lands, from the start of the page. */
const WATCH_CLICKS = () => {
  window.__clicks = [];
  document.addEventListener('click', (e) => {
    const t = e.target;
    window.__clicks.push(`${t.tagName}#${t.id || ''}.${t.className || ''} at ${Math.round(performance.now())} ms, (${e.clientX}, ${e.clientY})`);
  }, true);
  // Where the run button is, each time it moves.
  window.__moves = [];
  let last = '';
  const watch = () => {
    const b = document.getElementById('full-run-start')?.getBoundingClientRect();
    const now = b ? `${Math.round(b.x)},${Math.round(b.y)}` : 'none';
    if (now !== last) {
      const y = (sel) => { const e = document.querySelector(sel); return e ? Math.round(e.getBoundingClientRect().y) : '-'; };
      const marks = ['h1', '.lead', '#link-problems', '.explore', '.explore__results h2', '#preview-note'].map((m) => `${m} ${y(m)}`).join(', ');
      window.__moves.push(`${now} at ${Math.round(performance.now())} ms (${marks}; width ${innerWidth})`);
      last = now;
    }
    if (performance.now() < 5000) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
};

const SAY_STATE = () => {
  const start = document.getElementById('full-run-start');
  const box = start?.getBoundingClientRect();
  return JSON.stringify({
    clicks: window.__clicks,
    moves: window.__moves,
    button: start ? { disabled: start.disabled, box: box && [box.x, box.y, box.width, box.height] } : null,
    run: start?.closest('section')?.innerText.slice(0, 400) ?? null,
    scrollY: window.scrollY,
  });
};

try {
  for (let i = 0; i < RUNS; i++) {
    await driver.get(`${server.base}#/explore${meters === 'preset' ? '' : `?population.meters=${meters}`}`);
    await driver.navigate().refresh();
    await driver.executeScript(WATCH_CLICKS);
    await ready(driver);
    const t0 = Date.now();
    await startFullRun(driver);
    try {
      await fullRunEnds(driver, { timeout: Number(process.env.TIMEOUT_S || 90) * 1000, stillFor: 30_000 });
      console.log(`run ${i}: ${(Date.now() - t0) / 1000} s`);
    } catch (e) {
      console.log(`run ${i}: ${e.message}`);
      console.log(`  page: ${await driver.executeScript(SAY_STATE)}`);
    }
  }
} finally {
  await session.quit();
  await server.close();
}
