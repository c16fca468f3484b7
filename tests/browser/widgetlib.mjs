// Helpers for driving the patient chat widget (web/static/widget.js) in a page.
import assert from 'node:assert/strict';

export const W = 'cited-widget'; // the widget's host element; its shadow root is open

export function launcher(page) {
  return page.locator(W).getByRole('button', { name: 'Ask a question', exact: true });
}
export function questionBox(page) {
  return page.locator(W).getByRole('textbox', { name: 'Your question' });
}
export function answers(page) {
  return page.locator(`${W} .msg.bot[data-answer-id]`);
}

// Which element has focus, looking through the widget's shadow root: 'launcher', 'input', a
// description of another element in the widget, or 'page:<tag>' outside it.
export async function focused(page) {
  return page.evaluate(() => {
    const host = document.querySelector('cited-widget');
    if (document.activeElement !== host) return 'page:' + (document.activeElement?.tagName || '').toLowerCase();
    const el = host.shadowRoot.activeElement;
    if (!el) return 'widget:none';
    if (el.classList.contains('launcher')) return 'launcher';
    if (el.tagName === 'INPUT') return 'input';
    return 'widget:' + el.tagName.toLowerCase() + '.' + el.className;
  });
}

export async function openWidget(page, url) {
  if (url) await page.goto(url);
  await launcher(page).click();
  await page.locator(`${W} [role=dialog]`).waitFor({ state: 'visible' });
  await waitUntil(page, () => document.querySelector('cited-widget').shadowRoot.querySelector('.state.online') !== null,
    'the widget connects');
}

export async function waitUntil(page, fn, what, timeout = 15000, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 50 });
  } catch (e) {
    throw new Error(`timed out after ${timeout} ms waiting until ${what}`);
  }
}

// Types a question, presses Enter and waits for the answer it gets; returns that message.
export async function ask(page, text, { timeout = 15000 } = {}) {
  const before = await answers(page).count();
  const box = questionBox(page);
  await box.fill(text);
  await box.press('Enter');
  return nextAnswer(page, before, timeout);
}
export async function nextAnswer(page, before, timeout = 15000) {
  await waitUntil(page, (n) => document.querySelector('cited-widget').shadowRoot
    .querySelectorAll('.msg.bot[data-answer-id]').length > n, `answer #${before + 1} arrives`, timeout, before);
  return answers(page).nth(before);
}

export function assertNoProblems(problems) {
  assert.deepEqual(problems.pageErrors, [], 'no uncaught errors in the page');
  assert.deepEqual(problems.dialogs, [], 'no dialogs opened');
  assert.deepEqual(problems.consoleErrors, [], 'no console errors (CSP violations show here)');
  assert.deepEqual(problems.failedRequests, [], 'no failed requests');
}
