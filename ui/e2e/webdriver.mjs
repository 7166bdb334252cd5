// A small W3C WebDriver client over HTTP (no Selenium), and the processes an end-to-end test
// needs: a private Xvfb display and WebKitWebDriver driving the real desktop binary. Every
// process started here is ended by its PID, within a timeout.
import { execFileSync, spawn } from 'node:child_process';
import { appProcesses } from './memory.mjs';
import { closeSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
// WebDriver's codes for the keys a test presses by name.
const KEYS = { Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C', Backspace: '\uE003', ArrowDown: '\uE015', ArrowUp: '\uE013', ArrowLeft: '\uE012', ArrowRight: '\uE014' };

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The screen of the old laptops the app is made for. */
export const SCREEN = { width: 1366, height: 768 };

/** Starts Xvfb on a display it picks itself; resolves to {display, process}. */
export function startXvfb() {
  return new Promise((resolve, reject) => {
    // -displayfd writes the chosen display number to fd 3 once the server is ready.
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000);
    xvfb.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve({ display: `:${text.trim()}`, process: xvfb });
      }
    });
    xvfb.on('error', reject);
  });
}

/** Starts WebKitWebDriver on `port` with `env`; resolves when it answers /status. */
export async function startDriver(port, env) {
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return driver;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  await stop(driver);
  throw new Error('WebKitWebDriver did not answer within 15 s');
}

