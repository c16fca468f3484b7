// The staff page (/staff), end to end: Debian's Chromium against a real `cited serve`. Paste a
// patient's email, get the suggested reply (draft, one card per question, what staff must
// answer), edit the draft and copy it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff, newPage, screenshot, serverAndBrowser, signIn } from './harness.mjs';

const EMAIL = `Hi there,

I'm thinking about SMP for my thinning crown and have a few questions. How much does it cost?
Does it hurt? Do you offer payment plans?

Thanks,
Sam

On Mon, 3 Jun 2024 at 10:02, Clinic <info@clinic.example> wrote:
> Thanks for getting in touch! Is there anything we can help with?`;

function assertNoProblems(problems) {
  assert.deepEqual(problems.pageErrors, [], 'no page errors');
  assert.deepEqual(problems.consoleErrors, [], 'no console errors (a CSP violation would show here)');
  assert.deepEqual(problems.failedRequests, [], 'no failed requests');
  assert.deepEqual(problems.dialogs, [], 'no dialogs');
}

// Every [n] in the draft's body has a "[n] Title: "quote"" line at the end, and the other way round.
function assertSourced(draft) {
  const at = draft.lastIndexOf('\nSources:\n');
  assert.ok(at > 0, 'the draft lists its sources at the end');
  const body = draft.slice(0, at);
  const used = new Set([...body.matchAll(/\[(\d+)\]/g)].map((m) => m[1]));
  const lines = draft.slice(at + 10).split('\n').filter(Boolean);
  for (const line of lines) assert.match(line, /^\[\d+\] .+: ".+"$/, `source line: ${line}`);
  const listed = new Set(lines.map((l) => /^\[(\d+)\]/.exec(l)[1]));
  assert.deepEqual([...used].sort(), [...listed].sort(), 'every marker has a source and every source a marker');
  assert.ok(used.size > 0, 'the draft cites its sources');
}

describe('staff page', () => {
  const env = serverAndBrowser();
  let account = 0;
  // A page signed in as a new member of staff, on the email page.
  async function staffPage(opts) {
    const p = await newPage(env.browser, opts);
    const email = `staff${++account}@clinic.example`;
    addStaff(env.server, email, 'a long enough password');
    await signIn(p.page, env.server, email, 'a long enough password', '/staff');
    return p;
  }

  test('a pasted email gets a sourced draft and a card per question; the edited draft is copied', async () => {
    const { page, problems } = await staffPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    assert.match(await page.title(), /Suggested replies/);
    await screenshot(page, 'staff-01-empty');

    await page.fill('#email', EMAIL);
    await page.click('#draft-button');
    await page.locator('#result').waitFor({ state: 'visible' });

    // One card per question, in the draft's order, each with its status.
    const cards = page.locator('#cards .card');
    assert.equal(await cards.count(), 3);
    assert.deepEqual(await cards.locator('.question').allInnerTexts(),
      ['How much does it cost?', 'Does it hurt?', 'Do you offer payment plans?']);
    assert.deepEqual(await cards.evaluateAll((cs) => cs.map((c) => c.dataset.status)), ['answered', 'answered', 'no_answer']);
    assert.match(await cards.nth(0).locator('.badge').first().innerText(), /answered/i);
    assert.match(await cards.nth(2).locator('.badge').first().innerText(), /for you/i);
    assert.match(await cards.nth(0).locator('blockquote').first().innerText(), /\$500 and \$3000/);
    assert.match(await cards.nth(0).locator('.answer').innerText(), /\[\d+\]/);
    assert.equal(await cards.nth(1).locator('.badge.conflict').count(), 1, 'the sources disagree on pain, and the card says so');
    const sourceLink = await cards.nth(0).locator('a').first().getAttribute('href');
    assert.match(sourceLink, /^\/source\?id=/);

    // What staff must answer themselves.
    assert.deepEqual(await page.locator('#unanswered li').allInnerTexts(), ['Do you offer payment plans?']);
    assert.equal(await page.locator('#urgent').isVisible(), false);

    // The draft: greeting, [n] markers, numbered sources at the end, the staff list.
    const draft = await page.inputValue('#draft');
    assert.ok(draft.startsWith('Hi Sam,\n'), draft);
    assert.match(draft, /The sources disagree/);
    assert.match(draft, /- Do you offer payment plans\?/);
    assertSourced(draft);
    // The cards number their citations as the draft does.
    const firstCardNumber = /\[(\d+)\]/.exec(await cards.nth(0).locator('.cite-n').first().innerText())[1];
    const firstQuote = await cards.nth(0).locator('blockquote').first().innerText();
    assert.ok(draft.includes(`[${firstCardNumber}] `) && draft.includes(firstQuote.trim().slice(0, 30)));
    await screenshot(page, 'staff-02-draft');

    // Staff edit the draft, then copy it: the clipboard holds the edited text.
    const edited = draft.replace('The clinic team', 'Emma at Northside');
    assert.notEqual(edited, draft);
    await page.fill('#draft', edited);
    assert.equal(await page.locator('#restore').isEnabled(), true, 'edits can be undone');
    await page.click('#copy');
    await page.locator('#copy-status', { hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), edited);

    await page.click('#restore');
    assert.equal(await page.inputValue('#draft'), draft);
    assertNoProblems(problems);
  });

  test('the email and the answers are shown as text, never run as HTML', async () => {
    const { page, problems } = await staffPage();
    await page.evaluate(() => { window.__xss = 0; });
    // Not HTML the server would strip as pasted markup: it comes back in the question as written.
    const question = 'Can I book if I am <svg onload="window.__xss=1"> under 30?';
    await page.fill('#email', `Hi,\n\n${question}\nDoes it hurt?\n\nThanks`);
    await page.click('#draft-button');
    await page.locator('#result').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#cards svg, #unanswered svg').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), 0);
    assert.deepEqual(await page.locator('#unanswered li').allInnerTexts(), [question]);
    assert.equal(await page.locator('#cards .card .question').first().innerText(), question);
    assertNoProblems(problems);
  });

  test('an empty box and a refused email get a clear message', async () => {
    const { page } = await staffPage();
    await page.click('#draft-button');
    assert.match(await page.locator('#status').innerText(), /Paste the patient's email first/);
    assert.equal(await page.locator('#result').isVisible(), false);

    // The server refuses binary data (HTTP 400); the page says why.
    await page.fill('#email', 'Is it safe?\u0000\u0000');
    await page.click('#draft-button');
    await page.locator('#status.error', { hasText: /binary/i }).waitFor();
    assert.equal(await page.locator('#result').isVisible(), false);
  });
});
