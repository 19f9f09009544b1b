// Developer aid: screenshots of a page of the built app. `node shoot.mjs '#/explore' out.png [width]`
import { startServer, launch, openPage } from './harness.mjs';
const [hash = '#/explore', out = '/tmp/shot.png', width = '1400'] = process.argv.slice(2);
const server = await startServer();
const browser = await launch();
const { page, problems } = await openPage(browser, server.origin, { viewport: { width: Number(width), height: 1000 } });
await page.goto(server.base + hash);
await page.waitForSelector('body[data-ready]');
await page.waitForTimeout(1500);
const height = await page.evaluate(() => document.body.scrollHeight);
for (let y = 0, i = 0; y < height && i < 8; y += 1000, i++) {
  await page.screenshot({ path: out.replace('.png', `-${i}.png`), clip: { x: 0, y, width: Number(width), height: Math.min(1000, height - y) }, fullPage: true });
}
console.log('height', height);
console.log(JSON.stringify(problems));
await browser.close();
await server.close();
