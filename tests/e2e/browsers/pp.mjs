import { startBrowser } from './webdriver.mjs';
const b = await startBrowser();
for (const [mode, len] of [['transfer', 1400], ['copy', 1400], ['transfer', 1 << 20], ['copy', 1 << 20], ['transfer', 4 << 20], ['copy', 4 << 20]]) {
  await b.driver.get(`http://127.0.0.1:8765/relay.html?mode=${mode}&len=${len}`);
  for (let i = 0; i < 600; i++) {
    const r = await b.driver.executeScript('return window.result');
    if (r) { console.log(process.env.BROWSER, mode, JSON.stringify(r), (r.ms / r.n).toFixed(2), 'ms per round trip'); break; }
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
await b.quit();
