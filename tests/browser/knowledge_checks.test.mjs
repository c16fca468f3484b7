// Every check of corpus/knowledge_checks.hpp (check_rule) that staff can set off from the
// knowledge page (/staff/knowledge), in Debian's Chromium against a real `cited serve`: each one
// provoked through the editor's own fields, shown next to the field it concerns (and nowhere
// else) in the page's words, the field marked aria-invalid when it must be fixed, advice said as
// advice that does not stop publishing, and each one gone once put right.
//
// The rules the page cannot set off, and why:
// - corpus_empty: the page removes facts one at a time and sources not at all; an empty corpus
//   would take every one of the facts removed by hand.
// - id_unique, as `cited index` states it (two facts with one id): a draft never holds two, since
//   adding a fact whose id is taken is refused as an edit ("a fact with the id … already exists").
//   That refusal is what staff see, next to the id: the "id already used" row below.
// - source_id, source_unique: the server makes a new source's id from its text (clinic_…), always
//   a usable file name, and the same page added twice is one source.
// - source_exists with no source at all ("names no source"): every quote's list of sources has one
//   chosen. A source that is not there is reachable (an added source whose addition was undone is
//   still in the list): the row below.
// - topic_known: the topic is a list of the known topics; the row below adds an option the list does
//   not have, as a fact written outside the page could, to show where the page would say it.
// - lexicon: no field of a fact holds it, but removing a fact a warning sign points to breaks it:
//   shown in the draft's problems (the last test), as a problem of the knowledge, not of a field.
// The rules of a source (source_title, source_text) are checked by the page and the API before the
// source reaches the draft: their messages are the page's and the API's, under the field concerned.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff, copyCorpus, launchBrowser, newPage, screenshot, signIn, startServer } from './harness.mjs';
import { assertNoProblems } from './widgetlib.mjs';

const ROW = '#f-citations .citation-row';
const row = (n) => `${ROW}:nth-child(${n})`;
const COST_SOURCE = '001_afa1104eb99da5db';
const COST_QUOTE = 'Generally speaking, most clinics charge between $500 and $3000 per session.';
const SOURCE_TITLE = 'Northside prices';
const SOURCE_SUBMIT = '#source-form button[type=submit]';

// Waits for fn(arg) in the page; on timeout, says what was awaited and what the editor shows.
async function waitFor(page, fn, arg, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout: 20000 });
  } catch (e) {
    const shown = await page.evaluate(() => ({
      state: document.getElementById('check-state').textContent,
      errors: [...document.querySelectorAll('.field-error')].filter((n) => n.textContent)
        .map((n) => `${n.id || (n.closest('.citation-row') ? 'citation row' : '?')}: ${n.textContent}`),
      invalid: [...document.querySelectorAll('[aria-invalid="true"]')].map((n) => n.id || n.className),
    }));
    throw new Error(`waited for ${what}; the page shows ${JSON.stringify(shown, null, 1)}\n${e.message}`);
  }
}

// Set a field to a value (or to value(before)), and put it back as it was.
function change(sel, value) {
  let before;
  return {
    provoke: async (page) => {
      before = await page.inputValue(sel);
      await page.fill(sel, typeof value === 'function' ? value(before) : value);
    },
    fix: (page) => page.fill(sel, before),
  };
}
function tick(sel) {
  return { provoke: (page) => page.check(sel), fix: (page) => page.uncheck(sel) };
}

