// The patient chat widget, end to end: Debian's Chromium against a real `cited serve`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, newPage, repoRoot, screenshot, serverAndBrowser, sqliteRowsContaining, startServer } from './harness.mjs';
import { W, answers, ask, assertNoProblems, focused, launcher, openWidget, waitUntil } from './widgetlib.mjs';

describe('chat widget', () => {
  const env = serverAndBrowser();
  const pages = [];
  async function page(opts) {
    const p = await newPage(env.browser, opts);
    pages.push(p);
    return p;
  }

  test('the demo page shows a clinic and the launcher, in an open shadow root, without errors', async () => {
    const { page: pg, problems } = await page();
    await pg.goto(env.server.url + '/');
    assert.match(await pg.title(), /Northside SMP Clinic/);
    await launcher(pg).waitFor();
    const shadow = await pg.evaluate(() => {
      const host = document.querySelector('cited-widget');
      return { mode: host.shadowRoot?.mode, inLight: document.querySelectorAll('.launcher').length };
    });
    assert.deepEqual(shadow, { mode: 'open', inLight: 0 }, 'the widget lives in an open shadow root');
    assert.equal(await launcher(pg).evaluate((b) => b.tagName), 'BUTTON');
    assert.equal(await launcher(pg).getAttribute('aria-expanded'), 'false');
    await screenshot(pg, '01-demo-page');
    await openWidget(pg);
    assert.equal(await launcher(pg).getAttribute('aria-expanded'), 'true');
    assert.equal(await focused(pg), 'input', 'opening the panel puts focus in the text box');
    assert.match(await pg.locator(`${W} .greeting`).innerText(), /scalp micropigmentation/i);
    await screenshot(pg, '02-widget-open');
    assertNoProblems(problems);
  });

  test('asking about cost gives an answer with a citation whose quote expands, and a source view', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    // Record whether the typing indicator showed while the answer was on its way.
    await pg.evaluate(() => {
      const root = document.querySelector('cited-widget').shadowRoot;
      window.__sawTyping = false;
      new MutationObserver(() => { if (root.querySelector('.typing')) window.__sawTyping = true; })
        .observe(root, { childList: true, subtree: true });
    });
    const a = await ask(pg, 'How much does it cost?');
    assert.equal(await a.getAttribute('data-status'), 'answered');
    assert.match(await a.innerText(), /\$500/);
    assert.equal(await pg.evaluate(() => window.__sawTyping), true, 'a typing indicator showed while waiting');
    assert.equal(await pg.locator(`${W} .typing`).count(), 0, 'and went away with the answer');

    const marker = a.getByRole('button', { name: /^Source 1\b/ }).first();
    assert.equal(await marker.innerText(), '1');
    assert.equal(await marker.getAttribute('aria-expanded'), 'false');
    await marker.click();
    assert.equal(await marker.getAttribute('aria-expanded'), 'true');
    const card = a.locator('.card').first();
    await card.waitFor();
    assert.match(await card.locator('.quote').innerText(), /most clinics charge between \$500 and \$3000 per session/);
    assert.match(await card.innerText(), /Is Scalp Micropigmentation Surgical or Non-Surgical\?/);
    const link = card.getByRole('link', { name: /Read the whole source/ });
    const href = await link.getAttribute('href');
    assert.match(href, /\/source\?id=001_afa1104eb99da5db&q=/);
    await screenshot(pg, '03-cost-answer-quote');

    // Live region: the answer is announced, without the [n] markers.
    await waitUntil(pg, () => [...document.querySelector('cited-widget').shadowRoot.querySelectorAll('[aria-live=polite]')]
      .some((r) => /\$500/.test(r.textContent)), 'the answer is announced in the live region');

    assertNoProblems(problems);
  });

  test('"Read the whole source" opens a readable view with the quoted passage highlighted', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const a = await ask(pg, 'How much does it cost?');
    await a.getByRole('button', { name: /^Source 1\b/ }).first().click();
    const link = a.locator('.card').first().getByRole('link', { name: /Read the whole source/ });
    assert.equal(await link.getAttribute('target'), '_blank');
    const [tab] = await Promise.all([pg.context().waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), await link.evaluate((l) => l.href), 'the link opens in a new tab');
    await tab.close();
    // The same address in a page whose errors are recorded.
    const { page: src, problems: srcProblems } = await page();
    await src.goto(await link.evaluate((l) => l.href));
    await src.locator('mark').first().waitFor({ timeout: 10000 }).catch(() => {
      throw new Error(`no highlighted passage on the source page: ${JSON.stringify(srcProblems)}`);
    });
    const marked = (await src.locator('mark').allInnerTexts()).join(' ');
    assert.match(marked.replace(/\s+/g, ' '), /Generally speaking, most clinics charge between \$500 and \$3000 per session\./);
    assert.equal(await src.locator('h1').innerText(), 'Is Scalp Micropigmentation Surgical or Non-Surgical?');
    assert.equal(await src.evaluate(() => document.activeElement?.tagName), 'MARK', 'focus is on the highlighted passage');
    await screenshot(src, '04-source-view');
    assertNoProblems(srcProblems);
    assertNoProblems(problems);
  });

  test('the source view says so plainly when a source does not exist', async () => {
    const { page: pg, problems } = await page();
    await pg.goto(env.server.url + '/source?id=no_such_source&q=anything');
    await pg.getByText('This source could not be found.').waitFor({ timeout: 10000 });
    assert.deepEqual(problems.failedRequests.map((r) => r.replace(/^(\d+) .*\/api\//, '$1 /api/')),
      ['404 /api/sources/no_such_source'], 'only the expected 404');
    problems.failedRequests = [];
    assertNoProblems(problems);
  });

  test('a suggestion chip asks its question', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const first = await ask(pg, 'How much does it cost?');
    const chips = first.locator('.chip');
    assert.ok(await chips.count() >= 1, 'the answer offers suggestions');
    const chipText = await chips.first().innerText();
    await chips.first().click();
    await waitUntil(pg, () => document.querySelector('cited-widget').shadowRoot.querySelectorAll('.msg.bot[data-answer-id]').length >= 2,
      'the suggestion is answered');
    const userMsgs = await pg.locator(`${W} .msg.user .bubble`).allInnerTexts();
    assert.equal(userMsgs.at(-1), chipText, 'the chip\'s question is shown as asked');
    const second = answers(pg).nth(1);
    assert.notEqual(await second.getAttribute('data-status'), 'no_answer', 'a suggestion is something the sources answer');
    assert.equal(await first.locator('.chip').count(), 0, 'older suggestions are cleared');
    assertNoProblems(problems);
  });

  test('thumbs up is saved: confirmation shown and the row is in the feedback store', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const a = await ask(pg, 'Does it hurt?');
    const answerId = await a.getAttribute('data-answer-id');
    assert.ok(answerId);
    await a.getByRole('button', { name: 'Helpful', exact: true }).click();
    await a.getByText('Thanks, your feedback was saved').waitFor({ timeout: 10000 });
    assert.equal(await a.getByRole('button', { name: 'Not helpful', exact: true }).count(), 0, 'the other thumb is put away');
    assert.equal(await a.getByRole('button', { name: 'Helpful', exact: true }).getAttribute('aria-pressed'), 'true');
    await screenshot(pg, '05-feedback-saved');
    const rows = sqliteRowsContaining(env.server.recordsDb, answerId).filter((r) => r.table === 'feedback');
    assert.equal(rows.length, 1, `one stored feedback row for ${answerId}: ${JSON.stringify(rows)}`);
    assertNoProblems(problems);
  });

  test('an out-of-scope question offers the hand-off to the clinic, and without an inbox the contact link', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const q = 'what time do you open on sunday';
    const a = await ask(pg, q);
    assert.equal(await a.getAttribute('data-status'), 'no_answer');
    assert.equal(await a.getByRole('button', { name: /Pass my question to the clinic/ }).count(), 1);
    await screenshot(pg, '06-no-answer-handoff');

    // A clinic without an inbox: `cited serve --no-handoff`, and its page's tag says
    // data-handoff="off". The widget offers the mailto link, carrying the question.
    const root = makeTempDir('cited-no-inbox-');
    fs.cpSync(path.join(repoRoot, 'web', 'static'), root, { recursive: true });
    const demo = path.join(root, 'patient', 'index.html');
    fs.writeFileSync(demo, fs.readFileSync(demo, 'utf8').replace('<script src="/widget.js"', '<script src="/widget.js" data-handoff="off"'));
    const noInbox = await startServer({ db: env.server.db, args: ['--no-handoff', '--web-root', root] });
    try {
      const { page: off, problems: offProblems } = await page();
      await openWidget(off, noInbox.url + '/');
      const b = await ask(off, q);
      const link = b.getByRole('link', { name: /Ask the clinic.s staff/ });
      const href = await link.getAttribute('href');
      assert.match(href, /^mailto:hello@northside-smp\.example\?/);
      assert.ok(decodeURIComponent(href).includes(q), 'the hand-off carries the question');
      assert.equal(await b.getByRole('button', { name: /Pass my question/ }).count(), 0);
      await screenshot(off, '06b-no-inbox-mailto');
      assertNoProblems(offProblems);
    } finally {
      await noInbox.stop();
    }
    assertNoProblems(problems);
  });

  test('HTML typed by the patient is shown as text and never runs', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const evil = '<img src=x onerror=alert(1)>';
    await ask(pg, evil);
    const bubbles = await pg.locator(`${W} .msg.user .bubble`).allInnerTexts();
    assert.equal(bubbles.at(-1), evil, 'the message is shown literally');
    const imgs = await pg.evaluate(() => document.querySelectorAll('img').length +
      document.querySelector('cited-widget').shadowRoot.querySelectorAll('img').length);
    assert.equal(imgs, 0, 'no img element was created');
    await pg.waitForTimeout(300);
    assert.deepEqual(problems.dialogs, [], 'no alert fired');
    await screenshot(pg, '07-html-as-text');
    assertNoProblems(problems);
  });

  test('urgent answers stand out, contact line first', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const a = await ask(pg, 'my scalp is swollen with pus and I have a fever');
    assert.equal(await a.getAttribute('data-status'), 'urgent');
    const bubble = a.locator('.bubble');
    const look = await bubble.evaluate((b) => {
      const kids = [...b.children].map((c) => c.className);
      return { kids, border: getComputedStyle(b).borderTopColor, head: getComputedStyle(b.firstElementChild).backgroundColor,
        icon: !!b.firstElementChild.querySelector('svg'), contact: b.children[1].textContent };
    });
    assert.equal(look.kids[0], 'urgent-head');
    assert.ok(look.icon, 'with an icon');
    assert.equal(look.border, 'rgb(220, 38, 38)', 'a red border');
    assert.equal(look.head, 'rgb(185, 28, 28)', 'a red header');
    assert.match(look.contact, /contact a doctor or the clinic now/i, 'the contact line comes first');
    assert.match(await a.getByRole('link', { name: 'Email the clinic' }).getAttribute('href'), /^mailto:hello@northside-smp\.example/);
    await waitUntil(pg, () => /Urgent/.test(document.querySelector('cited-widget').shadowRoot.querySelector('[aria-live=assertive]').textContent),
      'the urgent answer is announced assertively');
    await screenshot(pg, '08-urgent');
    assertNoProblems(problems);
  });

  test('conflicting sources are shown side by side as disagreeing', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    const a = await ask(pg, 'Is it permanent?');
    const status = await a.evaluate((m) => m.classList.contains('conflict'));
    assert.ok(status, 'the server marks this answer as a conflict');
    assert.match(await a.locator('.tag').innerText(), /sources disagree/i);
    const sides = a.locator('.side');
    assert.ok(await sides.count() >= 2, 'each side is shown');
    for (let i = 0; i < await sides.count(); i++) {
      assert.ok(await sides.nth(i).locator('.cite').count() >= 1, 'every side carries its own citation');
    }
    await a.locator('.bubble').scrollIntoViewIfNeeded();
    await a.evaluate((m) => m.scrollIntoView({ block: 'start' }));
    await screenshot(pg, '09-conflict');
    assertNoProblems(problems);
  });

  test('new conversation clears the panel and resets', async () => {
    const { page: pg, problems } = await page();
    await openWidget(pg, env.server.url + '/');
    await ask(pg, 'How much does it cost?');
    await pg.locator(W).getByRole('button', { name: 'New conversation' }).click();
    assert.equal(await answers(pg).count(), 0);
    assert.equal(await pg.locator(`${W} .msg.user`).count(), 0);
    await pg.locator(`${W} .greeting`).waitFor();
    assert.equal(await focused(pg), 'input');
    const a = await ask(pg, 'hello');
    assert.equal(await a.getAttribute('data-status'), 'smalltalk', 'the connection still works after a reset');
    assertNoProblems(problems);
  });

  test('on a 375 px phone the panel is full-screen; Escape closes it', async () => {
    const { page: pg, problems } = await page({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await pg.goto(env.server.url + '/');
    await screenshot(pg, '10-phone-page');
    await openWidget(pg);
    await pg.locator(`${W} [role=dialog]`).evaluate((el) => Promise.all(el.getAnimations().map((x) => x.finished)));
    const box = await pg.locator(`${W} [role=dialog]`).boundingBox();
    assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 375, 740], 'the panel covers the screen');
    await ask(pg, 'How much does it cost?');
    await answers(pg).first().getByRole('button', { name: /^Source 1\b/ }).click();
    const overflow = await pg.evaluate(() => {
      const log = document.querySelector('cited-widget').shadowRoot.querySelector('.log');
      return log.scrollWidth - log.clientWidth;
    });
    assert.equal(overflow, 0, 'nothing overflows sideways');
    await screenshot(pg, '11-phone-answer');
    await pg.keyboard.press('Escape');
    await pg.locator(`${W} [role=dialog]`).waitFor({ state: 'hidden' });
    assert.equal(await focused(pg), 'launcher', 'focus returns to the launcher');
    assertNoProblems(problems);
  });

  test('keyboard only: Tab to the launcher, Enter opens, Enter sends, Escape closes', async () => {
    const { page: pg, problems } = await page();
    await pg.goto(env.server.url + '/');
    let tabs = 0;
    while ((await focused(pg)) !== 'launcher') {
      await pg.keyboard.press('Tab');
      assert.ok(++tabs < 60, 'the launcher is reachable with Tab');
    }
    await pg.keyboard.press('Enter');
    await pg.locator(`${W} [role=dialog]`).waitFor({ state: 'visible' });
    assert.equal(await focused(pg), 'input');
    await pg.keyboard.type('Does it hurt?');
    const before = await answers(pg).count();
    await pg.keyboard.press('Enter');
    await waitUntil(pg, (n) => document.querySelector('cited-widget').shadowRoot.querySelectorAll('.msg.bot[data-answer-id]').length > n,
      'the answer arrives', 15000, before);
    assert.equal(await focused(pg), 'input', 'focus stays in the text box after sending');
    // Tab reaches a citation marker; Enter on it expands the quote.
    let steps = 0;
    while (!(await focused(pg)).startsWith('widget:button.cite')) {
      await pg.keyboard.press('Shift+Tab');
      assert.ok(++steps < 40, 'a citation marker is reachable with the keyboard');
    }
    await pg.keyboard.press('Enter');
    await answers(pg).first().locator('.card').first().waitFor();
    await screenshot(pg, '12-keyboard');
    await pg.keyboard.press('Escape');
    await pg.locator(`${W} [role=dialog]`).waitFor({ state: 'hidden' });
    assert.equal(await focused(pg), 'launcher', 'Escape returns focus to the launcher');
    assert.equal(await launcher(pg).getAttribute('aria-expanded'), 'false');
    assertNoProblems(problems);
  });
});
