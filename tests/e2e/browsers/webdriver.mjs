// Firefox and WebKit through WebDriver (selenium-webdriver), for the cross-browser journeys:
// Debian's Firefox ESR with geckodriver from crates.io, and WebKitGTK's WebKitWebDriver with its
// MiniBrowser (the caller runs under xvfb-run: MiniBrowser needs a display). Each driver is started
// here on a free port, so nothing looks for (or downloads) drivers on its own.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Builder, By } from 'selenium-webdriver';

export const BROWSER = process.env.BROWSER || 'firefox';

const GECKODRIVER = process.env.GECKODRIVER || join(homedir(), '.cargo', 'bin', 'geckodriver');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const WEBKITDRIVER = process.env.WEBKITDRIVER || '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

async function waitForDriver(url, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the WebDriver server exited (${child.exitCode})`);
    try { if ((await fetch(url + '/status')).ok) return; } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`no WebDriver server at ${url} after 10 s`);
}

function capabilities() {
  if (BROWSER === 'firefox') {
    return {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: FIREFOX, args: ['-headless', '--width=1100', '--height=900'],
        // No updates, telemetry or other traffic: the journeys check nothing leaves 127.0.0.1.
        prefs: { 'app.update.enabled': false, 'toolkit.telemetry.enabled': false, 'network.captive-portal-service.enabled': false, 'browser.safebrowsing.malware.enabled': false, 'browser.safebrowsing.phishing.enabled': false, 'extensions.blocklist.enabled': false, 'network.connectivity-service.enabled': false },
      },
    };
  }
  if (BROWSER === 'webkit') {
    return { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } };
  }
  throw new Error(`BROWSER must be firefox or webkit, not ${BROWSER}`);
}

/** Starts the browser's WebDriver server and a session; `quit()` ends both. */
export async function startBrowser() {
  const port = await freePort();
  const [program, args] = BROWSER === 'firefox'
    ? [GECKODRIVER, ['--port', String(port), '--host', '127.0.0.1']]
    : [WEBKITDRIVER, [`--port=${port}`]];
  if (!existsSync(program)) throw new Error(`${program} is missing: run ./scripts/setup.sh`);
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  await waitForDriver(url, child);
  const driver = await new Builder().usingServer(url).withCapabilities(capabilities()).build();
  await driver.manage().setTimeouts({ script: 120_000, pageLoad: 60_000 });
  await driver.manage().window().setRect({ x: 0, y: 0, width: 1100, height: 900 });
  return {
    driver,
    log: () => log,
    quit: async () => { try { await driver.quit(); } finally { child.kill(); } },
  };
}

/** Waits until `fn` (run in the page) returns a truthy value, which it returns. */
export async function waitInPage(driver, fn, args = [], { timeout = 30_000, what = 'the page' } = {}) {
  const start = Date.now();
  let last;
  for (;;) {
    try { last = await driver.executeScript(`return (${fn})(...arguments)`, ...args); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what} (${last})`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Waits until the app has mounted its page. */
export function ready(driver) {
  return waitInPage(driver, () => document.body.dataset.ready === '1' && document.querySelector('main h1') !== null, [], { what: 'the app to mount' });
}

/** Starts Explore's full-scale run: its button mounts a paint or two after the page. */
export async function startFullRun(driver) {
  await waitInPage(driver, () => document.getElementById('full-run-start'), [], { what: 'the full-run button' });
  const start = await driver.findElement(By.id('full-run-start'));
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', start);
  await start.click();
  // A click that lands elsewhere (the page moved under it) would look like a run that stalls.
  await waitInPage(driver, () => document.getElementById('full-run-status')?.textContent.trim() || null, [],
    { what: 'the full-scale run to start after its button was clicked', timeout: 10_000 });
}

/**
 * Waits for the full-scale run the page has started to finish and returns the finished note's
 * text. Fails at once with the page's own words if the run stops, or with where it stood if its
 * progress has not moved for `stillFor` ms (a run that stalls would otherwise hold a journey or a
 * benchmark until its timeout, with nothing said about where).
 */
export async function fullRunEnds(driver, { timeout = 120_000, stillFor = 60_000 } = {}) {
  const start = Date.now();
  let last = null;
  let movedAt = Date.now();
  for (;;) {
    const state = await driver.executeScript(() => ({
      done: document.getElementById('full-run-done')?.textContent ?? null,
      failed: document.getElementById('full-run-failed')?.textContent ?? null,
      progress: document.getElementById('full-run-progress')?.value ?? null,
    }));
    if (state.done) return state.done;
    if (state.failed) throw new Error(`the full-scale run failed: ${state.failed}`);
    if (state.progress !== last) { last = state.progress; movedAt = Date.now(); }
    const now = Date.now();
    if (now - movedAt > stillFor) throw new Error(`the full-scale run stalled at ${last}% (no progress for ${stillFor / 1000} s)`);
    if (now - start > timeout) throw new Error(`the full-scale run had not finished after ${timeout / 1000} s (at ${last}%)`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}
