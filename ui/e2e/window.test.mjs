// End-to-end: no typing lost and no mouse needed, on the real app at 1366×768. Esc on a
// half-typed person form asks before throwing the typing away, and after 取消 the form still
// answers Esc and Enter; an import with a bad row, confirmed, keeps its problems on screen and
// savable; a car with a driver and two passengers is typed at the checkpoint from the plate
// to 保存 without the mouse, the keys other than the text itself counted. The ledger's clock is
// fixed (GRIDLEDGER_NOW). Screenshots go to test-output/e2e/window/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/window');
const db = join(out, 'window.db');
const exports = join(out, 'exports');
const sheet = join(out, 'one-bad-row.csv');
const NOW = '2026-11-23 09:30';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

let running;
let session;

const ledger = (...args) => execFileSync(cli, ['--db', db, ...args], { env: { ...process.env, GRIDLEDGER_NOW: NOW } }).toString();

/** A valid ID number (GB 11643 check digit) for the n-th person. */
function idNumber(n) {
  const first17 = `43018219${String(60 + (n % 30)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}${String(100 + n).slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(exports, { recursive: true });
  ledger('init');
  ledger('place', 'add', '--level', '乡镇', '--name', '青山镇');
  ledger('place', 'add', '--level', '村', '--name', '石桥村', '--parent', '1');
  ledger('setting', 'report_unit', '石桥村');
  // Two households of the roll; the second person's ID number has a wrong check digit.
  const good = idNumber(1);
  const bad = idNumber(2).slice(0, 17) + (idNumber(2).endsWith('1') ? '2' : '1');
  writeFileSync(sheet, ['姓名,身份证号码,门牌名,门牌号', `张好,${good},东街,1号`, `李错,${bad},东街,2号`].join('\r\n'));
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_NOW: NOW, GRIDLEDGER_PICK_FILE: sheet, GRIDLEDGER_EXPORT_DIR: exports, GRIDLEDGER_NO_OPEN: '1' });
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

/** The data-test of the element that has the cursor. */
async function focused(s) {
  return s.cmd('POST', '/execute/sync', { script: 'return document.activeElement?.dataset?.test || document.activeElement?.tagName || null;', args: [] });
}

/** Types text into whatever has the cursor (the text itself: not counted as keys). */
async function typeHere(s, text) {
  const active = await s.cmd('GET', '/element/active');
  await s.cmd('POST', `/element/${active[ELEMENT]}/value`, { text });
}

test('Esc on a half-typed person form asks; 取消 keeps the typing and the form answers Esc and Enter', step('person', async (s) => {
  await s.click('[data-test=nav-register]');
  await s.click('[data-test=add-household]');
  // The dialog has the cursor in its first field.
  await s.waitFor('[data-test=household-form]');
  assert.equal(await focused(s), 'field-place_id');
  await s.type('[data-test=field-door_name]', '西街');
  await s.type('[data-test=field-door_number]', '9号');
  await s.click('[data-test=household-save]');
  await s.waitFor('[data-test=household-detail]', { text: '西街9号' });
  await s.click('[data-test=add-member]');
  await s.waitFor('[data-test=person-form]');
  assert.equal(await focused(s), 'field-name');
  await typeHere(s, '王五');

  await s.press(['Escape']);
  await s.waitFor('[data-test=ask-dialog]', { text: '放弃已填写的内容' });
  await shot('1-ask.png');
  await s.click('[data-test=ask-cancel]');
  await s.waitForCount('[data-test=ask-dialog]', 0);
  assert.equal(await s.value('[data-test=field-name]'), '王五');
  // The cursor is back in the form: Esc asks again, and Esc on the question cancels it.
  assert.equal(await focused(s), 'field-name');
  await s.press(['Escape']);
  await s.waitFor('[data-test=ask-dialog]', { text: '放弃已填写的内容' });
  await s.press(['Escape']);
  await s.waitForCount('[data-test=ask-dialog]', 0);
  assert.equal(await s.value('[data-test=field-name]'), '王五');
  // Enter saves it.
  await s.click('[data-test=field-name]');
  await s.press(['Enter']);
  await s.waitForCount('[data-test=person-form]', 0);
  await s.waitFor('[data-test=member-list]', { text: '王五' });
  await shot('2-saved.png');
}));

test('an import with a bad row, confirmed, keeps its problems on screen and savable', step('import', async (s) => {
  await s.click('[data-test=nav-import]');
  await s.click('[data-test=import-pick]');
  await s.waitFor('[data-test=import-rejected]', { text: '1' });
  await s.waitFor('[data-test=import-error-row]', { text: '李错' });
  await s.click('[data-test=import-confirm]');
  const result = await s.waitFor('[data-test=import-result]', { text: '有错未导入 1 行', timeout: 30_000 });
  assert.match(await s.text(result), /新增 \d/);
  // The problem list and its button are still there after confirming.
  await s.waitFor('[data-test=import-result] [data-test=import-error-row]', { text: '李错' });
  await shot('3-import-result.png');
  await s.click('[data-test=import-result] [data-test=import-problems-file]');
  await s.waitFor('[data-test=import-notice]', { text: '问题清单已保存' });
  assert.ok(readdirSync(exports).some((f) => f.endsWith('.xlsx') && f.includes('导入问题')), readdirSync(exports).join(', '));
}));

test('a car with a driver and two passengers, typed from the plate to 保存 without the mouse', step('station', async (s) => {
  await s.click('[data-test=nav-station]');
  await s.type('[data-test=site-name]', '东口卡口');
  await s.choose('[data-test=site-place]', '青山镇/石桥村');
  await s.click('[data-test=site-save]');
  await s.waitFor('[data-test=station-form]');
  // The mouse's last click: the plate. From here on only keys.
  await s.click('[data-test=plate]');
  let keys = 0;
  const press = async (...k) => {
    keys += await s.press(k);
  };
  const at = async (expected) => assert.equal(await focused(s), expected);
  await typeHere(s, 'A12345');
  await press('Enter');
  await at('driver-name');
  await typeHere(s, '司机甲');
  await press('Enter', 'Enter', 'Enter');
  await at('driver-temperature');
  await typeHere(s, '36.5');
  await press('Enter');
  await at('add-passenger');
  await press('Enter');
  await at('passenger-0-name');
  await typeHere(s, '乘客乙');
  await press('Enter', 'Enter', 'Enter');
  await at('passenger-0-temperature');
  await typeHere(s, '36.6');
  await press('Enter', 'Enter');
  await at('passenger-1-name');
  await typeHere(s, '乘客丙');
  await press('Enter');
  await typeHere(s, idNumber(31));
  await press('Enter', 'Enter');
  await at('passenger-1-temperature');
  await typeHere(s, '37.8');
  // Done with passengers: 「＋ 乘客」 has the cursor, Tab goes on to 出发地.
  await press('Enter', 'Tab');
  await at('origin');
  await typeHere(s, '长沙市');
  await press('Enter');
  await at('destination');
  await typeHere(s, '石桥村');
  await press('Enter');
  await at('disposal-放行');
  // With two passengers, the save button is in sight in the 768-pixel window.
  const save = await s.cmd('POST', '/execute/sync', {
    script: "const r = document.querySelector('[data-test=stop-save]').getBoundingClientRect(); return [r.top, r.bottom, innerHeight];",
    args: [],
  });
  assert.ok(save[0] >= 0 && save[1] <= save[2], `保存 at ${save[0]}–${save[1]} of ${save[2]}`);
  await shot('4-station-typed.png');
  await press('Enter');
  await at('stop-save');
  await press('Enter');
  await s.waitFor('[data-test=station-notice]', { text: '已保存' });
  await s.waitFor('[data-test=station-people]', { text: '3' });
  console.log(`checkpoint stop, driver and two passengers: ${keys} keys besides the text`);
  assert.ok(keys <= 25, `${keys} keys`);
  // The list shows every passenger, the feverish one first.
  const passengers = await s.waitFor('[data-test=station-passengers]', { text: '乘客乙' });
  assert.equal(await s.text(passengers), '乘客丙 37.8、乘客乙 36.6');
  // After saving, the cursor is back on the plate for the next car.
  await at('plate');
  await shot('5-station-saved.png');
}));

// The shell's doors (issue 16): the web view can ask the core to read only a file picked in
// the app's file dialog, and to reveal only a file the app wrote. Asked directly, as a page
// that went wrong would, both refuse; the file picked and the file exported still work.
test('a page can import only a picked file and reveal only a file the app wrote', step('doors', async (s) => {
  const ask = async (cmd, args) => s.cmd('POST', '/execute/async', {
    script: `const [cmd, args, done] = arguments;
      window.__TAURI_INTERNALS__.invoke(cmd, args).then(() => done('ok'), (e) => done(e.code || String(e)));`,
    args: [cmd, args],
  });
  assert.equal(await ask('import_preview', { path: '/etc/hostname', options: {} }), 'argument_invalid');
  assert.equal(await ask('import_run', { path: '/etc/hostname', options: {} }), 'argument_invalid');
  assert.equal(await ask('show_in_folder', { path: '/etc/hostname' }), 'argument_invalid');
  // The file the dialog gave is taken.
  assert.equal(await ask('pick_import_file', {}), 'ok');
  assert.equal(await ask('import_preview', { path: sheet, options: {} }), 'ok');
  // A problem list the app wrote may be shown in its folder.
  const written = await s.cmd('POST', '/execute/async', {
    script: `const done = arguments[0];
      window.__TAURI_INTERNALS__.invoke('import_problems', {}).then((p) => done(p), (e) => done('error ' + e.code));`,
    args: [],
  });
  assert.ok(!written.startsWith('error'), written);
  assert.equal(await ask('show_in_folder', { path: written }), 'ok');
}));
