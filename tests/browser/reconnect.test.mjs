// The widget survives the server going away: it says it is offline, keeps what the patient
// types, reconnects by itself with backoff and answers again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, screenshot, serverAndBrowser } from './harness.mjs';
import { W, answers, ask, assertNoProblems, nextAnswer, openWidget, questionBox, waitUntil } from './widgetlib.mjs';

const env = serverAndBrowser();

test('stopping and restarting the server: offline notice, queued message sent after reconnecting', async () => {
  const { page, problems } = await newPage(env.browser);
  await openWidget(page, env.server.url + '/');
  const first = await ask(page, 'How much does it cost?');
  assert.equal(await first.getAttribute('data-status'), 'answered');

  await env.server.stop();
  const banner = page.locator(`${W} .banner`);
  await banner.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await banner.innerText(), /offline/i, 'the widget says it is offline');
  assert.match(await page.locator(`${W} .sub`).innerText(), /offline/i);

  // Typed while offline: shown at once, marked as waiting, not lost.
  const before = await answers(page).count();
  await questionBox(page).fill('Is it permanent?');
  await questionBox(page).press('Enter');
  const pending = page.locator(`${W} .msg.user`).last();
  assert.equal(await pending.locator('.bubble').innerText(), 'Is it permanent?');
  await pending.getByText(/will send automatically/).waitFor();
  await screenshot(page, '13-offline-queued');

  // Let the widget fail a few reconnects (its backoff grows), then bring the server back.
  await page.waitForTimeout(2500);
  await env.server.restart();
  const queued = await nextAnswer(page, before, 30000);
  assert.match(await queued.innerText(), /permanent/i, 'the message typed offline was answered after reconnecting');
  await waitUntil(page, () => document.querySelector('cited-widget').shadowRoot.querySelector('.state.online') !== null, 'online again');
  assert.equal(await pending.getByText(/will send automatically/).count(), 0, 'the waiting note is gone');
  assert.equal(await page.locator(`${W} .msg.user`).count(), 2, 'nothing was sent twice or lost');
  await screenshot(page, '14-reconnected');

  const again = await ask(page, 'Does it hurt?');
  assert.notEqual(await again.getAttribute('data-status'), 'no_answer', 'and answers new questions');
  assert.equal(await answers(page).count(), 3);
  // The WebSocket failing to connect while the server is down is logged by Chromium itself.
  problems.consoleErrors = problems.consoleErrors.filter((e) => !/WebSocket connection to .* failed/.test(e));
  assertNoProblems(problems);
});
