// The staff workspace end to end in Debian's Chromium against a real `cited serve`: the sign-in
// page (and what it says before any account exists), sign-in and sign-out; a patient's hand-off
// from the widget to the inbox, where staff read it, draft a reply and mark it replied; the
// insights page over a seeded conversation log; all of it at a phone's width too.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { addStaff, launchBrowser, newPage, screenshot, signIn, startServer } from './harness.mjs';
import { W, ask, assertNoProblems, openWidget, waitUntil } from './widgetlib.mjs';

const PHONE = { width: 375, height: 740 };

// Fills the records store with 30 days of turns and feedback, as weeks of patients would have.
function seedLog(file) {
  const code = `
import json, random, sqlite3, sys, time
random.seed(7)
con = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
day = 86400000
unanswered = ["do you do payment plans", "finance options?", "can I pay monthly", "is there parking",
              "where can I park my car", "are you open on saturdays", "do you sell aftercare products"]
answered = [("how much does it cost", "cost", "cost-per-session"), ("does it hurt", "pain", "pain-level"),
            ("how long does it last", "permanence", "how-long-it-lasts")]
rows = []
for d in range(30):
    for i in range(random.randint(2, 9)):
        at = now - d * day - random.randint(0, day // 2)
        conv = "c-%011x-%016x" % (at, random.getrandbits(64))  # as the server makes them: its time first
        r = random.random()
        if r < 0.55:
            q, topic, fact = random.choice(answered)
            rows.append((at, conv, "ws", q, "a-%d-%d" % (d, i), "answered", json.dumps([fact]), topic, 0, 80))
        elif r < 0.85:
            rows.append((at, conv, "ws", random.choice(unanswered), "a-%d-%d" % (d, i), "no_answer", "[]", None, 0, 60))
        elif r < 0.93:
            rows.append((at, conv, "ws", "my scalp has pus", "a-%d-%d" % (d, i), "urgent", "[]", "risks", 0, 70))
        else:
            rows.append((at, conv, "ws", "hello", "a-%d-%d" % (d, i), "smalltalk", "[]", None, 0, 20))
con.executemany("INSERT INTO turns(at, conversation, via, question, answer_id, status, facts, topic, conflict, latency_us) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
for r in rows[:40]:
    if r[5] == "answered":
        con.execute("INSERT INTO feedback(received_at, answer_id, helpful, comment) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', (? + 60000) / 1000.0, 'unixepoch'), ?, ?, ?)",
                    (r[0], r[4], 1 if random.random() < 0.7 else 0, "not what I asked"))
con.commit()
print(len(rows))
`;
  return Number(execFileSync('python3', ['-c', code, file], { encoding: 'utf8' }).trim());
}

// Nothing at this width may need sideways scrolling.
async function assertFitsWidth(page, width) {
  const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(scroll <= width + 1, `the page is ${scroll}px wide at a ${width}px viewport`);
}

