// End-to-end: a day in the village, on the real app at 1366×768. The ledger starts with 29
// persons in home isolation (imported by the command line); in the window a cadre registers a
// returnee at the door and starts home isolation; does the temperature round for all 30 by
// keyboard only (one fever), counting the keys; registers a case with two 密接 and a 次密接
// and follows the chain from both ends; records a checkpoint stop with two named passengers
// handed to the village, which then shows on 今日 and is handled; and finds every one of
// these on the 日报 and the lists. Screenshots go to test-output/e2e/day/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchApp, TESTER } from './webdriver.mjs';
import { openForm } from './sheet.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/day');
const db = join(out, 'day.db');
const ISOLATED = 29;

let running;
let session;

const ledger = (...args) => execFileSync(cli, ['--db', db, ...args]).toString();
const json = (...args) => JSON.parse(ledger('--json', ...args));

/** A valid ID number (GB 11643 check digit) for the n-th person. */
function idNumber(n) {
  const first17 = `43018219${String(60 + (n % 30)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}${String(100 + n).slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The machine's day, as the app counts it (local time), `offset` days away. */
function day(offset = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  ledger('init');
  ledger('place', 'add', '--level', '乡镇', '--name', '青山镇');
  ledger('place', 'add', '--level', '村', '--name', '石桥村', '--parent', '1');
  ledger('place', 'add', '--level', '网格', '--name', '第一网格', '--parent', '2');
  ledger('setting', 'report_unit', '石桥村');
  const rows = ['姓名,身份证号码,门牌名,门牌号,隔离方式,开始日期'];
  for (let i = 1; i <= ISOLATED; i++) {
    rows.push(`隔离人${String(i).padStart(2, '0')},${idNumber(i)},东街,${i}号,居家隔离医学观察,${day(-2)}`);
  }
  const sheet = join(out, 'isolations.csv');
  writeFileSync(sheet, rows.join('\r\n'));
  ledger('import', sheet, '--as', 'isolations', '--village', '第一网格');
  assert.equal(json('summary').under_watch, ISOLATED);
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_EXPORT_DIR: join(out, 'exports'), GRIDLEDGER_NO_OPEN: '1' });
  session = running.session;
  await session.resize();
});

after(async () => {
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
}

/** Runs a test body; on failure saves a screenshot named after the step. */
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

async function openPerson(s, name) {
  await s.type('[data-test=search-input]', name);
  await s.click('[data-test=search-hit]', { text: name });
  await s.waitFor('[data-test=person-name]', { text: name });
}

test('a returnee at the door: registered, arrival recorded, home isolation started', step('returnee', async (s) => {
  await s.click('[data-test=nav-register]');
  await s.click('[data-test=add-household]');
  await s.type('[data-test=field-door_name]', '东街');
  await s.type('[data-test=field-door_number]', '30号');
  await s.click('[data-test=household-save]');
  await s.waitFor('[data-test=household-detail]', { text: '东街30号' });
  await s.click('[data-test=add-member]');
  await s.type('[data-test=field-name]', '赵返乡');
  await s.type('[data-test=field-id_number]', idNumber(30));
  await s.type('[data-test=field-phone]', '13900001111');
  await s.click('[data-test=person-save]');
  await s.click('[data-test=member-name]', { text: '赵返乡' });
  await s.waitFor('[data-test=person-name]', { text: '赵返乡' });

  await s.click('[data-test=person-action-arrival]');
  await s.waitFor('[data-test=record-form]');
  await s.click('[data-test=today-arrival_date]');
  await s.type('[data-test=field-origin]', '广东省深圳市南山区');
  await s.click('[data-test=record-save]');
  await s.waitFor('[data-test=person-arrivals]', { text: '深圳' });

  await s.click('[data-test=person-action-isolation]');
  await s.waitFor('[data-test=record-form]');
  await s.choose('[data-test=field-kind]', '居家隔离医学观察');
  await s.click('[data-test=today-start_date]');
  await s.click('[data-test=record-save]');
  await s.waitFor('[data-test=person-isolations]', { text: '居家隔离医学观察' });
  await shot('1-returnee.png');
  assert.equal(json('summary').under_watch, ISOLATED + 1);
}));

test('the temperature round of 30 persons × 2 readings by keyboard, one fever', step('round', async (s) => {
  await s.click('[data-test=nav-round]');
  await s.waitFor('[data-test=round-counts]', { text: `在管 ${ISOLATED + 1} 人` });
  // The cursor starts in the reading of this time of day; the other follows the last row.
  const first = new Date().getHours() < 12 ? '上午' : '下午';
  const second = first === '上午' ? '下午' : '上午';
  let pressed = 0;
  for (const column of [first, second]) {
    for (let row = 0; row <= ISOLATED; row++) {
      // The fifth person has a fever in the morning: 383 is 38.3 ℃; 5 is 36.5 ℃.
      const fever = row === 4 && column === '上午';
      pressed += await s.press([fever ? '383' : '5', 'Enter']);
    }
    await s.waitFor('[data-test=round-counts]', { text: `${column}已测 ${ISOLATED + 1}` });
  }
  await s.waitFor('[data-test=round-counts]', { text: '异常 1' });
  await shot('2-round.png');
  // From the grid, / goes to the search box, and what is typed there stays there.
  await s.press(['/', 'glr']);
  assert.equal(await s.value('[data-test=search-input]'), 'glr');
  await s.waitFor('[data-test=search-hit]', { text: '隔离人' });
  assert.equal((await s.all('[data-test=round-problem]')).length, 0, 'nothing typed into a reading');
  await s.press(['Escape']);
  console.log(`temperature round: ${ISOLATED + 1} persons × 2 readings in ${pressed} keystrokes`);
  assert.ok(pressed <= 200, `${pressed} keystrokes`);
  // Saved as typed: every reading is in the ledger, the fever on today's list.
  const today = json('today');
  assert.equal(today.readings_missing.length, 0);
  assert.deepEqual(today.fevers.map((f) => [f.name, f.am_temperature]), [['隔离人05', 38.3]]);
}));

test('a case with two 密接 and a 次密接, followed from both ends', step('chain', async (s) => {
  await openPerson(s, '隔离人01');
  await s.click('[data-test=person-action-case]');
  await s.waitFor('[data-test=record-form]');
  await s.click('[data-test=today-reported_date]');
  await s.click('[data-test=record-save]');
  await s.waitFor('[data-test=case-list]');

  // Two 密接: one of the register, one created on the spot.
  for (const [name, create] of [['隔离人02', false], ['钱密接', true]]) {
    await s.click('[data-test=person-action-contact]');
    await s.waitFor('[data-test=record-form]');
    await s.type('[data-test=picker-search]', name);
    if (create) {
      await s.click('[data-test=picker-new]');
      await s.type('[data-test=picker-new-name]', name);
      await s.type('[data-test=picker-new-phone]', '13700001234');
      await s.click('[data-test=picker-create]');
    } else {
      await s.click('[data-test=picker-hit]', { text: name });
    }
    await s.waitFor('[data-test=picker-chosen]', { text: name });
    await s.choose('[data-test=field-level]', '密接');
    await s.click('[data-test=today-last_contact_date]');
    await s.click('[data-test=record-save]');
    await s.waitFor('[data-test=exposed]', { text: name });
    if (create) {
      // A new 密接 not under watch is offered an isolation at once, starting today.
      const offer = await s.waitFor('[data-test=record-form]', { text: `开始隔离：${name}（密接）` });
      assert.equal(await s.value('[data-test=field-kind]'), '居家隔离医学观察');
      assert.equal(await s.value('[data-test=field-start_date]'), day());
      await shot('3-isolation-offer.png');
      await s.click('[data-test=record-save]');
      await s.waitFor('[data-test=person-notice]', { text: '已登记' });
      assert.ok(offer);
    } else {
      // 隔离人02 is under watch already: nothing to offer.
      await sleep(500);
      assert.equal((await s.all('[data-test=record-form]')).length, 0);
    }
  }
  assert.equal(json('today').awaiting_isolation.length, 0, 'every contact so far is isolated');

  // From the case to a 密接, who gets a 次密接.
  await s.click('[data-test=chain-contact]', { text: '隔离人02' });
  await s.waitFor('[data-test=person-name]', { text: '隔离人02' });
  await s.waitFor('[data-test=exposed-by]', { text: '隔离人01' });
  await s.click('[data-test=person-action-subcontact]');
  await s.waitFor('[data-test=record-form]');
  await s.type('[data-test=picker-search]', '隔离人03');
  await s.click('[data-test=picker-hit]', { text: '隔离人03' });
  await s.click('[data-test=today-last_contact_date]');
  await s.click('[data-test=record-save]');
  await s.waitFor('[data-test=exposed]', { text: '隔离人03' });

  // From the 次密接's end back to the case.
  await s.click('[data-test=chain-contact]', { text: '隔离人03' });
  await s.waitFor('[data-test=person-name]', { text: '隔离人03' });
  await s.waitFor('[data-test=exposed-by]', { text: '次密接' });
  await s.waitFor('[data-test=chain-source]', { text: '隔离人02' });
  await shot('3-chain.png');
  await s.click('[data-test=chain-case]', { text: '隔离人01' });
  await s.waitFor('[data-test=person-name]', { text: '隔离人01' });
  await s.waitFor('[data-test=exposed]', { text: '钱密接' });
}));

test('a checkpoint stop with two named passengers handed to the village, handled on 今日', step('station', async (s) => {
  await s.click('[data-test=nav-station]');
  // The first stop registers the checkpoint itself.
  await s.type('[data-test=site-name]', '东口卡口');
  await s.choose('[data-test=site-place]', '青山镇/石桥村');
  await s.click('[data-test=site-save]');
  await s.waitFor('[data-test=station-form]');
  await s.click('[data-test=plate-province]');
  await s.click('[data-test=province-picker] button', { text: '湘' });
  await s.type('[data-test=plate]', 'A12345');
  await s.type('[data-test=driver-name]', '司机甲');
  await s.type('[data-test=driver-temperature]', '36.5');
  await s.click('[data-test=add-passenger]');
  await s.type('[data-test=passenger-0-name]', '乘客乙');
  await s.type('[data-test=passenger-0-temperature]', '36.6');
  await s.click('[data-test=add-passenger]');
  await s.type('[data-test=passenger-1-name]', '乘客丙');
  await s.type('[data-test=passenger-1-id_number]', idNumber(31));
  await s.type('[data-test=passenger-1-temperature]', '37.8');
  await s.type('[data-test=origin]', '长沙市');
  await s.type('[data-test=destination]', '石桥村');
  await s.click('[data-test="disposal-移交村(社区)"]');
  await s.choose('[data-test=handed_to]', '青山镇/石桥村');
  await shot('4-station-form.png');
  await s.click('[data-test=stop-save]');
  await s.waitFor('[data-test=station-notice]', { text: '已移交村' });
  await s.waitFor('[data-test=station-people]', { text: '3' });
  await s.waitFor('[data-test=station-vehicles]', { text: '1' });
  await shot('5-station.png');

  await s.click('[data-test=nav-today]');
  const handoffs = await s.waitFor('[data-test=today-section-handoffs]', { text: '司机甲' });
  // The passengers by name with their temperatures; 乘客丙's fever is on the line.
  assert.match(await s.text(handoffs), /乘客乙 36\.6℃、乘客丙 37\.8℃/);
  await s.waitFor('[data-test=today-handoff-fever]', { text: '车上有人发热' });
  await shot('6-today.png');
  await s.click('[data-test=today-handle]');
  await s.click('[data-test=ask-ok]');
  await s.waitFor('[data-test=today-count-handoffs]', { text: '（0）' });
  // The three travellers handed over are in the register now.
  assert.equal(json('person', 'find', '乘客丙').length, 1);
  // The feverish passenger is offered a watch at once: found in the register by name.
  await s.waitFor('[data-test=record-form]', { text: '开始居家健康监测：乘客丙（37.8℃' });
  await s.click('[data-test=picker-hit]', { text: '乘客丙' });
  await s.waitFor('[data-test=picker-chosen]', { text: '乘客丙' });
  assert.equal(await s.value('[data-test=field-kind]'), '居家健康监测');
  await shot('6b-watch-offer.png');
  await s.click('[data-test=record-save]');
  await s.waitFor('[data-test=today-notice]', { text: '已开始：乘客丙（居家健康监测）' });
  // Under watch now, so on the round of today: no longer lost after 处理.
  assert.ok(json('today').readings_missing.some((w) => w.name === '乘客丙'));
}));

test('the 日报 and the lists show every one of these', step('reports', async (s) => {
  await s.click('[data-test=nav-reports]');
  // Each step reads the form it clicked, settled: never the rows of the form shown before.
  const daily = await openForm(s, '每日疫情防控日报');
  const counts = (name, rows = daily.rows) => {
    const row = rows.find((cells) => cells.some((c) => c.trim() === name));
    assert.ok(row, `a row for ${name}: ${JSON.stringify(rows)}`);
    return row.slice(-12);
  };
  // 新增来(返)乡, 累计, 在管居家隔离, 当日解除, 发热/异常, 新增确诊, 无症状, 疑似, 密接, 次密接,
  // 卡口人次, 车次. 钱密接, registered on the spot without a household and isolated at once,
  // is on the 未分村 row; the total is all of them. The case typed today is 新增确诊 1.
  assert.deepEqual(counts('石桥村'), ['1', '1', String(ISOLATED + 1), '0', '1', '1', '0', '0', '1', '1', '3', '1']);
  assert.deepEqual(counts('未分村（社区）'), ['0', '0', '1', '0', '0', '0', '0', '0', '1', '0', '0', '0']);
  assert.deepEqual(counts('合计', [daily.totals]), ['1', '1', String(ISOLATED + 2), '0', '1', '1', '0', '0', '2', '1', '3', '1']);
  await s.click('[data-test=report-export]');
  await s.waitFor('[data-test=report-path]');
  await shot('7-daily.png');
  for (const [form, names] of [
    ['来(返)乡人员登记表', ['赵返乡']],
    ['密切接触者登记表', ['隔离人02', '钱密接', '隔离人03']],
    ['卡口检查登记表', ['司机甲', '乘客乙', '乘客丙']],
    ['居家隔离人员名单', ['赵返乡', '隔离人05']],
  ]) {
    const sheet = await openForm(s, form);
    for (const name of names) {
      assert.ok(sheet.rows.some((cells) => cells.some((c) => c.includes(name))), `${form} lists ${name}`);
    }
  }
  // The forms agree with each other, and 今日 knows the 日报 went out.
  const check = json('check', 'forms');
  assert.ok(check.pairs.every((p) => p.agree), JSON.stringify(check.pairs.filter((p) => !p.agree)));
  await s.click('[data-test=nav-today]');
  await s.waitFor('[data-test=today-daily-done]', { text: '每日疫情防控日报' });
}));

test('the case has its own list, from the 总览 card', step('cases', async (s) => {
  await s.click('[data-test=nav-overview]');
  await s.click('[data-test=count-cases]');
  await s.waitFor('[data-test=cases-page]');
  await s.waitFor('[data-test=case-row]', { text: '隔离人01' });
  // 确诊, reported today; two 密接 and one 次密接, none waiting for an isolation.
  const rows = await s.cmd('POST', '/execute/sync', {
    script: "return [...document.querySelectorAll('[data-test=case-row]')].map((tr) => [...tr.cells].map((c) => c.textContent.trim()));",
    args: [],
  });
  assert.equal(rows.length, 1);
  const cells = rows[0];
  assert.deepEqual([cells[0], cells[1], cells[2]], ['隔离人01', '确诊', day()]);
  assert.deepEqual(cells.slice(-3), ['2', '1', '0']);
  await s.click('[data-test=cases-today]');
  await s.waitFor('[data-test=cases-count]', { text: '共 1 例' });
  await shot('8-cases.png');
  await s.click('[data-test=case-person]', { text: '隔离人01' });
  await s.waitFor('[data-test=person-name]', { text: '隔离人01' });
}));

test('a 日报 exported before a change is told stale on 今日', step('stale', async (s) => {
  // A returnee typed after the export changes 新增来(返)乡: 今日 says the 日报 no longer holds.
  ledger('person', 'add', '--name', '孙晚归');
  ledger('arrival', 'add', '孙晚归', '--kind', '返乡', '--date', day(), '--origin', '广东省深圳市南山区');
  await s.click('[data-test=nav-overview]');
  await s.click('[data-test=nav-today]');
  await s.waitFor('[data-test=today-daily-stale]', { text: '请重新导出' });
  await shot('9-stale.png');
}));

test('an archived person is found with 含已归档 and restored, both in the change log', step('archive', async (s) => {
  await openPerson(s, '隔离人29');
  await s.click('[data-test=archive-person]');
  await s.click('[data-test=ask-ok]');
  await s.waitFor('[data-test=person-archived]', { text: '归档：' });
  await s.click('[data-test=nav-register]');
  await s.type('[data-test=search-input]', '隔离人29');
  await s.waitFor('[data-test=search-results]', { text: '没有找到' });
  await s.click('[data-test=search-with-archived]');
  const hit = await s.waitFor('[data-test=search-hit]', { text: '隔离人29' });
  assert.match(await s.text(hit), /已归档/);
  await shot('10-archived-search.png');
  await s.click('[data-test=search-hit]', { text: '隔离人29' });
  await s.waitFor('[data-test=person-archived]');
  await s.click('[data-test=restore-person]');
  await s.waitFor('[data-test=archive-person]', { text: '归档' });
  assert.equal((await s.all('[data-test=person-archived]')).length, 0);
  await s.click('[data-test=person-changes]');
  const log = await s.waitFor('[data-test=record-changes-list]', { text: '恢复' });
  assert.match(await s.text(log), /归档/);
  await shot('11-archive-log.png');
  // The audit trail has both too, newest first, and the person's arrival typed by the
  // command line, each naming who did it (未署名: no operator or 填报人 was set).
  await s.click('[data-test=person-audit]');
  // The trail loads after the click: wait for its newest row before reading them all.
  await s.waitFor('[data-test=person-audit-row]', { text: '恢复' });
  const rows = await s.all('[data-test=person-audit-row]');
  const lines = [];
  for (const row of rows) lines.push(await s.text(row));
  assert.match(lines[0], /人员\s*恢复/);
  assert.match(lines[1], /人员\s*归档/);
  assert.ok(lines.some((l) => /人员\s*新增/.test(l)), lines.join('\n'));
  assert.ok(lines.every((l) => l.includes(TESTER.name)), lines.join('\n'));
  await shot('11b-audit-trail.png');
}));
