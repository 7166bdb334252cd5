// End-to-end: a protected ledger on the real app at 1366×768. The window opens on 登录 with
// nothing of the ledger shown; a wrong passphrase is said; the right one opens 今日 with the
// operator in the header; left alone for its idle time (set to 6 seconds here) the window
// locks itself and shows 登录 again; logging in again goes on. The ledger file holds no name.
// Screenshots go to test-output/e2e/login/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/login');
const db = join(out, 'login.db');
const NOW = '2026-11-23 09:30';
const ADMIN = '王芳';
const PASSPHRASE = '春风又绿江南两岸';

let running;
let session;

const ledger = (...args) =>
  execFileSync(cli, ['--db', db, '--operator', ADMIN, ...args], {
    env: { ...process.env, GRIDLEDGER_NOW: NOW, GRIDLEDGER_PASSPHRASE: PASSPHRASE },
  }).toString();

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  ledger('demo', '--households', '40');
  ledger('setting', 'lock_minutes', '0.1');
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_NOW: NOW, GRIDLEDGER_NO_OPEN: '1' });
  session = running.session;
  await session.resize();
});

after(async () => {
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
}

function step(name, body) {
  return async () => {
    try {
      await body(session);
    } catch (error) {
      await shot(`failure-${name}.png`).catch(() => {});
      throw error;
    }
  };
}

async function logIn(s, passphrase) {
  await s.choose('[data-test=login-name]', `${ADMIN}（村管理员）`);
  await s.type('[data-test=login-passphrase]', passphrase);
  await s.click('[data-test=login-submit]');
}

test('the ledger file holds no name of the sample', () => {
  const bytes = readFileSync(db);
  const names = execFileSync(cli, ['--db', db, '--operator', ADMIN, '--json', 'person', 'find', '石桥', '--limit', '5'], {
    env: { ...process.env, GRIDLEDGER_PASSPHRASE: PASSPHRASE },
  }).toString();
  assert.ok(bytes.length > 100_000);
  assert.equal(bytes.includes(Buffer.from('石桥村')), false, 'the village name is not in the file');
  assert.ok(names.length > 0);
});

test('opens on 登录 with nothing of the ledger; a wrong passphrase is said', step('login', async (s) => {
  await s.waitFor('[data-test=login]');
  assert.equal((await s.all('nav')).length, 0, 'no menu before login');
  assert.equal((await s.all('[data-test=ledger-title]')).length, 0, 'no village name before login');
  await shot('1-login.png');
  await logIn(s, '春风又绿江南');
  await s.waitFor('[data-test=login-error]', { text: '密码不对' });
  await shot('2-wrong-passphrase.png');
}));

test('the right passphrase opens 今日 with the operator in the header', step('open', async (s) => {
  await logIn(s, PASSPHRASE);
  await s.waitFor('[data-test=today-page]', { timeout: 20_000 });
  await s.waitFor('[data-test=operator]', { text: `${ADMIN}（村管理员）` });
  await s.waitFor('[data-test=ledger-title]');
  await shot('3-logged-in.png');
}));

test('left alone, the window locks itself; logging in again goes on', step('idle', async (s) => {
  // 0.1 minutes without a key or a mouse move (checked every 2 seconds).
  await s.waitFor('[data-test=login]', { timeout: 20_000 });
  assert.equal((await s.all('[data-test=ledger-title]')).length, 0);
  await shot('4-locked-when-idle.png');
  await logIn(s, PASSPHRASE);
  await s.waitFor('[data-test=today-page]', { timeout: 20_000 });
  await s.click('[data-test=lock-now]');
  await s.waitFor('[data-test=login]');
}));