// How to provoke each rule, which field shows it (slot: its error line; field: the input or list it
// is about; input: what is marked aria-invalid, if anything), a fragment of the message.
const EDITED = [ // editing cost-per-session: 12 phrasings, two quotes of one source, 3 related facts
  { rule: 'answer_present', slot: '#err-answer', input: '#f-answer', message: /The answer is empty\./, ...change('#f-answer', '') },
  { rule: 'marker_has_citation', slot: '#err-answer', input: '#f-answer', message: /\[3\] is used in the answer but there is no third citation\./,
    ...change('#f-answer', (a) => a + ' Prices vary [3].') },
  { rule: 'marker_has_citation', slot: '#err-answer', input: '#f-answer', message: /\[0\] is used in the answer but citations are numbered from \[1\]\./,
    ...change('#f-answer', (a) => a.replace('[1]', '[0]')) },
  { rule: 'citation_referenced', slot: `${row(2)} .field-error`, input: `${row(2)} .c-quote`,
    message: /Citation 2 is never referred to in the answer: put \[2\] after what it supports\./, ...change('#f-answer', (a) => a.replace(' [2]', '')) },
  { rule: 'numbers_quoted', slot: '#err-answer', input: '#f-answer', message: /The answer mentions \$?4000 but none of its quotes does\./,
    ...change('#f-answer', (a) => a.replace('$3000', '$4000')) },
  { rule: 'citations_present', slot: '#err-citations', field: '#f-citations', input: null,
    message: /The answer needs at least one citation: every answer is quoted from a source\./,
    async provoke(page) {
      this.saved = await page.$$eval(ROW, (rows) => rows.map((r) => ({ source: r.querySelector('.c-source').value, quote: r.querySelector('.c-quote').value })));
      while (await page.locator(ROW).count()) await page.locator(ROW).first().getByRole('button', { name: 'Remove this quote' }).click();
    },
    async fix(page) {
      for (const c of this.saved) {
        await page.click('#add-citation');
        await page.locator(ROW).last().locator('.c-source').selectOption(c.source);
        await page.locator(ROW).last().locator('.c-quote').fill(c.quote);
      }
    } },
  { rule: 'quote_present', slot: `${row(1)} .field-error`, input: `${row(1)} .c-quote`,
    message: /Citation 1 has no quote: copy one or more sentences from the source\./, ...change(`${row(1)} .c-quote`, '') },
  { rule: 'verbatim', slot: `${row(1)} .field-error`, input: `${row(1)} .c-quote`,
    message: /This quote is not in the source word for word: the source has “.*” but does not go on with “nothing at all/,
    ...change(`${row(1)} .c-quote`, 'Generally speaking, most clinics charge nothing at all.') },
  { rule: 'whole_sentences', slot: `${row(1)} .field-error`, input: `${row(1)} .c-quote`,
    message: /A quote must be whole sentences: it starts in the middle of one, after “Generally speaking,”/,
    ...change(`${row(1)} .c-quote`, 'most clinics charge between $500 and $3000 per session.') },
  // The source the first test added and undid, still in the list: the tests share one page, in order.
  { rule: 'source_exists', slot: `${row(1)} .field-error`, input: `${row(1)} .c-source`,
    message: /Citation 1 names a source that does not exist \(“clinic_[0-9a-f]+”\)\./,
    async provoke(page) {
      const option = page.locator(`${row(1)} .c-source option`, { hasText: SOURCE_TITLE });
      await page.locator(`${row(1)} .c-source`).selectOption(await option.getAttribute('value'));
    },
    fix: (page) => page.locator(`${row(1)} .c-source`).selectOption(COST_SOURCE) },
  { rule: 'questions_present', slot: '#err-questions', input: '#f-questions', message: /Add at least one way a patient might ask for this\./,
    ...change('#f-questions', '') },
  { rule: 'questions_count', advice: true, slot: '#err-questions', input: '#f-questions',
    message: /^Advice: Patients find a fact most reliably with 8 to 12 ways of asking for it; this one has 13\.$/,
    ...change('#f-questions', (q) => q + '\ncan I pay in instalments') },
  { rule: 'questions_repeat', advice: true, slot: '#err-questions', input: '#f-questions',
    message: /Advice: This way of asking, “PRICE\?”, is already there\./, ...change('#f-questions', (q) => q + '\nPRICE?') },
  { rule: 'related_exist', slot: '#err-related', input: '#f-related', message: /There is no fact “cost-per-visit” to offer next\./,
    ...change('#f-related', 'cost-price-factors, cost-per-visit') },
  { rule: 'related_exist', slot: '#err-related', input: '#f-related', message: /A fact cannot be related to itself\./,
    ...change('#f-related', 'cost-price-factors, cost-per-session') },
  { rule: 'related_count', slot: '#err-related', input: '#f-related', message: /At most 3 related facts are offered to a patient; this one has 4\./,
    ...change('#f-related', (r) => r + ', pain-does-it-hurt') },
  { rule: 'clinic_source', slot: '#err-clinic', input: '#f-clinic', message: /A clinic fact must quote at least one of the clinic's own pages\./,
    ...tick('#f-clinic') },
];

