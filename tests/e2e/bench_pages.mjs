// Bench (not a test): every page's load in headless Chromium, RUNS fresh loads each: main-thread
// tasks over 50 ms (the Long Tasks API, observed from before the page's first script) until the
// page is in and three seconds more (a section's evidence, Explore's first preview).
import { startServer, launch, ready, pageWatchingLongTasks, longTasks } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 3);
const PAGES = ['#/', '#/explore', '#/respond', '#/respond/section/about-you', '#/respond/section/portfolio',
  '#/respond/section/technical', '#/respond/section/nfr', '#/respond/section/impact', '#/respond/check',
  '#/consolidate', '#/about'];
const server = await startServer();
const browser = await launch();
const pages = {};
for (const hash of PAGES) {
  pages[hash] = [];
  for (let i = 0; i < RUNS; i++) {
    const { page, context } = await pageWatchingLongTasks(browser);
    await page.goto(server.base + hash);
    await ready(page);
    await page.waitForTimeout(3000);
    pages[hash].push((await longTasks(page)).map((t) => t.ms));
    await context.close();
  }
}
await browser.close();
await server.close();
const over = Object.values(pages).flat().filter((l) => l.length > 0).length;
console.log(JSON.stringify({ loads_each: RUNS, loads_with_a_task_over_50ms: over, of: PAGES.length * RUNS, pages }));
