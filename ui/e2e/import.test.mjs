// End-to-end: the import wizard in the real desktop app. A village's household roll (with a
// title row and door plates) is previewed, confirmed, and its households and persons appear
// in the register. Screenshots go to test-output/e2e/import/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/import');
const db = join(out, 'ledger.db');
const sheet = join(root, 'tests/fixtures/import/register_import.xlsx');

let running;
let session;

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(cli, ['--db', db, 'init']);
  execFileSync(cli, ['--db', db, 'place', 'add', '--level', '村', '--name', '石桥村']);
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_PICK_FILE: sheet });
  session = running.session;
});

after(async () => {
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
}

test('import a household roll through the wizard and see it in the register', async () => {
  const s = session;
  try {
    await s.click('[data-test=nav-import]');
    await s.click('[data-test=import-pick]');
    await s.waitFor('[data-test=import-counts]', { text: '将新增 4' });
    assert.ok((await s.cmd('POST', '/execute/sync', { script: "return document.querySelector('[data-test=import-path]').textContent", args: [] })).endsWith('register_import.xlsx'));
    assert.equal((await s.all('[data-test=import-column]')).length, 6);
    await shot('preview.png');

    await s.click('[data-test=import-confirm]');
    await s.waitFor('[data-test=import-result]', { text: '新增 4', timeout: 30_000 });
    await shot('result.png');

    await s.click('[data-test=import-to-register]');
    await s.waitForCount('[data-test=household-row]', 2);
    await s.click('[data-test=household-row] td', { text: '东街1号' });
    await s.waitForCount('[data-test=member-row]', 2);
    await s.waitFor('[data-test=member-list]', { text: '张三' });
    await s.waitFor('[data-test=member-list]', { text: '李四' });
    await shot('register.png');

    // The same file again changes nothing.
    await s.click('[data-test=nav-import]');
    await s.click('[data-test=import-pick]');
    await s.waitFor('[data-test=import-counts]', { text: '未变 4' });
  } catch (error) {
    await shot('failure.png').catch(() => {});
    throw error;
  }
});
