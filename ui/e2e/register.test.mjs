// End-to-end: the real desktop app under Xvfb, driven through WebKitWebDriver. A cadre starts a
// blank ledger, adds a household with two persons (one invalid ID refused next to its field,
// valid IDs deriving sex and birth date), finds one by pinyin initials and opens the person
// page. Screenshots go to test-output/e2e/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/register');
const db = join(out, 'e2e.db');

let running;
let session;

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  running = await launchApp(app, { GRIDLEDGER_DB: db });
  session = running.session;
});

after(async () => {
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
}

/** Runs a test body; on failure saves failure.png beside the other screenshots. */
function withFailureShot(body) {
  return async () => {
    try {
      await body();
    } catch (error) {
      await shot('failure.png').catch(() => {});
      throw error;
    }
  };
}

test('add a household with two persons, find one by pinyin initials', withFailureShot(async () => {
  const s = session;
  // First run: a blank ledger for our village.
  await s.click('[data-test=start-blank]');
  await s.type('[data-test=town-name]', '青山镇');
  await s.type('[data-test=village-name]', '石桥村');
  await s.type('[data-test=grid-names]', '第一网格');
  await s.click('[data-test=create-village]');

  // A household.
  await s.click('[data-test=add-household]');
  await s.type('[data-test=field-door_name]', '东街');
  await s.type('[data-test=field-door_number]', '12号');
  await s.click('[data-test=household-save]');
  await s.waitFor('[data-test=household-detail]', { text: '东街12号' });

  // The head: a valid ID fills sex and birth date.
  await s.click('[data-test=add-member]');
  await s.type('[data-test=field-name]', '张三');
  await s.type('[data-test=field-id_number]', '11010519491231002X');
  await s.click('[data-test=field-phone]'); // leaving the field checks it
  await s.waitFor('[data-test=id-derived]', { text: '1949-12-31' });
  assert.equal(await s.value('[data-test=field-gender]'), '女');
  assert.equal(await s.value('[data-test=field-birth_date]'), '1949-12-31');
  await s.type('[data-test=field-phone]', '138 0013 8000');
  await s.click('[data-test=person-save]');
  await s.waitForCount('[data-test=member-row]', 1);

  // A second member: the invalid ID is refused with its reason next to the field.
  await s.click('[data-test=add-member]');
  await s.type('[data-test=field-name]', '李四');
  await s.type('[data-test=field-id_number]', '110101199003070830');
  await s.click('[data-test=field-name]');
  await s.waitFor('[data-test=problem-id_number]', { text: '应为 9' });
  await s.click('[data-test=person-save]');
  await s.waitFor('[data-test=problem-id_number]', { text: '校验位' });
  await shot('invalid-id.png');
  assert.equal((await s.all('[data-test=person-form]')).length, 1, 'the form stays open');

  await s.type('[data-test=field-id_number]', '440524198001010013');
  await s.click('[data-test=field-name]');
  await s.waitFor('[data-test=id-derived]', { text: '1980-01-01' });
  assert.equal(await s.value('[data-test=field-gender]'), '男');
  await s.click('[data-test=person-save]');
  await s.waitForCount('[data-test=member-row]', 2);
  await s.waitFor('[data-test=notice]', { text: '李四' });
  await shot('household.png');

  // Find 张三 by pinyin initials and open the person page.
  await s.type('[data-test=search-input]', 'zs');
  await s.click('[data-test=search-hit]', { text: '张三' });
  await s.waitFor('[data-test=person-name]', { text: '张三' });
  await s.waitFor('[data-test=person-id-number]', { text: '11010519491231002X' });
  await shot('person-zhangsan.png');

  // Archiving asks first (in the app, in Chinese), hides nothing it cannot bring back.
  await s.click('[data-test=archive-person]');
  await s.waitFor('[data-test=ask-dialog]', { text: '数据不删除' });
  await s.click('[data-test=ask-cancel]');
  assert.equal((await s.all('[data-test=archived-tag]')).length, 0, 'cancel keeps the person');
  await s.click('[data-test=archive-person]');
  await s.click('[data-test=ask-ok]');
  await s.waitFor('[data-test=archived-tag]');
  await s.click('[data-test=archive-person]'); // now 恢复
  await s.waitForCount('[data-test=archived-tag]', 0);

  // The same ledger, read by the CLI: both persons were saved.
  const found = JSON.parse(execFileSync(cli, ['--db', db, '--json', 'person', 'find', 'ls']).toString());
  assert.deepEqual(found.map((h) => [h.name, h.gender, h.birth_date]), [['李四', '男', '1980-01-01']]);
}));