describe('staff workspace', () => {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });

  test('before any account the sign-in page says how to make one; then sign-in and sign-out', async () => {
    const { page, problems } = await newPage(env.browser);
    await page.goto(env.server.url + '/staff/inbox');
    assert.match(page.url(), /\/staff\/sign-in\?next=%2Fstaff%2Finbox|\/staff\/sign-in\?next=\/staff\/inbox/);
    await page.locator('#no-accounts').waitFor({ state: 'visible' });
    assert.match(await page.locator('#create-command').innerText(), /^cited staff add EMAIL --records .*records\.db$/);
    await screenshot(page, 'workspace-01-no-accounts');

    addStaff(env.server, 'kim@clinic.example', 'correct horse battery');
    await page.reload();
    await page.fill('#email', 'kim@clinic.example');
    await page.fill('#password', 'wrong horse battery');
    await page.click('#sign-in-button');
    await page.locator('#status.error', { hasText: 'The email or the password is wrong.' }).waitFor();
    assert.equal(await page.inputValue('#password'), '', 'a wrong password is cleared');
    await screenshot(page, 'workspace-02-wrong-password');
    problems.failedRequests = problems.failedRequests.filter((r) => !/^401 .*\/api\/staff\/sign-in$/.test(r));

    await page.fill('#password', 'correct horse battery');
    await Promise.all([page.waitForURL(env.server.url + '/staff/inbox'), page.click('#sign-in-button')]);
    await page.locator('#who', { hasText: 'kim@clinic.example' }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'cited_session');
    assert.ok(session, 'a session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'the page cannot read the session');

    await Promise.all([page.waitForURL(/\/staff\/sign-in\?signed-out=1/), page.click('#sign-out')]);
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    await page.goto(env.server.url + '/staff/insights');
    assert.match(page.url(), /\/staff\/sign-in/, 'signed out: the workspace sends you to sign in');
    assertNoProblems(problems);
  });

  test('a patient hands off from the widget; staff see it, draft a reply and mark it replied', async () => {
    const patient = await newPage(env.browser);
    const pg = patient.page;
    await openWidget(pg, env.server.url + '/');
    await ask(pg, 'How much does it cost?');
    const a = await ask(pg, 'do you do payment plans?');
    assert.equal(await a.getAttribute('data-status'), 'no_answer');
    await a.getByRole('button', { name: /Pass my question to the clinic/ }).click();
    const form = pg.locator(`${W} form.hf`);
    await form.waitFor();
    assert.equal(await form.getByRole('textbox', { name: 'Your question' }).inputValue(), 'do you do payment plans?',
      'the question is the last one the sources could not answer');
    // Nothing goes without a way to reach the patient and their consent.
    await form.getByRole('button', { name: /Send to the clinic/ }).click();
    await form.locator('.hf-error', { hasText: /email address or a phone number/ }).waitFor();
    await form.getByRole('textbox', { name: 'Email or phone' }).fill('sam@example.com');
    await form.getByRole('textbox', { name: /Your name/ }).fill('Sam');
    await form.getByRole('button', { name: /Send to the clinic/ }).click();
    await form.locator('.hf-error', { hasText: /tick the box/ }).waitFor();
    await form.getByRole('checkbox', { name: /The clinic will contact you/ }).check();
    await screenshot(pg, 'workspace-03-handoff-form');
    await form.getByRole('button', { name: /Send to the clinic/ }).click();
    await pg.locator(`${W} .hf-done`, { hasText: 'Sent. The clinic will contact you at sam@example.com' }).waitFor();
    await screenshot(pg, 'workspace-04-handoff-sent');
    assertNoProblems(patient.problems);

    const staff = await newPage(env.browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    addStaff(env.server, 'lee@clinic.example', 'another good password');
    await signIn(staff.page, env.server, 'lee@clinic.example', 'another good password');
    const sp = staff.page;
    const item = sp.locator('#list .handoff-item', { hasText: 'do you do payment plans?' });
    await item.waitFor();
    assert.match(await item.innerText(), /Sam · sam@example\.com/);
    await item.locator('a').click();
    await sp.locator('#detail-heading', { hasText: 'Sam asked' }).waitFor();
    assert.equal(await sp.locator('#contact').getAttribute('href'), 'mailto:sam@example.com');
    const turns = sp.locator('#transcript .turn');
    assert.equal(await turns.count(), 2, 'the conversation with the assistant goes with it');
    assert.match(await turns.nth(0).innerText(), /How much does it cost\?[\s\S]*\$500/);
    assert.ok(await turns.nth(0).locator('.citations li').count() > 0, 'with its citations');
    const draft = await sp.inputValue('#draft');
    assert.ok(draft.startsWith('Hi Sam,'), draft);
    assert.match(draft, /payment plans/);
    const mailto = await sp.locator('#mailto').getAttribute('href');
    assert.ok(mailto.startsWith('mailto:sam@example.com?subject=') && decodeURIComponent(mailto).includes('Hi Sam,'));
    await sp.fill('#draft', draft + '\nWe do offer monthly payments.');
    assert.ok(decodeURIComponent(await sp.locator('#mailto').getAttribute('href')).includes('We do offer monthly payments.'),
      'the email link carries the edited reply');
    await sp.click('#copy');
    await sp.locator('#copy-status', { hasText: 'Copied' }).waitFor();
    await screenshot(sp, 'workspace-05-inbox-open');

    await sp.click('#mark-replied');
    await sp.locator('#state', { hasText: /^Replied by lee@clinic\.example/ }).waitFor();
    await sp.getByRole('button', { name: /^Replied/ }).click();
    await sp.locator('#list .handoff-item[data-status="replied"]', { hasText: 'payment plans' }).waitFor();
    await screenshot(sp, 'workspace-06-inbox-replied');

    // At a phone's width the list and the hand-off stack, and nothing scrolls sideways.
    await sp.setViewportSize(PHONE);
    await assertFitsWidth(sp, PHONE.width);
    await screenshot(sp, 'workspace-07-inbox-phone');
    assertNoProblems(staff.problems);
  });

  test('the insights page draws the seeded log: charts, groups, answers and their thumbs, conversations', async () => {
    const seeded = seedLog(env.server.recordsDb);
    assert.ok(seeded > 60);
    const { page, problems } = await newPage(env.browser);
    addStaff(env.server, 'ana@clinic.example', 'a third good password');
    await signIn(page, env.server, 'ana@clinic.example', 'a third good password', '/staff/insights');
    await page.locator('#report').waitFor({ state: 'visible' });
    const bars = page.locator('#per-day svg rect');
    await waitUntil(page, () => document.querySelectorAll('#per-day svg rect').length > 30, 'the daily chart is drawn');
    assert.ok(await bars.count() > 30, 'a bar segment per day and status');
    assert.match(await page.locator('#per-day').getAttribute('aria-label'), /^\d+ questions over 30 days$/);
    assert.match(await page.locator('#share .legend').innerText(), /Answered: \d+ \(\d+(\.\d)?%\)/);
    const groups = page.locator('#groups .group');
    assert.ok(await groups.count() >= 3);
    assert.match(await groups.first().locator('.group-label').innerText(), /payment/i);
    const examples = await groups.first().locator('.examples li .example').allInnerTexts();
    assert.equal(await groups.first().locator('.examples li', { hasText: 'finance options?' }).getByRole('link', { name: /Teach/ })
      .getAttribute('href'), '/staff/knowledge?teach=finance%20options%3F', 'each example can be taught');
    assert.ok(examples.includes('do you do payment plans') && examples.includes('finance options?') &&
      examples.includes('can I pay monthly'), `one group for the three: ${examples}`);
    assert.ok(await page.locator('#facts tbody tr').count() >= 3);
    assert.match(await page.locator('#facts tbody').innerText(), /How much/i);
    assert.ok(await page.locator('#thumbs-down .down-item').count() >= 1);
    assert.match(await page.locator('#csv').getAttribute('href'), /^\/api\/staff\/conversations\.csv\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/);
    await screenshot(page, 'workspace-08-insights');

    await groups.first().locator('.conv-link').first().click();
    await page.locator('#conversation').waitFor({ state: 'visible' });
    assert.match(await page.locator('#turns').innerText(), /payment|finance|monthly/i);
    await screenshot(page, 'workspace-09-conversation');

    await page.getByRole('button', { name: '7 days' }).click();
    await waitUntil(page, () => /over 7 days$/.test(document.querySelector('#per-day').getAttribute('aria-label')), 'the week is drawn');

    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: '30 days' }).click();
    await waitUntil(page, () => /over 30 days$/.test(document.querySelector('#per-day').getAttribute('aria-label')), 'redrawn');
    await assertFitsWidth(page, PHONE.width);
    const chartWidth = await page.locator('#per-day svg').evaluate((s) => s.getBoundingClientRect().width);
    assert.ok(chartWidth <= PHONE.width - 20, `the chart fits the phone (${chartWidth}px)`);
    const tick = await page.locator('#per-day svg text').first().evaluate((t) => parseFloat(getComputedStyle(t).fontSize));
    assert.ok(tick >= 11, `the chart's text stays readable (${tick}px)`);
    await screenshot(page, 'workspace-10-insights-phone');
    await page.locator('#groups').scrollIntoViewIfNeeded();
    await screenshot(page, 'workspace-11-insights-phone-groups');
    assertNoProblems(problems);
  });
});
