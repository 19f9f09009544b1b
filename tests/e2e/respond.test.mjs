// Respond: a full response with evidence from start to confirmation and every export; resume
// after a reload; keyboard-only completion; the error summary; bad draft files; an unreadable
// stored draft; the round trip of export and import; axe on every page of the journey.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, openPage, watch, assertClean, ready, axe, screenshot } from './harness.mjs';
import { unzip, xmlText } from './zip.mjs';

let server, browser, dir;
before(async () => { server = await startServer(); browser = await launch(); dir = await mkdtemp(join(tmpdir(), 'mp162-')); });
after(async () => { await browser?.close(); await server?.close(); });

const TEXT = {
  organisation: 'Example Energy <b>Ltd</b>', contact_name: 'A. Person', contact_email: 'a.person@example.com',
  smets2_north: '100000', smets2_central: '150,000', smets2_south: '150000', smets1_ioc: '20000', smets1_moc: '30000', smets1_foc: '50000',
  export_meters: '40000', schedule_start: '00:30', schedule_end: '05:00', needed_by: '07:00',
  current_schedules: 'Billing reads at 01:00.\nCustomer insight at 03:00.',
  mhhs_requests_per_day: '500000', mhhs_start: '00:30', growth: 'Doubling by year three.', other_impacts: 'None = fine',
};
const RADIO = {
  publication: 'publish', srv_4_1_1: 'not-needed', sr_4_2: 'agree', smoothing: 'disagree', mhhs_flag: 'yes', cache: 'agree',
  data_reused: 'no', daily_vs_monthly: 'daily', level_playing_field: 'neutral', working_hours_impact: 'significant', customer_expectations: 'yes',
};
const SECTIONS = ['about-you', 'portfolio', 'technical', 'nfr', 'impact'];

async function openRespond(hash = '#/respond', opened) {
  const o = opened || await openPage(browser, server.origin);
  await o.page.goto(server.base + hash);
  await ready(o.page);
  return o;
}

/** Answers every question on the current section page, says it is complete, and continues. */
async function completeSection(page, { keyboard = false } = {}) {
  for (const [id, value] of Object.entries(TEXT)) {
    const field = page.locator(`#q-${id}`);
    if (await field.count()) {
      if (keyboard) { await field.focus(); await page.keyboard.press('ControlOrMeta+a'); await page.keyboard.type(value); } else await field.fill(value);
    }
  }
  for (const [id, value] of Object.entries(RADIO)) {
    const radio = page.locator(`input[name="q-${id}"][value="${value}"]`);
    if (await radio.count()) {
      if (keyboard) { await radio.focus(); await page.keyboard.press('Space'); } else await radio.check();
      const reasons = page.locator(`#q-${id}-rationale`);
      if (await reasons.count()) await reasons.fill(`Reasons for ${id}: "quoted", <i>not html</i>`);
    }
  }
  const roles = page.locator('input[name="q-roles"][value="supplier-own-data"]');
  if (await roles.count()) await roles.check();
  await page.locator('#completed').check();
  if (keyboard) { await page.locator('#save-and-continue').focus(); await page.keyboard.press('Enter'); } else await page.locator('#save-and-continue').click();
}

/** Paths where two JSON values differ (empty when equal). */
function diffPaths(a, b, path = '') {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffPaths(a[k], b[k], `${path}.${k}`));
}

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') };
}