const NEW = [ // a new fact, whole: one quote, eight phrasings
  { rule: 'id_format (no id)', slot: '#err-id', input: '#f-id', message: /the fact needs an id/, checkState: /^$/, ...change('#f-id', '') },
  { rule: 'id_format', slot: '#err-id', input: '#f-id',
    message: /The id “Price Range” must be lower-case words and numbers joined by single hyphens, like “cost-per-session”\./, ...change('#f-id', 'Price Range') },
  { rule: 'id already used (an edit conflict)', slot: '#err-id', input: '#f-id', message: /a fact with the id "cost-per-session" already exists/,
    ...change('#f-id', 'cost-per-session') },
  { rule: 'topic_known', slot: '#err-topic', input: '#f-topic', message: /The topic “tattoos” is not one we know: choose one of cost, permanence, .*general\./,
    async provoke(page) {
      await page.evaluate(() => {
        const topic = document.getElementById('f-topic');
        const o = document.createElement('option');
        o.value = o.textContent = 'tattoos';
        topic.appendChild(o);
      });
      await page.selectOption('#f-topic', 'tattoos');
    },
    async fix(page) {
      await page.selectOption('#f-topic', 'cost');
      await page.evaluate(() => document.querySelector('#f-topic option[value=tattoos]').remove());
    } },
  { rule: 'quote_present', slot: `${row(1)} .field-error`, input: `${row(1)} .c-quote`, message: /Citation 1 has no quote/, ...change(`${row(1)} .c-quote`, '   ') },
  { rule: 'conflict_sides', slot: '#err-conflict', input: '#f-conflict',
    message: /Where the sources disagree, the answer shows each side with its own citation: it needs at least 2 citations\./, ...tick('#f-conflict') },
  { rule: 'questions_count', advice: true, slot: '#err-questions', input: '#f-questions',
    message: /^Advice: Patients find a fact most reliably with 8 to 12 ways of asking for it; this one has 1\.$/, ...change('#f-questions', 'what is the price range') },
  { rule: 'clinic_source', slot: '#err-clinic', input: '#f-clinic', message: /A clinic fact must quote at least one of the clinic's own pages\./,
    ...tick('#f-clinic') },
];

async function assertShown(page, r) {
  await waitFor(page, ([slot, src]) => {
    const n = document.querySelector(slot);
    return !!n && new RegExp(src).test(n.textContent) && document.getElementById('check-state').textContent !== 'Checking…';
  }, [r.slot, r.message.source], `${r.rule}: /${r.message.source}/ in ${r.slot}`);
  const where = await page.evaluate(([slot, field, src]) => {
    const n = document.querySelector(slot);
    const errors = [...document.querySelectorAll('#fact-form .field-error')].filter((e) => new RegExp(src).test(e.textContent));
    return {
      visible: n.getBoundingClientRect().height > 0,
      nextToField: !!n.closest('.field, .citation-row').querySelector(field),
      elsewhere: errors.filter((e) => e !== n).length,
      advice: n.classList.contains('advice'),
      text: n.textContent,
      state: document.getElementById('check-state').textContent,
    };
  }, [r.slot, r.field || r.input, r.message.source]);
  assert.ok(where.visible, `${r.rule}: ${r.slot} is shown`);
  assert.ok(where.nextToField, `${r.rule}: ${r.slot} is in the same field as ${r.field || r.input}`);
  assert.equal(where.elsewhere, 0, `${r.rule}: said under one field only`);
  const invalid = r.input ? await page.getAttribute(r.input, 'aria-invalid') : null;
  if (r.advice) {
    assert.ok(where.advice, `${r.rule}: styled as advice: ${where.text}`);
    assert.equal(invalid, null, `${r.rule}: advice does not mark the field invalid`);
    assert.match(where.state, /nothing stops this from being published/, `${r.rule}: advice does not block`);
  } else {
    assert.ok(!where.advice, `${r.rule}: not styled as advice`);
    if (r.input) assert.equal(invalid, 'true', `${r.rule}: ${r.input} is marked aria-invalid`);
    assert.match(where.state, r.checkState || /needs? fixing before this can be published\./, `${r.rule}: the check's state`);
  }
}

