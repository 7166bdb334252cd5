// End-to-end: a township clerk imports a county's sheet of 100,000 returning people
// (county_sheet.py: 5 townships, 150 villages, 6,750 grids, 24 rows with mistakes) into a
// ledger that has only 青山镇/石桥村. The preview counts its rows at the top of the wizard and
// can be cancelled; the places the ledger lacks are a tree of townships and villages; 全部新建
// is ticked, confirmed, and the writing is counted too; the clerk looks at another page while
// it writes and comes back to it; the result keeps the 24 problems and saves them. The ledger
// then holds exactly the places the preview promised, and each arrival under its own grid.
// The app's memory (PSS of the app and its WebKit processes) is sampled throughout and its
// peak printed. Screenshots go to test-output/e2e/county/.
//
// COUNTY_ROWS=50000 makes a smaller county (a quicker run); 100,000 is the real size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp, readable } from './webdriver.mjs';
import { appMemory, megabytes } from './memory.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/county');
const db = join(out, 'county.db');
const exports = join(out, 'exports');
const sheet = join(out, 'county.xlsx');
const ROWS = Number(process.env.COUNTY_ROWS || 100_000);
const NOW = '2026-11-23 09:30';
// Long work: the debug build reads 100,000 rows in about 20 s a pass, on a busy machine more.
const LONG = 600_000;

let running;
let session;
let badRows;
let sampler;
const memory = { peak: 0, samples: 0, byProcess: {}, lastShot: 'the start', after: '' };

const ledger = (...args) => execFileSync(cli, ['--db', db, ...args], { env: { ...process.env, GRIDLEDGER_NOW: NOW }, maxBuffer: 1 << 28 }).toString();
// Counted by the system's sqlite3 on a plaintext copy (the window encrypted the ledger).
let plain = null;
const sql = (query) => execFileSync('sqlite3', ['-readonly', (plain ??= readable(cli, db)), query]).toString().trim();

/** Samples the PSS of the app's processes; keeps the peak; returns the sum by process. */
function sampleMemory() {
  const { total, byProcess } = appMemory(app);
  memory.samples += 1;
  // COUNTY_MEMORY_TRACE=1 prints every sample: where the memory goes, step by step.
  if (process.env.COUNTY_MEMORY_TRACE) console.log(`memory after ${memory.lastShot}: ${(total / 1024).toFixed(0)} MB (${megabytes(byProcess)})`);
  if (total > memory.peak) {
    memory.peak = total;
    memory.byProcess = byProcess;
    memory.after = memory.lastShot;
  }
  return byProcess;
}

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(exports, { recursive: true });
  const made = Date.now();
  badRows = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'county_sheet.py'), sheet, String(ROWS)]).toString());
  console.log(`county sheet: ${ROWS} rows written in ${((Date.now() - made) / 1000).toFixed(1)} s`);
  ledger('init');
  ledger('place', 'add', '--level', '乡镇', '--name', '青山镇');
  ledger('place', 'add', '--level', '村', '--name', '石桥村', '--parent', '1');
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_NOW: NOW, GRIDLEDGER_PICK_FILE: sheet, GRIDLEDGER_EXPORT_DIR: exports, GRIDLEDGER_NO_OPEN: '1' });
  session = running.session;
  await session.resize();
  sampleMemory();
  sampler = setInterval(sampleMemory, 500);
});

