// Consolidate: load many responses (picker and drag and drop) with bad and duplicate files among
// them; tallies by role; reasons with consent honoured; the combined load beside the DCC
// recommendation; exports in full and publication-safe versions; axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, assertClean, ready, axe, screenshot } from './harness.mjs';
import { makeResponse, makeResponses } from './responses.mjs';
import { unzip, xmlText } from './zip.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') };
}

const CONFIDENTIAL = [2, 5, 8, 11];
const ANONYMOUS = [1, 4, 7, 10];

test('a folder of responses becomes a consolidated view and report; bad and duplicate files are skipped', async () => {
  const { page, context, problems } = await openPage(browser, server.origin, { viewport: { width: 1300, height: 1000 } });
  await page.goto(server.base + '#/consolidate');
  await ready(page);
  assert.deepEqual(await axe(page), []);
  const good = makeResponses(12);
  const older = { ...makeResponse(3), updated: '2026-11-01T00:00:00Z' };
  older.updated = '2000-01-01T00:00:00Z';
  const bad = [
    { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('these are my notes') },
    { name: 'other-format.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ schema: 'survey-monkey' })) },
    { name: 'response-3-old-copy.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(older)) },
    { name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...makeResponse(99), answers: { organisation: { value: '<img src=x onerror=alert(1)>' }, publication: { value: '<script>' } } })) },
  ];
  await page.setInputFiles('#response-files', [...good, ...bad]);
  await page.waitForFunction(() => /12 responses loaded; 4 files skipped/.test(document.getElementById('load-status').textContent));
  const skipped = await page.locator('#skipped').innerText();
  assert.match(skipped, /notes\.json: The file is not a response: it is not JSON/);
  assert.match(skipped, /other-format\.json: The file is not an MP162 response/);
  assert.match(skipped, /response-3-old-copy\.json: Duplicate/);
  assert.match(skipped, /hostile\.json: .*not an option/);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  // Respondents: anonymous ones by number, confidential ones marked.
  const respondents = await page.locator('#respondents').innerText();
  assert.match(respondents, /Org 0 Energy/);
  assert.match(respondents, /Respondent 1 \(anonymous\)/);
  assert.doesNotMatch(respondents, /Org 1 Energy/);
  assert.match(respondents, /Org 2 Energy[\s\S]*Confidential/);
  // Tallies by role: SR 4.2 positions cycle agree/disagree/neutral; roles alternate.
  const tally = page.locator('#tally-sr_4_2 table');
  const rows = await tally.locator('tbody tr').allInnerTexts();
  assert.match(rows[0], /Agree: make SR 4\.2 schedulable\s+4\s+2\s+2/);
  assert.match(rows[3], /Not answered\s+0/);
  await page.locator('#tally-sr_4_2 summary').click();
  // The reasons are put in the page when their group opens.
  await page.locator('#tally-sr_4_2 .reasons li').first().waitFor();
  const reasons = await page.locator('#tally-sr_4_2 .reasons').innerText();
  assert.match(reasons, /Org 2 Energy\s*Confidential/);
  assert.match(reasons, /SECRET-2-REASON/, 'the administrator sees confidential text, marked');
  // The combined load, beside the DCC recommendation, with coverage stated.
  await page.waitForSelector('#combined-load-chart[data-draws="1"]');
  await page.waitForSelector('#gb-load-chart[data-draws="1"]');
  assert.match(await page.locator('#coverage-sentence').innerText(), /12 of 12 respondents gave a portfolio: [\d,]+ meters, [\d.]+% of the ~30,000,000 GB/);
  assert.match(await page.locator('#combined-table').innerText(), /Peak load on the DCC data service/);
  // The route capacity the combined load would need for 90% by the earliest needed-by time.
  await page.waitForFunction(() => /To deliver 90%|No route capacity delivers 90%/.test(document.getElementById('combined-capacity')?.textContent || ''), null, { timeout: 60000 });
  assert.match(await page.locator('#combined-capacity').innerText(), /(To deliver 90% of the respondents’ combined MHHS data by \d\d:\d\d, every route capacity would need to be ×[\d.]+ the DCC recommendation's: the DSP at [\d,.]+ requests\/s)|(No route capacity delivers 90% of the respondents’ combined MHHS data)/);
  // At that capacity, the assumptions that move the share delivered most: a tornado chart.
  await page.waitForFunction(() => Number(document.getElementById('combined-capacity-tornado-chart')?.dataset.draws || 0) >= 1, null, { timeout: 60000 });
  assert.match(await page.locator('#combined-capacity-tornado-sentence').innerText(), /^At that capacity MHHS data by \d\d:\d\d is [\d.]+%; the assumptions that move it most/);
  assert.match(await page.locator('#combined-capacity-tornado-chart-title').innerText(), /moves most with|No assumption moves/);
  assert.match(await page.locator('#expected-volume').innerText(), /6,000,000 MHHS requests a day/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'consolidate');

  // Exports: the full version has everything; the publication-safe one never has confidential
  // text, anonymous organisations or contact details.
  const full = await download(page, '#export-md');
  assert.match(full.text, /^# Consolidated responses/);
  assert.match(full.text, /SECRET-2-REASON/);
  assert.match(full.text, /## The capacity the respondents' combined load would need\n\nThe load: [^\n]*12 of 12 respondents gave a portfolio[^\n]*\n\n(To deliver 90%|No route capacity)[\s\S]*\| Assumption \| Plausible range \| At the low end \| At the high end \|/);
  for (const selector of ['#export-md-public', '#export-csv-public', '#export-json-public']) {
    const d = await download(page, selector);
    assert.match(d.name, /publication-safe/);
    for (const i of CONFIDENTIAL) {
      assert.doesNotMatch(d.text, new RegExp(`SECRET-${i}-REASON`), `${selector} leaked confidential reasons`);
      assert.doesNotMatch(d.text, new RegExp(`Org ${i} Energy`), `${selector} leaked a confidential organisation`);
    }
    for (const i of ANONYMOUS) assert.doesNotMatch(d.text, new RegExp(`Org ${i} Energy`), `${selector} named an anonymous respondent`);
    assert.doesNotMatch(d.text, /@org\d+\.example/, `${selector} leaked contact details`);
    assert.match(d.text, /SECRET-0-REASON|"tallies"/);
  }
  // SECAS's forms, made by the documents worker: the Word collation and the spreadsheet.
  const documents = {};
  for (const [selector, part] of [['#export-docx', 'word/document.xml'], ['#export-docx-public', 'word/document.xml'], ['#export-xlsx', 'xl/sharedStrings.xml'], ['#export-xlsx-public', 'xl/sharedStrings.xml']]) {
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
    documents[selector] = { name: d.suggestedFilename(), text: xmlText(unzip(await readFile(await d.path())).get(part)) };
  }
  assert.equal(documents['#export-docx'].name, 'mp162-consultation-responses.docx');
  assert.match(documents['#export-docx'].text, /SECRET-2-REASON[\s\S]*/);
  assert.match(documents['#export-docx'].text, /Respondents[\s\S]*Org 0 Energy[\s\S]*Tally by role/);
  assert.match(documents['#export-docx'].text, /The capacity the respondents' combined load would need[\s\S]*(To deliver 90%|No route capacity)[\s\S]*At that capacity[\s\S]*Plausible range/);
  assert.match(documents['#export-xlsx'].text, /SECRET-2-REASON/);
  assert.match(documents['#export-xlsx'].text, /The capacity the respondents' combined load would need[\s\S]*(To deliver 90%|No route capacity)/);
  for (const selector of ['#export-docx-public', '#export-xlsx-public']) {
    const { name, text } = documents[selector];
    assert.match(name, /publication-safe/);
    for (const i of CONFIDENTIAL) assert.ok(!text.includes(`SECRET-${i}-REASON`) && !text.includes(`Org ${i} Energy`), `${selector} leaked confidential ${i}`);
    for (const i of ANONYMOUS) assert.ok(!text.includes(`Org ${i} Energy`), `${selector} named anonymous ${i}`);
    assert.doesNotMatch(text, /@org\d+\.example/, `${selector} leaked contact details`);
    assert.match(text, /SECRET-0-REASON/);
  }
  const csv = await download(page, '#export-csv');
  assert.match(csv.text, /^respondent,consent,roles,section,question_id,question,answer,rationale\n/);
  assert.match(csv.text, /\nAll respondents \(combined load\),,,The capacity the respondents' combined load would need,combined_capacity_needed,[^\n]*(To deliver 90%|No route capacity)/);
  const json = JSON.parse((await download(page, '#export-json')).text);
  assert.equal(json.responses, 12);
  assert.ok(json.combined.key_figures, 'the combined figures travel with the report');
  assert.equal(json.combined_capacity.tornado.bars.length, 5, 'the capacity and its five widest assumptions travel with the report');
  assertClean(assert, problems);
  await context.close();
});

test('responses can be dropped onto the page', async () => {
  const { page, context, problems } = await openPage(browser, server.origin);
  await page.goto(server.base + '#/consolidate');
  await ready(page);
  const files = [makeResponse(0), makeResponse(1)].map((r, i) => ({ name: `dropped-${i}.json`, text: JSON.stringify(r) }));
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'application/json' }));
    const zone = document.getElementById('drop-zone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await page.waitForFunction(() => /^2 responses loaded\.$/.test(document.getElementById('load-status').textContent));
  await page.locator('#clear-responses').click();
  await page.waitForFunction(() => /No responses loaded yet/.test(document.getElementById('load-status').textContent));
  assertClean(assert, problems);
  await context.close();
});