/** Ends a child process by PID: TERM, then KILL after `ms`. */
export async function stop(child, ms = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(ms).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Opens a session that launches `binary` (the Tauri app). */
  static async start(port, binary) {
    const base = `http://127.0.0.1:${port}`;
    const body = { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary, args: [] } } } };
    const value = await request(base, 'POST', '/session', body);
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async end() {
    await this.cmd('DELETE', '');
  }

  /** Elements matching a CSS selector (possibly none). Vue re-renders between the driver's
   * find and its reply can make a found node stale: such a find is simply asked again. */
  async all(css) {
    for (let attempt = 0; ; attempt++) {
      try {
        const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
        return found.map((e) => e[ELEMENT]);
      } catch (error) {
        if (!isStale(error) || attempt >= 20) throw error;
        await sleep(100);
      }
    }
  }

  /** Waits until `css` matches an element (whose text contains `text`, if given). */
  async waitFor(css, { text, timeout = 10_000 } = {}) {
    const deadline = Date.now() + timeout;
    let last = '';
    while (Date.now() < deadline) {
      for (const el of await this.all(css)) {
        if (text === undefined) return el;
        try {
          last = await this.text(el);
        } catch (error) {
          if (isStale(error)) continue; // re-rendered under us: look again
          throw error;
        }
        if (last.includes(text)) return el;
      }
      await sleep(150);
    }
    throw new Error(`timed out waiting for ${css}${text ? ` containing “${text}” (last text: “${last}”)` : ''}`);
  }

  /** Waits until `css` matches exactly `count` elements. */
  async waitForCount(css, count, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    let n = -1;
    while (Date.now() < deadline) {
      n = (await this.all(css)).length;
      if (n === count) return;
      await sleep(150);
    }
    throw new Error(`expected ${count} × ${css}, found ${n}`);
  }

  async click(css, options) {
    for (let attempt = 0; ; attempt++) {
      const el = await this.waitFor(css, options);
      try {
        await this.cmd('POST', `/element/${el}/click`, {});
        return;
      } catch (error) {
        // Found, then re-rendered before the click: find it again.
        if (!isStale(error) || attempt >= 10) throw error;
        await sleep(100);
      }
    }
  }

  /** Replaces the text of an input. The WebDriver "clear" command fires no input event, so
   * Vue would keep the old value: empty the field with an input event, then type as a person. */
  async type(css, text) {
    const el = await this.waitFor(css);
    const empty = "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));";
    await this.cmd('POST', '/execute/sync', { script: empty, args: [{ [ELEMENT]: el }] });
    await this.cmd('POST', `/element/${el}/value`, { text });
  }

  /** Chooses the option of a <select> whose text (or value) is `choice`, as a click would. */
  async choose(css, choice) {
    const el = await this.waitFor(css);
    const script = `const [select, choice] = arguments;
      const option = [...select.options].find((o) => o.text.trim() === choice || o.value === choice);
      if (!option) return [...select.options].map((o) => o.text.trim());
      select.value = option.value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return null;`;
    const missing = await this.cmd('POST', '/execute/sync', { script, args: [{ [ELEMENT]: el }, choice] });
    if (missing) throw new Error(`${css} has no option “${choice}” (has: ${missing.join('、')})`);
  }

  /** Presses keys as a person would, on whatever has the focus. `keys` is a list of
   * strings: a string of one key name (Enter, Tab, Escape, ArrowDown …) is that key, any other
   * string is typed character by character, `gap` ms apart (a quick typist's pace).
   * Returns how many keys were pressed. */
  async press(keys, gap = 60) {
    const codes = [];
    for (const k of keys) {
      if (KEYS[k]) codes.push(KEYS[k]);
      else codes.push(...k);
    }
    const actions = codes.flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }, { type: 'pause', duration: gap }]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions');
    return codes.length;
  }

  /** Sizes the window (the app's own default is maximised, which Xvfb has no manager for). */
  async resize(width = SCREEN.width, height = SCREEN.height) {
    await this.cmd('POST', '/window/rect', { x: 0, y: 0, width, height });
  }

  /** The texts of a table row's cells. */
  async cells(row) {
    const script = 'return [...arguments[0].cells].map((c) => c.textContent.trim());';
    return this.cmd('POST', '/execute/sync', { script, args: [{ [ELEMENT]: row }] });
  }

  async text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  async value(css) {
    const el = await this.waitFor(css);
    return this.cmd('GET', `/element/${el}/property/value`);
  }

  /** A PNG of the screen, as a Buffer, taken once the page has painted what the DOM holds
   * (a screenshot right after a change can still show the previous frame). Taken from the X
   * display, as the user sees it: WebKitGTK's own snapshot can hang when the page is drawn
   * without the GPU renderer, as the app draws it. */
  async screenshot() {
    const painted = 'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)));';
    await this.cmd('POST', '/execute/async', { script: painted, args: [] });
    if (!this.display) return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
    const { width, height } = await this.cmd('POST', '/execute/sync', { script: 'return { width: innerWidth, height: innerHeight };', args: [] });
    // The window sits at the top left of the screen (no window manager): cut it out.
    const crop = ['-crop', `${width}x${height}+0+0`, '+repage'];
    return execFileSync('import', ['-display', this.display, '-window', 'root', ...crop, 'png:-'], { maxBuffer: 1 << 28 });
  }
}

/** True for WebDriver's "stale element" errors (the node went away in a re-render);
 * WebKitWebDriver words some of them "Node with identifier … was not found". */
function isStale(error) {
  return /stale|Node with identifier .* was not found/i.test(String(error?.message));
}

