// Shared helpers for the browser tests: a real `cited serve` on a free port with its own index
// and records store in a temp dir, staff accounts made with `cited staff add`, and Debian's
// Chromium driven by playwright-core.
//
//   const srv = await startServer();            // {url, port, dir, db, recordsDb, stop(), restart()}
//   const browser = await launchBrowser();
//   ...
//   await browser.close(); await srv.stop();
//
// Nothing here skips: a missing build/cited or /usr/bin/chromium is a failure, with a message
// that says how to get it (scripts/setup.sh --test).
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// CITED_BIN points the tests at another build of the program (e.g. a sanitizer build).
export const citedBin = process.env.CITED_BIN || path.join(repoRoot, 'build', 'cited');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const artifactsDir = path.join(repoRoot, 'tests', 'browser', 'artifacts');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--disable-dev-shm-usage'];

function requireFile(file, what) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new Error(`${what} not found at ${file}: run scripts/setup.sh --test`);
  }
}

export function makeTempDir(prefix = 'cited-browser-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Builds an index from the corpus into dir/cited.db (or opts.db) and returns its path.
export function buildIndex({ dir = makeTempDir(), db = path.join(dir, 'cited.db'), corpus } = {}) {
  requireFile(citedBin, 'build/cited');
  const args = ['index', '--db', db];
  if (corpus) args.push('--corpus', corpus);
  execFileSync(citedBin, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  return db;
}

// A copy of the corpus and its question sets in a temp dir (the corpus beside tests/eval, as in the
// repo), indexed: for a server whose staff publish (publishing writes the corpus files).
// Returns {dir, corpus, db}; start the server with args ['--corpus', corpus].
export function copyCorpus(prefix = 'cited-knowledge-') {
  const dir = makeTempDir(prefix);
  fs.cpSync(path.join(repoRoot, 'corpus'), path.join(dir, 'corpus'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'tests', 'eval'), path.join(dir, 'tests', 'eval'), { recursive: true });
  const corpus = path.join(dir, 'corpus');
  const db = buildIndex({ dir, corpus });
  return { dir, corpus, db };
}

// Starts `cited serve` and resolves once it prints "cited: serving on http://HOST:PORT".
// opts: dir (temp dir), db (an index; built when absent), recordsDb, port (0 = any free one),
// args (extra arguments), env, timeoutMs.
// Returns {url, wsUrl, port, dir, db, recordsDb (also as feedbackDb), proc, output(), stop(), restart()}.
export async function startServer(opts = {}) {
  requireFile(citedBin, 'build/cited');
  const dir = opts.dir || makeTempDir();
  const db = opts.db || buildIndex({ dir });
  const recordsDb = opts.recordsDb || path.join(dir, 'records.db');
  const extra = opts.args || [];
  const timeoutMs = opts.timeoutMs || 20000;
  const server = { dir, db, recordsDb, feedbackDb: recordsDb, port: opts.port || 0, proc: null, url: null, wsUrl: null };
  let log = '';

  async function launch(port) {
    const args = ['serve', '--db', db, '--port', String(port), '--records', recordsDb, ...extra];
    const proc = spawn(citedBin, args, {
      cwd: repoRoot, env: { ...process.env, ...(opts.env || {}) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.proc = proc;
    proc.stderr.on('data', (d) => { log += d; });
    const started = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`cited serve did not report its address within ${timeoutMs} ms:\n${out}${log}`));
      }, timeoutMs);
      proc.stdout.on('data', (d) => {
        out += d;
        log += d;
        const m = out.match(/serving on (http:\/\/[^\s/]+:(\d+))/);
        if (m) { clearTimeout(timer); resolve({ url: m[1], port: Number(m[2]) }); }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`cited serve exited (${code ?? signal}) before serving:\n${out}${log}`));
      });
    });
    proc.removeAllListeners('exit');
    server.url = started.url.replace('://0.0.0.0:', '://127.0.0.1:');
    server.port = started.port;
    server.wsUrl = server.url.replace(/^http/, 'ws') + '/ws';
    return server;
  }

  server.output = () => log;
  // SIGTERM, then wait for the exit (SIGKILL after a few seconds: a hung stop is a bug to see).
  server.stop = async () => {
    const proc = server.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  // Same port, same index and records store: what a browser sees as the server coming back.
  server.restart = async () => {
    await server.stop();
    let lastErr;
    for (let i = 0; i < 20; i++) { // the port may take a moment to be free again
      try { return await launch(server.port); } catch (e) { lastErr = e; await sleep(250); }
    }
    throw lastErr;
  };
  await launch(server.port);
  return server;
}

// A cited serve and a Chromium for the calling suite (or file), started before its tests and
// stopped after them: read env.server and env.browser once the tests run.
export function serverAndBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

export async function launchBrowser(opts = {}) {
  requireFile(chromiumPath, 'Chromium');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.args || [])],
    ...(opts.launch || {}),
  });
}

// A page that records console errors, page errors and dialogs, so tests can assert none happened.
export async function newPage(browser, { viewport = { width: 1280, height: 800 }, ...ctxOpts } = {}) {
  const context = await browser.newContext({ viewport, ...ctxOpts });
  const page = await context.newPage();
  // failedRequests: HTTP errors other than the favicon a browser asks every site for.
  const problems = { consoleErrors: [], pageErrors: [], dialogs: [], failedRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.consoleErrors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.failedRequests.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('dialog', (d) => { problems.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  return { context, page, problems };
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

// Rows in any table of an SQLite file whose columns hold `value`; read with python3's sqlite3
// so the tests need no native Node module and don't depend on the store's schema.
export function sqliteRowsContaining(file, value) {
  const code = `
import json, sqlite3, sys
con = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
rows = []
for (table,) in con.execute("select name from sqlite_master where type='table' and name not like 'sqlite_%'"):
    cur = con.execute('select * from "%s"' % table.replace('"', '""'))
    cols = [c[0] for c in cur.description]
    for r in cur:
        if any(str(v) == sys.argv[2] for v in r):
            rows.append({'table': table, **{c: (v if isinstance(v, (int, float, str)) or v is None else repr(v)) for c, v in zip(cols, r)}})
print(json.dumps(rows))
`;
  return JSON.parse(execFileSync('python3', ['-c', code, file, value], { encoding: 'utf8' }));
}

// `cited staff add EMAIL`, the password on standard input, as a clinic makes its first account.
export function addStaff(server, email, password) {
  execFileSync(citedBin, ['staff', 'add', email, '--records', server.recordsDb],
    { cwd: repoRoot, input: password + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
}

// Signs in through the sign-in page and waits for the page it leads to.
export async function signIn(page, server, email, password, next = '/staff/inbox') {
  await page.goto(server.url + '/staff/sign-in?next=' + encodeURIComponent(next));
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(server.url + next), page.click('#sign-in-button')]);
}