async function assertClear(page, what) {
  await waitFor(page, () => [...document.querySelectorAll('#fact-form .field-error')].every((n) => n.textContent === '') &&
    !document.querySelector('#fact-form [aria-invalid]') &&
    /nothing stops this from being published/.test(document.getElementById('check-state').textContent), null, `${what}: no error left`);
}

// The API's refusals the tests provoke: a check of a new fact with no id yet, a file with no text.
function assertNoProblemsButRefusals(problems) {
  problems.failedRequests = problems.failedRequests.filter((r) => !/^400 .*\/(check|sources)$/.test(r));
  assertNoProblems(problems);
}

async function runTable(page, table, context) {
  for (const r of table) {
    await r.provoke(page);
    await assertShown(page, r);
    await page.locator(r.slot).scrollIntoViewIfNeeded();
    await screenshot(page, `knowledge-checks-${context}-${r.rule.replace(/\W+/g, '-')}`);
    await r.fix(page);
    await assertClear(page, `${context}, ${r.rule} put right`);
  }
}

describe('knowledge page: each check the editor can raise, next to its field', () => {
  const env = {};
  before(async () => {
    const c = copyCorpus();
    env.server = await startServer({ dir: c.dir, db: c.db, args: ['--corpus', c.corpus] });
    env.browser = await launchBrowser();
    addStaff(env.server, 'sam@clinic.example', 'a long enough password');
    env.tab = await newPage(env.browser);
    await signIn(env.tab.page, env.server, 'sam@clinic.example', 'a long enough password', '/staff/knowledge');
    await env.tab.page.locator('#facts .fact-card').first().waitFor();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });

  test('adding a source: no title, no text, a file with no text, each under its field; then taken', async () => {
    const { page } = env.tab;
    const slots = ['#err-s-title', '#err-s-text', '#err-source'];
    const only = async (slot, message, input) => {
      await page.locator(slot, { hasText: message }).waitFor();
      for (const other of slots.filter((s) => s !== slot)) assert.equal(await page.locator(other).innerText(), '', `only ${slot} has an error`);
      assert.equal(await page.getAttribute(input, 'aria-invalid'), 'true', `${input} is marked`);
      assert.equal(await page.locator('#source-form [aria-invalid="true"]').count(), 1, `only ${input} is marked`);
    };
    // source_title: the page's own check.
    await page.fill('#s-text', 'Prices at Northside. A first session costs $400.');
    await page.click(SOURCE_SUBMIT);
    await only('#err-s-title', 'Give the page a title.', '#s-title');
    // source_text: put the title right; now no text.
    await page.fill('#s-title', SOURCE_TITLE);
    await page.fill('#s-text', '');
    await page.click(SOURCE_SUBMIT);
    await only('#err-s-text', 'Paste the page’s text, or choose a file.', '#s-text');
    await screenshot(page, 'knowledge-checks-source-no-text');
    // source_text for a file: the API's words, under the file.
    await page.setInputFiles('#s-file', { name: 'prices.html', mimeType: 'text/html',
      buffer: Buffer.from('<!doctype html><html><head><title>Prices</title></head><body><main></main></body></html>') });
    await page.click(SOURCE_SUBMIT);
    await only('#err-source', 'the source has no text', '#s-file');
    // Put right: the page pasted instead of the empty file.
    await page.setInputFiles('#s-file', []);
    await page.fill('#s-text', 'Prices at Northside. A first session costs $400.');
    await page.click(SOURCE_SUBMIT);
    await page.locator('#source-result', { hasText: 'is in your draft' }).waitFor();
    for (const s of slots) assert.equal(await page.locator(s).innerText(), '', `${s} is cleared`);
    assert.equal(await page.locator('#source-form [aria-invalid]').count(), 0, 'no field is marked');
    // Undone, the source stays in the quotes' lists of sources: a citation to a source not there.
    const edit = page.locator('#edits .edit-item', { hasText: `New source: ${SOURCE_TITLE}` });
    await edit.getByRole('button', { name: /^Undo/ }).click();
    await edit.waitFor({ state: 'detached' });
  });

  test('editing a fact: each check shown next to its field in the editor\'s words, and gone when put right', async () => {
    const { page } = env.tab;
    const card = page.locator('#facts .fact-card[data-fact="cost-per-session"]');
    await card.getByRole('button', { name: /^Edit/ }).click();
    await page.locator('#editor').waitFor({ state: 'visible' });
    await assertClear(page, 'cost-per-session as it is');
    await runTable(page, EDITED, 'edited');
    await page.click('#cancel-edit');
  });

  test('a new fact: its id, topic, quote, sides, phrasings and clinic checks, each next to its field', async () => {
    const { page } = env.tab;
    await page.click('#new-fact');
    await page.locator('#editor').waitFor({ state: 'visible' });
    await page.fill('#f-id', 'price-range-example');
    await page.selectOption('#f-topic', 'cost');
    await page.locator(`${row(1)} .c-source`).selectOption(COST_SOURCE);
    await page.fill(`${row(1)} .c-quote`, COST_QUOTE);
    await page.fill('#f-answer', 'Most clinics charge between $500 and $3000 per session [1].');
    await page.fill('#f-questions', ['what is the price range', 'how much do clinics charge', 'typical price per session',
      'what does a session cost elsewhere', 'is $3000 normal', 'average smp price', 'cheapest clinics', 'why so expensive'].join('\n'));
    await assertClear(page, 'the new fact, whole');
    await runTable(page, NEW, 'new');

    // Saved with its quote missing, it is in the draft: what follows is checked as a change to it
    // (not as a second new fact whose id is taken), and saved put right, the editor closes.
    await page.fill(`${row(1)} .c-quote`, '');
    await assertShown(page, NEW.find((r) => r.rule === 'quote_present'));
    await page.click('#save-fact');
    await page.locator('#status', { hasText: 'it cannot be published until the problems shown are fixed' }).waitFor();
    await page.locator('#edits .edit-item', { hasText: 'New fact' }).waitFor();
    assert.match(await page.locator(`${row(1)} .field-error`).innerText(), /Citation 1 has no quote/);
    await page.fill(`${row(1)} .c-quote`, COST_QUOTE);
    await assertClear(page, 'the saved new fact put right');
    await page.click('#save-fact');
    await page.locator('#status', { hasText: 'Saved in your draft. Preview it, then publish.' }).waitFor();
    await page.locator('#editor').waitFor({ state: 'hidden' });
    assertNoProblemsButRefusals(env.tab.problems);
  });

  test('removing a fact a warning sign points to: the lexicon check, in the draft\'s problems; undone, gone', async () => {
    const { page, problems } = env.tab;
    await page.fill('#search', 'infection');
    await page.click('#search-form button[type=submit]');
    const card = page.locator('#facts .fact-card[data-fact="risks-infection-signs"]');
    await card.getByRole('button', { name: /^Edit/ }).click();
    await page.click('#remove-fact');
    const box = page.locator('#draft-problems');
    await box.filter({ hasText: 'Fix these before publishing:' }).waitFor();
    assert.match(await box.innerText(), /Must fix · The knowledge: warning sign .* cites a fact "risks-infection-signs" that does not exist/);
    await screenshot(page, 'knowledge-checks-lexicon');
    await page.locator('#edits .edit-item', { hasText: 'Removed fact' }).getByRole('button', { name: /^Undo/ }).click();
    await box.waitFor({ state: 'hidden' });
    assertNoProblemsButRefusals(problems);
  });
});