after(async () => {
  clearInterval(sampler);
  console.log(`peak PSS of the app and its WebKit processes: ${(memory.peak / 1024).toFixed(0)} MB over ${memory.samples} samples, after ${memory.after} (${megabytes(memory.byProcess)})`);
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
  console.log(`${name}: PSS ${megabytes(sampleMemory())}`);
  memory.lastShot = name;
}

/** The text of an element and whether it lies wholly inside the window. */
async function inSight(css) {
  const script = `const el = document.querySelector(arguments[0]);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { text: el.textContent.trim(), top: Math.round(r.top), bottom: Math.round(r.bottom), inside: r.top >= 0 && r.bottom <= innerHeight && r.height > 0 };`;
  return session.cmd('POST', '/execute/sync', { script, args: [css] });
}

const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

test('a county’s 100,000 rows: counted while read and written, cancelled, places created as promised, arrivals under their grids, problems kept', async () => {
  const s = session;
  const total = `/ ${ROWS} 行`;
  try {
    await s.click('[data-test=nav-import]');

    // The first preview is counted at the top of the wizard, and 取消 stops it.
    // A sheet saved in openpyxl's write-only mode states no size: the first reading counts
    // the rows read (a sheet that states it, or a second reading, counts against the total).
    await s.click('[data-test=import-pick]');
    await s.waitFor('[data-test=import-progress-text]', { text: '行', timeout: LONG });
    const reading = await inSight('[data-test=import-progress]');
    assert.match(reading.text, new RegExp(`正在读取并检查… (已读 \\d+|\\d+ / ${ROWS}) 行`));
    assert.ok(reading.inside, `the reading bar is in sight: ${JSON.stringify(reading)}`);
    await shot('1-reading.png');
    await s.click('[data-test=import-cancel]');
    await s.waitFor('[data-test=import-cancelled]', { text: '已取消，台账没有改动', timeout: LONG });
    assert.equal((await s.all('[data-test=import-progress]')).length, 0);
    await shot('2-cancelled.png');

    // Checked again, to the end: every place is unknown, and nothing would be written.
    let since = Date.now();
    await s.click('[data-test=import-recheck]');
    await s.waitFor('[data-test=import-progress-text]', { text: '行', timeout: LONG });
    await shot('3-reading-again.png');
    await s.waitFor('[data-test=import-counts]', { timeout: LONG });
    console.log(`preview (every place unknown): ${seconds(since)} s`);
    assert.match(await s.text(await s.waitFor('[data-test=import-rejected]')), new RegExp(`有错未导入 ${ROWS} 行`));
    assert.equal(await s.text(await s.waitFor('[data-test=import-confirm]')), '无可导入');
    const summary = await inSight('[data-test=import-unknown-summary]');
    assert.match(summary.text, new RegExp(`（${ROWS} 行）`));
    // 全部新建 is on the first screen, above the tree of townships and villages.
    const createAll = await inSight('[data-test=import-create-places]');
    assert.ok(createAll.inside, `全部新建 is in sight: ${JSON.stringify(createAll)}`);
    const groups = await s.all('[data-test=place-group]');
    assert.ok(groups.length > 0 && groups.length < 200, `a short tree: ${groups.length} lines`);
    await shot('4-unknown-places.png');

    // 全部新建: previewed again, the places to be created listed as a folded tree.
    since = Date.now();
    await s.click('[data-test=import-create-places]');
    await s.waitFor('[data-test=import-progress-text]', { text: total, timeout: LONG });
    await s.waitFor('[data-test=import-places-created]', { timeout: LONG });
    console.log(`preview (全部新建): ${seconds(since)} s`);
    const confirm = await s.text(await s.waitFor('[data-test=import-confirm]'));
    const promised = /新增 (\d+)，更新 0，新建地点 (\d+)/.exec(confirm);
    assert.ok(promised, `the confirm says what it writes: ${confirm}`);
    const [inserted, places] = [Number(promised[1]), Number(promised[2])];
    assert.equal(inserted, ROWS - badRows.length);
    const created = (await s.all('[data-test=import-places-created] li')).length;
    assert.ok(created > 0 && created < 200, `the created places fold below their villages: ${created} lines`);
    await shot('5-places-to-create.png');
    const placesBefore = JSON.parse(ledger('--json', 'place', 'list')).length;

    // Confirmed: the writing is counted at the top, in sight.
    since = Date.now();
    await s.click('[data-test=import-confirm]');
    await s.waitFor('[data-test=import-progress-text]', { text: '正在写入…', timeout: LONG });
    await s.waitFor('[data-test=import-progress-text]', { text: total, timeout: LONG });
    const writing = await inSight('[data-test=import-progress]');
    assert.match(writing.text, new RegExp(`正在写入… \\d+ / ${ROWS} 行`));
    assert.ok(writing.inside, `the writing bar is in sight: ${JSON.stringify(writing)}`);
    await shot('6-writing.png');

    // Another page meanwhile, and back: the import is still under way, or done.
    await s.click('[data-test=nav-today]');
    await s.waitFor('[data-test=nav-today].active');
    await shot('7-another-page.png');
    await s.click('[data-test=nav-import]');
    const back = await s.waitFor('[data-test=import-progress], [data-test=import-result]');
    console.log(`back on 导入表格: ${(await s.text(back)).split('\n')[0]}`);
    await shot('8-back.png');

    const result = await s.waitFor('[data-test=import-result]', { text: `新增 ${inserted}`, timeout: LONG });
    console.log(`import (writing): ${seconds(since)} s`);
    assert.match(await s.text(result), new RegExp(`有错未导入 \\d+ 行`));
    await shot('9-result.png');

    // The ledger holds the places promised, and each arrival under its own grid.
    assert.equal(JSON.parse(ledger('--json', 'place', 'list')).length, placesBefore + places);
    assert.equal(Number(sql('SELECT count(*) FROM arrivals')), inserted);
    assert.equal(sql("SELECT count(*) FROM arrivals a JOIN places p ON p.id = a.destination_place_id WHERE p.level = '网格'"), String(inserted));
    const grids = Number(sql('SELECT count(DISTINCT destination_place_id) FROM arrivals'));
    assert.equal(grids, Math.min(ROWS, 6750));

    // The result keeps the problems, every bad row of the sheet, and saves them.
    const rows = [];
    for (const row of await s.all('[data-test=import-result] [data-test=import-error-row]')) rows.push(Number((await s.cells(row))[0]));
    assert.deepEqual(rows.sort((a, b) => a - b), badRows);
    await s.click('[data-test=import-result] [data-test=import-problems-file]');
    // Said beside the button as well as at the top of the page.
    const saved = await s.waitFor('[data-test=import-result-notice]', { text: '问题清单已保存' });
    const file = (await s.text(saved)).replace(/^问题清单已保存：/, '').trim();
    assert.ok(file.startsWith(exports) && existsSync(file), `the problems file is written: ${file}`);
    await shot('10-problems-saved.png');

    // The county's returnees exported as its 来(返)乡人员登记表, all 100,000 rows of them.
    await s.click('[data-test=nav-reports]');
    await s.waitFor('[data-test=report-preview]', { text: '来(返)乡人员登记表', timeout: LONG });
    since = Date.now();
    await s.click('[data-test=report-export]');
    const exported = await s.waitFor('[data-test=report-notice]', { text: '已导出', timeout: LONG });
    console.log(`export: ${seconds(since)} s`);
    assert.match(await s.text(exported), new RegExp(`已导出 ${inserted} 行`));
    await shot('11-exported.png');
  } catch (error) {
    await shot('failure.png').catch(() => {});
    throw error;
  }
});