test('a new respondent completes a response with evidence and downloads it in every format', async () => {
  const { page, context, problems } = await openRespond();
  assert.match(await page.locator('#status-check').innerText(), /Cannot start yet/);
  assert.deepEqual(await axe(page), []);
  for (const id of SECTIONS) {
    await page.locator('#task-list a', { hasText: await page.locator(`#task-list a[href$="/${id}"]`).innerText() }).click();
    await page.waitForSelector('#section-form');
    if (id === 'technical') {
      // The evidence beside the first question: every option, for GB and for the portfolio.
      const table = page.locator('#evidence-srv_4_1_1-table');
      await table.waitFor();
      assert.match(await table.locator('thead').innerText(), /SRV 4.1.1 available for SMETS2 – GB[\s\S]*your portfolio/);
      // One sentence says what the other option changes, the largest move first.
      assert.match(await page.locator('#evidence-srv_4_1_1-summary').innerText(), /^With “.+” rather than “SRV 4\.1\.1 available for SMETS2”: .*(points|%)\.$/);
      assert.equal(await table.locator('tbody tr').count(), 12);
      await page.locator('#evidence-sr_4_2 > details > summary').click();
      await page.waitForSelector('#ev-sr_4_2-1-chart[data-draws="1"]');
      assert.match(await page.locator('#ev-sr_4_2-1-chart-title').innerText(), /DCC load peaks at/);
      // Wait until every panel has run (the last one: agents, three options).
      await page.locator('#evidence-level_playing_field-table').waitFor();
      // Each says whether its better option stays better across the plausible ranges.
      await page.waitForFunction(() => /\(GB, preview runs with each assumption/.test(document.getElementById('evidence-sr_4_2-robust').textContent), null, { timeout: 150000 });
      await page.waitForFunction(() => /\(GB, preview runs with each assumption/.test(document.getElementById('evidence-level_playing_field-robust').textContent), null, { timeout: 150000 });
      // Each check names how its assumptions were chosen, and gives each range's unit once.
      for (const q of ['sr_4_2', 'level_playing_field']) {
        const said = await page.locator(`#evidence-${q}-robust`).innerText();
        assert.match(said, /(keeps .+ across the plausible range of DSP throughput \(1,500 to 6,000 requests\/s\), CSP in-flight \(×0\.5 to ×2 today's\), S1SP rates \(×0\.5 to ×2 today's\), .+|depends on the assumptions: with .+|give the same .+) \(GB, preview runs .+ the route capacities no source gives, and the 3 of \d+ ranged assumptions that move it most in a tornado\.\)$/, q);
      }
      assert.deepEqual(await axe(page), []);
      await screenshot(page, 'respond-technical');
    } else if (id === 'nfr') {
      assert.deepEqual(await axe(page), [], id);
      // The route capacity the respondent's portfolio would need for 90% by their needed-by time.
      await page.waitForFunction(() => /To deliver 90%|No route capacity delivers 90%/.test(document.getElementById('nfr-capacity')?.textContent || ''), null, { timeout: 60000 });
      assert.match(await page.locator('#nfr-capacity').innerText(), /(To deliver 90% of your portfolio’s MHHS data by \d\d:\d\d, every route capacity would need to be ×[\d.]+)|(No route capacity delivers 90% of your portfolio’s MHHS data)/);
    } else {
      assert.deepEqual(await axe(page), [], id);
    }
    await completeSection(page);
    await page.waitForSelector('#task-list');
    assert.equal(await page.locator(`#status-${id}`).innerText(), 'Completed', id);
  }
  await screenshot(page, 'respond-task-list');
  await page.locator('a', { hasText: 'Check your answers and finish' }).click();
  await page.waitForSelector('#finish');
  assert.match(await page.locator('#answers-about-you').innerText(), /Example Energy <b>Ltd<\/b>/);
  assert.match(await page.locator('#answers-portfolio').innerText(), /150,000/);
  assert.match(await page.locator('#answers-nfr').innerText(), /Not provided|Doubling/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'respond-check');
  // A change link returns to the section and back to the check page.
  await page.locator('#answers-nfr a', { hasText: 'Change' }).first().click();
  await page.waitForSelector('#section-form');
  await page.waitForFunction(() => document.activeElement?.id === 'q-mhhs_requests_per_day', null, { timeout: 5000 });
  await page.locator('#q-growth').fill('Tripling by year three.');
  await page.locator('#completed').check();
  await page.locator('#save-and-continue').click();
  await page.waitForSelector('#finish');
  assert.match(await page.locator('#answers-nfr').innerText(), /Tripling/);
  await page.locator('#finish').click();
  await page.waitForSelector('#confirmation');
  assert.match(await page.title(), /Response to MP162 – Example Energy/);
  assert.deepEqual(await axe(page), []);
  await screenshot(page, 'respond-done');

  const json = await download(page, '#export-json');
  assert.equal(json.name, 'mp162-response-example-energy-b-ltd-b.json');
  const r = JSON.parse(json.text);
  assert.equal(r.schema, 'mp162-response');
  assert.equal(r.version, 1);
  assert.ok(r.finished);
  assert.equal(r.answers.organisation.value, TEXT.organisation);
  assert.equal(r.answers.sr_4_2.value, 'agree');
  for (const q of ['srv_4_1_1', 'sr_4_2', 'smoothing', 'mhhs_flag', 'cache', 'daily_vs_monthly', 'level_playing_field']) {
    const e = r.evidence[q];
    assert.ok(e, `evidence for ${q}`);
    assert.equal(e.seed, 1);
    assert.ok(e.options.length >= 2 && e.options.every((o) => o.gb.key_figures && o.portfolio), q);
    assert.ok(e.portfolio_scenario.population.smets2_share > 0.79, 'the portfolio scenario is the respondent\'s');
  }
  // The capacity the portfolio would need travels in the file, with the load, seed and sample it is of.
  assert.ok(r.capacity, 'the capacity finding is stored');
  assert.ok((r.capacity.factor > 0) !== Boolean(r.capacity.no_answer), 'a factor or a reason');
  assert.ok(r.capacity.sample > 0 && r.capacity.sample <= 1 && r.capacity.seed === r.capacity.scenario.seed);
  assert.ok(r.capacity.scenario.population.smets2_share > 0.79, 'the capacity is of the respondent\'s portfolio');
  // What happens next, from the consultation file: the address, and no invented closing date.
  assert.match(await page.locator('#next-send').innerText(), /email it to sec\.change@gemserv\.com\. The closing date of this consultation is not in the sources/);
  assert.match(await page.locator('#next-treatment').innerText(), /publishes your response, with your organisation's name/);
  // The Word response, made by the documents worker: every answer and rationale in place.
  const [word] = await Promise.all([page.waitForEvent('download'), page.locator('#export-docx').click()]);
  assert.equal(word.suggestedFilename(), 'mp162-response-example-energy-b-ltd-b.docx');
  const docx = unzip(await readFile(await word.path()));
  const text = xmlText(docx.get('word/document.xml'));
  assert.match(docx.get('docProps/core.xml').toString(), /<dc:title>Response to MP162 Refinement Consultation/);
  assert.ok(text.includes(TEXT.organisation), 'the organisation, as text');
  assert.match(text, /Should SR 4\.2[\s\S]*Position[\s\S]*Agree/);
  assert.ok(text.includes('Reasons for sr_4_2: "quoted", <i>not html</i>'), 'a rationale, as text');
  assert.match(text, /Annex: the model evidence behind the answers/);
  assert.match(text, /The capacity your portfolio would need\s*(To deliver 90%|No route capacity delivers 90%)/);
  assert.equal(await page.locator('#export-docx-status').innerText(), '');
  await writeFile(join(dir, 'response.docx'), await readFile(await word.path()));
  const md = await download(page, '#export-md');
  assert.match(md.text, /^# Response to MP162 Refinement Consultation/);
  assert.match(md.text, /## The technical solution[\s\S]*### Should SR 4\.2/);
  assert.match(md.text, /&lt;b&gt;Ltd&lt;\/b&gt;/);
  assert.match(md.text, /\| Key figure \|/);
  assert.match(md.text, /### The capacity your portfolio would need\n\n(To deliver 90% of your portfolio’s MHHS data|No route capacity delivers 90%)/);
  const csv = await download(page, '#export-csv');
  assert.match(csv.text, /^organisation,section,question_id,question,answer,rationale\n/);
  assert.match(csv.text, /,sr_4_2,/);
  assert.match(csv.text, /,capacity_needed,The capacity your portfolio would need,"?(To deliver 90%|No route capacity)/);
  await writeFile(join(dir, 'response.json'), json.text);
  // Printing: the print stylesheet hides navigation and buttons; the page has a real title.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav').isVisible(), false);
  assert.equal(await page.locator('#export-json').isVisible(), false);
  assert.match(await page.locator('#printable-response h2').first().innerText(), /Response to the MP162 Refinement Consultation from Example Energy/);
  await page.emulateMedia({ media: 'screen' });

  // Round trip: a colleague opens the file in a fresh browser and gets exactly the same response.
  const other = await openRespond();
  await other.page.setInputFiles('#open-draft', join(dir, 'response.json'));
  await other.page.locator('#open-notice').waitFor();
  assert.equal(await other.page.locator('#status-technical').innerText(), 'Completed');
  const again = await download(other.page, '#download-draft');
  assert.deepEqual(diffPaths(JSON.parse(again.text), r), [], 'import then export gives the same response');
  assertClean(assert, other.problems);
  await other.context.close();
  assertClean(assert, problems);
  await context.close();
});

test('answers survive a reload, and the task list shows the section in progress', async () => {
  const o = await openRespond('#/respond/section/about-you');
  await o.page.locator('#q-organisation').fill('Reload Co');
  await o.page.locator('input[name="q-publication"][value="anonymous"]').check();
  await o.page.reload();
  await ready(o.page);
  await o.page.waitForSelector('#section-form');
  assert.equal(await o.page.locator('#q-organisation').inputValue(), 'Reload Co');
  assert.equal(await o.page.locator('input[name="q-publication"][value="anonymous"]').isChecked(), true);
  await o.page.locator('a.back-link').click();
  await o.page.waitForSelector('#task-list');
  assert.equal(await o.page.locator('#status-about-you').innerText(), 'In progress');
  assertClean(assert, o.problems);
  await o.context.close();
});

test('a section can be completed with the keyboard alone', async () => {
  const o = await openRespond('#/respond/section/about-you');
  await o.page.locator('#q-organisation').focus();
  await completeSection(o.page, { keyboard: true });
  await o.page.waitForSelector('#task-list');
  assert.equal(await o.page.locator('#status-about-you').innerText(), 'Completed');
  assertClean(assert, o.problems);
  await o.context.close();
});

test('saving an incomplete section shows an error summary linked to each field', async () => {
  const o = await openRespond('#/respond/section/portfolio');
  await o.page.locator('#q-smets2_north').fill('lots');
  await o.page.locator('#q-schedule_start').fill('05:00');
  await o.page.locator('#q-schedule_end').fill('01:00');
  await o.page.locator('#save-and-continue').click();
  const summary = o.page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Select whether you have completed this section/);
  await o.page.locator('#completed').check();
  await o.page.locator('#save-and-continue').click();
  await o.page.waitForFunction(() => /Enter a whole number/.test(document.querySelector('.error-summary')?.textContent || ''));
  const text = await summary.innerText();
  assert.match(text, /Enter a whole number, like 250000, for “SMETS2 electricity meters in the CSP North region”/);
  assert.match(text, /end of your schedule window must be after its start/);
  assert.equal(await o.page.evaluate(() => document.activeElement.className), 'error-summary', 'the summary takes focus');
  await summary.locator('a').first().click();
  assert.equal(await o.page.evaluate(() => document.activeElement.id), 'q-smets2_north');
  assert.match(await o.page.locator('#q-smets2_north-error').innerText(), /Enter a whole number/);
  assert.deepEqual(await axe(o.page), []);
  await screenshot(o.page, 'respond-errors');
  assert.match(o.page.url(), /#\/respond\/section\/portfolio$/, 'still on the section');
  assertClean(assert, o.problems);
  await o.context.close();
});

test('bad draft files are refused with a reason and change nothing', async () => {
  const o = await openRespond('#/respond/section/about-you');
  await o.page.locator('#q-organisation').fill('Keep Me Ltd');
  await o.page.locator('a.back-link').click();
  await o.page.waitForSelector('#task-list');
  const good = JSON.parse(await (await download(o.page, '#download-draft')).text);
  const files = {
    'not-json.json': ['this is not json', /not JSON/],
    'other.json': [JSON.stringify({ schema: 'something-else' }), /not an MP162 response/],
    'future.json': [JSON.stringify({ ...good, version: 7 }), /version 7/],
    'hostile.json': [JSON.stringify({ ...good, answers: { publication: { value: '<img src=x onerror=alert(1)>' } } }), /not an option/],
    'unknown.json': [JSON.stringify({ ...good, answers: { favourite_colour: { value: 'blue' } } }), /does not ask/],
    'huge.json': ['{"pad":"' + 'x'.repeat(2_100_000) + '"}', /at most 2000 kB/],
  };
  for (const [name, [content, says]] of Object.entries(files)) {
    await writeFile(join(dir, name), content);
    await o.page.setInputFiles('#open-draft', join(dir, name));
    await o.page.locator('#open-problems').waitFor();
    await o.page.waitForFunction((re) => new RegExp(re).test(document.getElementById('open-problems').textContent), says.source);
    assert.equal(await o.page.locator('img[src=x]').count(), 0);
  }
  assert.equal(await o.page.locator('#status-about-you').innerText(), 'In progress', 'nothing changed');
  assert.deepEqual(await axe(o.page), []);
  // A good file over existing answers asks first; keeping them changes nothing.
  await writeFile(join(dir, 'colleague.json'), JSON.stringify({ ...good, answers: { organisation: { value: 'Colleague Ltd', values: [], rationale: '' } } }));
  await o.page.setInputFiles('#open-draft', join(dir, 'colleague.json'));
  await o.page.locator('#confirm-open').waitFor();
  await o.page.locator('#confirm-open-keep').click();
  await o.page.goto(server.base + '#/respond/section/about-you');
  await o.page.waitForSelector('#section-form');
  assert.equal(await o.page.locator('#q-organisation').inputValue(), 'Keep Me Ltd');
  assertClean(assert, o.problems);
  await o.context.close();
});

test('a stored draft that cannot be read is kept, reported and downloadable', async () => {
  const o = await openPage(browser, server.origin);
  await o.page.goto(server.base + '#/about');
  await ready(o.page);
  await o.page.evaluate(() => localStorage.setItem('mp162.response.mp162-refinement-1', '{"schema":"mp162-response", broken'));
  await o.page.goto(server.base + '#/respond');
  const note = o.page.locator('#load-problem');
  await note.waitFor();
  assert.match(await note.innerText(), /could not be read[\s\S]*kept as it was/);
  const kept = await o.page.evaluate(() => localStorage.getItem('mp162.response.mp162-refinement-1.unreadable'));
  assert.equal(kept, '{"schema":"mp162-response", broken');
  const d = await download(o.page, '#download-unreadable');
  assert.equal(d.text, '{"schema":"mp162-response", broken');
  assert.deepEqual(await axe(o.page), []);
  assertClean(assert, o.problems);
  await o.context.close();
});

test('two tabs of one response never lose an answer, and the later change to the same answer wins in both', async () => {
  const a = await openRespond('#/respond/section/about-you');
  const pageB = await a.context.newPage();
  const problemsB = watch(pageB, server.origin);
  await pageB.goto(server.base + '#/respond/section/about-you');
  await ready(pageB);
  const pageA = a.page;
  // Tab A types the organisation, then tab B the contact name: both are kept.
  await pageA.locator('#q-organisation').fill('Example Energy');
  await pageB.locator('#q-contact_name').fill('A. Person');
  await pageA.locator('#q-contact_name').waitFor();
  await pageA.waitForFunction(() => document.querySelector('#q-contact_name').value === 'A. Person');
  assert.equal(await pageB.locator('#q-organisation').inputValue(), 'Example Energy', 'tab B shows what tab A typed');
  assert.match(await pageA.locator('#sync-notice').innerText(), /brought into this one/);
  // Both change the same answer, A then B: B's is the later change, and A shows it.
  await pageA.locator('#q-contact_email').fill('first@example.com');
  await pageB.locator('#q-contact_email').fill('later@example.com');
  await pageA.waitForFunction(() => document.querySelector('#q-contact_email').value === 'later@example.com');
  // A fresh tab opened afterwards has every answer.
  const pageC = await a.context.newPage();
  await pageC.goto(server.base + '#/respond/section/about-you');
  await ready(pageC);
  assert.equal(await pageC.locator('#q-organisation').inputValue(), 'Example Energy');
  assert.equal(await pageC.locator('#q-contact_name').inputValue(), 'A. Person');
  assert.equal(await pageC.locator('#q-contact_email').inputValue(), 'later@example.com');
  const stored = JSON.parse(await pageC.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => /^mp162\.response\.[^.]+$/.test(k)))));
  assert.equal(stored.answers.organisation.value, 'Example Energy');
  assert.equal(stored.answers.contact_name.value, 'A. Person');
  assertClean(assert, a.problems);
  assertClean(assert, problemsB);
  await a.context.close();
});

test('where the model\'s worker cannot load, the evidence and the preview are worked out on the page', async () => {
  // The worker's script fails to load: its error event is a plain Event, not an ErrorEvent.
  const { page, context, problems } = await openPage(browser, server.origin);
  await context.route(/full_run_worker/, (r) => r.abort());
  await page.goto(server.base + '#/respond/section/technical');
  await ready(page);
  await page.waitForFunction(() => document.querySelectorAll('#evidence-srv_4_1_1-table tbody tr').length > 0, null, { timeout: 60000 });
  await page.goto(server.base + '#/explore');
  await ready(page);
  await page.waitForFunction(() => Number(document.getElementById('hits-chart')?.dataset.draws) >= 1, null, { timeout: 60000 });
  assert.deepEqual(problems.pageErrors, []);
  assert.equal(problems.console.filter((m) => /panicked/.test(m)).length, 0, 'no panic');
  assert.equal(await page.locator('#fail-safe').count() ? await page.locator('#fail-safe').innerText() : '', '');
  await context.close();
});
