// Generated consultation responses for the consolidation journeys and bench: variations of
// fixtures/response.json (a complete response with model evidence, written by
// `cargo test --lib write_response_fixture -- --ignored`).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TEMPLATE = JSON.parse(readFileSync(join(here, 'fixtures', 'response.json'), 'utf8'));
const CONSENTS = ['publish', 'anonymous', 'confidential'];
const SR42 = ['agree', 'disagree', 'neutral'];

/** Response number `i`: its own organisation, consent cycling publish/anonymous/confidential,
 *  SR 4.2 position cycling agree/disagree/neutral, every second one an independent MDR agent. */
export function makeResponse(i) {
  const r = structuredClone(TEMPLATE);
  r.started = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`;
  r.updated = r.started;
  const set = (q, value) => { r.answers[q] = { ...(r.answers[q] || {}), value }; };
  set('organisation', `Org ${i} Energy`);
  set('contact_email', `contact${i}@org${i}.example`);
  set('publication', CONSENTS[i % 3]);
  set('sr_4_2', SR42[i % 3]);
  r.answers.sr_4_2.rationale = `SECRET-${i}-REASON in confidence`;
  r.answers.roles = { value: '', values: [i % 2 ? 'independent-mdr' : 'supplier-own-data'], rationale: '' };
  set('smets2_north', String(10000 * (i + 1)));
  return r;
}

export function makeResponses(n) {
  return Array.from({ length: n }, (_, i) => ({ name: `response-${i}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(makeResponse(i))) }));
}
