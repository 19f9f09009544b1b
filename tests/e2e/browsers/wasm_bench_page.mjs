// Benchmark (not a test): runs the model's wasm benchmarks (tests/wasm_bench.rs) in WebKit (or
// Firefox), where wasm-bindgen-test's runner has no driver of its own for WebKitGTK. The runner
// serves the tests' page (`NO_HEADLESS=1`, at URL); this opens it through WebDriver, waits for the
// result and prints the page's BENCH lines. scripts/bench.sh runs it under xvfb-run.
import { BENCH_DONE, benchLines } from '../harness.mjs';
import { startBrowser, waitInPage } from './webdriver.mjs';

const URL = process.env.URL;
if (!URL) throw new Error('URL: the address wasm-bindgen-test-runner serves the tests at');
const session = await startBrowser();
try {
  await session.driver.get(URL);
  const text = await waitInPage(session.driver, (done) => {
    const t = document.body?.innerText || '';
    return new RegExp(done).test(t) ? t : null;
  }, [BENCH_DONE.source], { timeout: 30 * 60 * 1000, what: 'the benchmarks\' result' });
  for (const line of benchLines(text)) console.log(line);
} finally {
  await session.quit();
}