async function request(base, method, path, body, timeout) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: timeout ? AbortSignal.timeout(timeout) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.message || res.status}`);
  return json.value;
}

/**
 * Who the tests are on the ledgers they open. A plaintext ledger is encrypted at its first
 * open in the window, which makes them its 村管理员; a protected one opens on 登录. The
 * command line the tests run inherits the same two, so it opens such a ledger too (and a
 * ledger a test makes with `demo` is protected from the start, as a village's would be).
 */
export const TESTER = { name: '测试管理员', passphrase: '测试用的密码2026' };
process.env.GRIDLEDGER_OPERATOR ??= TESTER.name;
process.env.GRIDLEDGER_PASSPHRASE ??= TESTER.passphrase;

/**
 * The ledger `db` as another program's SQLite can read it, for a test's own count: the file
 * itself when it is plaintext, else a plaintext copy written by `cli` (`backup --plain`, as
 * `TESTER`, who is its 村管理员) into the temporary folder.
 */
export function readable(cli, db) {
  const head = Buffer.alloc(16);
  const fd = openSync(db, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'SQLite format 3\0') return db;
  const copy = join(tmpdir(), `gridledger-plain-${process.pid}-${Date.now()}.db`);
  execFileSync(cli, ['--db', db, 'backup', '--plain', '-o', copy], { stdio: 'pipe' });
  return copy;
}

/**
 * Starts Xvfb, WebKitWebDriver and the app on `db` (extra environment in `env`); returns the
 * session and a `close()` that ends all three by PID. Unless `door` is false, the session is
 * taken past the protect screen or the login first, as `TESTER`.
 */
export async function launchApp(app, env, { door = true } = {}) {
  // A web process that never answers its first question is started again, once: under
  // faketime (scripts/run-at) libfaketime's own lock can deadlock a starting WebKit process
  // (seen: pthread_cond_destroy in libfaketime, the window never drawn).
  for (let attempt = 1; ; attempt++) {
    const started = await launchOnce(app, env);
    try {
      await request(started.session.base, 'POST', `/session/${started.session.id}/execute/sync`, { script: 'return document.readyState', args: [] }, 60_000);
      if (door) await passDoor(started.session);
      return started;
    } catch (error) {
      await started.close();
      // What did not end with the session (the stuck web process) goes by PID.
      for (const pid of appProcesses(app)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      if (attempt >= 2) throw new Error(`the app did not answer after starting twice: ${error.message}`);
      console.log(`the app did not answer within 60 s (${error.message}); starting it again`);
    }
  }
}

/** Takes the window past what stands before the ledger: the protect screen of a plaintext
 * ledger's first open (as `TESTER`, the recovery code acknowledged) or the login. */
async function passDoor(s) {
  const look = `if (document.querySelector('[data-test=protect-first-open]')) return 'protect';
    if (document.querySelector('[data-test=login]')) return 'login';
    if (document.querySelector('nav.menu, [data-test=load-demo], .error-banner')) return 'in';
    return '';`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const seen = await s.cmd('POST', '/execute/sync', { script: look, args: [] });
    if (seen === 'in') return;
    if (seen === 'protect') {
      await s.type('[data-test=protect-name]', TESTER.name);
      await s.type('[data-test=protect-passphrase]', TESTER.passphrase);
      await s.type('[data-test=protect-passphrase-again]', TESTER.passphrase);
      await s.click('[data-test=protect-submit]');
      await s.waitFor('[data-test=recovery-code]', { timeout: 120_000 });
      await s.click('[data-test=recovery-copied]');
      await s.click('[data-test=recovery-done]');
    } else if (seen === 'login') {
      await s.choose('[data-test=login-name]', `${TESTER.name}（村管理员）`);
      await s.type('[data-test=login-passphrase]', TESTER.passphrase);
      await s.click('[data-test=login-submit]');
      await s.waitForCount('[data-test=login]', 0, 60_000);
    }
    await sleep(150);
  }
  throw new Error('the window showed neither the ledger, its protect screen nor its login within 120 s');
}

async function launchOnce(app, env) {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = await startDriver(port, { ...process.env, DISPLAY: xvfb.display, TAURI_WEBVIEW_AUTOMATION: 'true', ...env });
  let session;
  try {
    session = await Session.start(port, app);
    session.display = xvfb.display;
  } catch (error) {
    await stop(driver);
    await stop(xvfb.process);
    throw error;
  }
  return {
    session,
    async close() {
      await Promise.race([session.end(), sleep(10_000)]).catch(() => {});
      // The app exits after the session ends; give it time before the driver goes away, or
      // it is orphaned.
      await sleep(2000);
      await stop(driver);
      await stop(xvfb.process);
    },
  };
}
