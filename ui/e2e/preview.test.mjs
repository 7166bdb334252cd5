// End-to-end: the preview is the export. On the sample village, in the real desktop app, a
// clerk picks a form on 报表, changes its date range (and, once, its 范围), waits for the
// preview to refresh and exports it; the rows on screen must be exactly the rows of the xlsx
// (same count, same cells in the same order), and so must the title, the 填报单位 line, the
// header, the 合计 row and the footnotes. Switching forms must not carry a date range over.
// The xlsx is read with python3-openpyxl. Screenshots go to test-output/e2e/preview/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp } from './webdriver.mjs';
import { openForm, screenSheet, settled } from './sheet.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/preview');
const db = join(out, 'sample.db');
const exports = join(out, 'exports');
// The screen shows this many rows at most; the file has them all.
const SHOWN_MAX = 100; // report::PREVIEW_ROWS

let running;
let session;
let today = ''; // the ledger's today, as the page shows it in 截止日期

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(exports, { recursive: true });
  execFileSync(cli, ['--db', db, 'demo']);
  execFileSync(cli, ['--db', db, 'setting', 'report_unit', '青山镇石桥村村委会']);
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_EXPORT_DIR: exports, GRIDLEDGER_NO_OPEN: '1' });
  session = running.session;
  await session.resize();
});

after(async () => {
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
}

/** `day` (YYYY-MM-DD) moved by `offset` days. */
function shift(day, offset) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

// Every cell of the first sheet, as JSON: blank, text, number or date (with its format, which
// says whether the time of day is shown).
const READ_XLSX = String.raw`
import json, sys, datetime, openpyxl
sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
def cell(c):
    v = c.value
    if v is None: return {"t": "blank"}
    if isinstance(v, bool): return {"t": "other", "v": str(v)}
    if isinstance(v, (int, float)): return {"t": "n", "v": v, "f": c.number_format}
    if isinstance(v, datetime.datetime): return {"t": "d", "v": v.isoformat(), "f": c.number_format}
    if isinstance(v, datetime.date): return {"t": "d", "v": v.isoformat() + "T00:00:00", "f": c.number_format}
    if isinstance(v, str): return {"t": "s", "v": v}
    return {"t": "other", "v": repr(v)}
rows = [[cell(c) for c in row] for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column)]
json.dump({"title": sheet.title, "rows": rows}, sys.stdout, ensure_ascii=False)
`;

// Debian's own Python, which sees the python3-openpyxl package that scripts/setup-debian
// installs; a python3 earlier on PATH (pyenv, a venv) may not, and may have its own openpyxl.
const python = [process.env.GRIDLEDGER_PYTHON, '/usr/bin/python3', 'python3'].find((p) => {
  if (!p) return false;
  try {
    execFileSync(p, ['-c', 'import openpyxl'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
});

function readXlsx(path) {
  assert.ok(python, 'openpyxl is missing: install the Debian package python3-openpyxl (scripts/setup-debian)');
  return JSON.parse(execFileSync(python, ['-c', READ_XLSX, path], { timeout: 60_000, maxBuffer: 64 << 20 }).toString());
}

/** Why the file's cell is not the screen's text, or '' when they are the same value. A number
 * is the same when the text is that number (36 on screen for 36.0 in a 0.0 cell); a date
 * when the text is that day (2026-11-20), or that day and minute for a date-time cell. */
function differs(text, cell) {
  switch (cell.t) {
    case 'blank':
      return text === '' ? '' : 'empty in the file';
    case 's':
      return text === cell.v ? '' : `file text “${cell.v}”`;
    case 'n':
      return /^-?\d+(\.\d+)?$/.test(text) && Number(text) === cell.v ? '' : `file number ${cell.v} (format ${cell.f})`;
    case 'd': {
      const [date, time] = cell.v.split('T');
      const withTime = /h/i.test(cell.f);
      const expected = withTime ? `${date} ${time.slice(0, 5)}` : date;
      if (!withTime && time !== '00:00:00') return `file date-time ${cell.v} shown as a date (format ${cell.f})`;
      if (withTime && !time.endsWith(':00')) return `file date-time ${cell.v} has seconds`;
      return text === expected ? '' : `file date ${cell.v} (format ${cell.f})`;
    }
    default:
      return `file value ${cell.v}`;
  }
}

const isEmptyRow = (row) => !row || row.every((c) => c.t === 'blank');
const texts = (row) => row.filter((c) => c.t !== 'blank').map((c) => (c.t === 's' ? c.v : JSON.stringify(c.v)));

/** The number N of 共 N 行. */
function totalRows(sheet) {
  const m = sheet.count.match(/共 (\d+) 行/);
  assert.ok(m, `count line: ${sheet.count}`);
  return Number(m[1]);
}

/** Exports and returns the path of the file the app wrote (named in its notice). */
async function exportNow(s, rows) {
  await s.click('[data-test=report-export]');
  const notice = await s.waitFor('[data-test=report-notice]', { text: '已导出', timeout: 30_000 });
  const text = await s.text(notice);
  assert.ok(text.includes(`已导出 ${rows} 行`), `notice: ${text}`);
  const path = (await s.text(await s.waitFor('[data-test=report-path]'))).trim();
  assert.ok(existsSync(path), `the exported file: ${path}`);
  assert.equal(dirname(path), exports);
  return path;
}

/**
 * Compares the sheet on screen with the xlsx at `path`, cell by cell: title, meta row, header
 * (texts row by row), the data rows, 合计, the zero report, the footnotes. Returns how many
 * data rows were compared.
 */
function assertSame(screen, path, label) {
  const file = readXlsx(path);
  const rows = file.rows;
  const problems = [];
  // Title row, then the meta row, then as many header rows as the screen has.
  const titleAt = rows.findIndex((r) => r[0]?.t === 's' && r[0].v === screen.title);
  assert.ok(titleAt >= 0, `${label}: the file has no title row “${screen.title}” (${basename(path)})`);
  let r = titleAt + 1;
  if (screen.meta) {
    assert.deepEqual(texts(rows[r]), screen.meta, `${label}: the 填报单位 row`);
    r += 1;
  }
  const headerRows = screen.header.length;
  assert.ok(headerRows >= 1 && headerRows <= 3, `${label}: ${headerRows} header rows on screen`);
  for (let h = 0; h < headerRows; h++) {
    assert.deepEqual(texts(rows[r + h]), screen.header[h], `${label}: header row ${h + 1}`);
  }
  // Merged header cells hold their text in their first cell, at the place the screen has it.
  for (const { row, col, text } of screen.headerCells.placed) {
    const cell = rows[r + row][col];
    assert.ok(cell?.t === 's' && cell.v === text, `${label}: header “${text}” at header row ${row + 1}, column ${col + 1}: file has ${JSON.stringify(cell)}`);
  }
  r += headerRows;
  const names = screen.headerCells.columns;

  const total = totalRows(screen);
  const shown = screen.rows.length;
  assert.equal(shown, Math.min(total, SHOWN_MAX), `${label}: rows shown vs ${screen.count}`);
  const compare = (fileRow, screenRow, where) => {
    if (!fileRow) {
      problems.push(`${where}: missing in the file`);
      return;
    }
    if (fileRow.length < screenRow.length) problems.push(`${where}: ${fileRow.length} cells in the file, ${screenRow.length} on screen`);
    screenRow.forEach((text, c) => {
      const why = differs(text, fileRow[c] || { t: 'blank' });
      if (why) problems.push(`${where}, column ${c + 1} “${names[c] ?? ''}”: screen “${text}” vs ${why}`);
    });
    // Cells beyond the screen's columns must be empty.
    fileRow.slice(screenRow.length).forEach((cell, c) => {
      if (cell.t !== 'blank') problems.push(`${where}, column ${screenRow.length + c + 1}: only in the file: ${JSON.stringify(cell)}`);
    });
  };
  for (let i = 0; i < shown; i++) compare(rows[r + i], screen.rows[i], `row ${i + 1}`);
  // Rows past what the screen shows are in the file too (and only counted here).
  for (let i = shown; i < total; i++) {
    if (isEmptyRow(rows[r + i])) problems.push(`row ${i + 1} of ${total}: empty in the file`);
  }
  r += total;
  if (screen.totals) {
    compare(rows[r], screen.totals, '合计 row');
    r += 1;
  } else if (rows[r] && rows[r][0]?.v === '合计') {
    problems.push(`the file has a 合计 row the screen does not: ${texts(rows[r])}`);
  }
  if (screen.zero !== null) {
    assert.deepEqual(texts(rows[r] || []), [screen.zero], `${label}: the zero report`);
    r += 1;
  }
  // One empty row, then the footnotes: nothing else, so no data row is only in the file.
  if (!isEmptyRow(rows[r])) problems.push(`row after the data (file row ${r + 1}) is not empty: ${texts(rows[r])} — a row only in the file?`);
  const notes = rows.slice(r + 1).filter((x) => !isEmptyRow(x)).map((x) => texts(x).join(''));
  assert.deepEqual(notes, screen.notes, `${label}: footnotes and footer`);
  assert.equal(problems.length, 0, `${label}: the preview is not the export (${basename(path)}):\n  ${problems.slice(0, 40).join('\n  ')}`);
  return shown;
}

const pick = openForm;

const compared = {};

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

test('来(返)乡人员登记表 between two dates: the rows on screen are the rows of the file', step('returnees', async (s) => {
  await s.click('[data-test=nav-reports]');
  await s.waitFor('[data-test=report-preview]', { text: '来(返)乡人员登记表' });
  today = await s.value('[data-test=report-to]');
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/, "the report day starts as the ledger's today");
  const all = await pick(s, '来(返)乡人员登记表');
  const everyone = totalRows(all);

  const from = shift(today, -18);
  const to = shift(today, -3);
  await s.type('[data-test=report-from]', from);
  await s.type('[data-test=report-to]', to);
  const dateCol = all.headerCells.columns.indexOf('来(返)乡日期');
  assert.ok(dateCol >= 0, `the form has 来(返)乡日期: ${all.headerCells.columns}`);
  const before = await settled(
    s,
    (x) => x.status.includes(`报告日 ${to}`) && x.rows.length > 0 && x.rows.every((row) => row[dateCol] >= from && row[dateCol] <= to),
  );
  assert.ok(totalRows(before) < everyone, `the range leaves out some of the ${everyone} returnees`);
  const file = await exportNow(s, totalRows(before));
  const screen = await screenSheet(s);
  assert.deepEqual(screen.rows, before.rows, 'exporting does not change the preview');
  compared.returnees = assertSame(screen, file, `来(返)乡人员登记表 ${from}..${to}`);
  await shot('1-returnees.png');
}));

test('每日疫情防控日报: the range does not carry over; a new report day, screen = file', step('daily', async (s) => {
  const daily = await pick(s, '每日疫情防控日报');
  assert.equal(await s.value('[data-test=report-from]'), '', '开始日期 is empty again');
  assert.equal(await s.value('[data-test=report-to]'), today, '截止日期 is the report day again');
  assert.ok(daily.status.includes(`报告日 ${today}`), daily.status);

  // The report day typed as a clerk might (2026/11/21), tidied when the field is left.
  const to = shift(today, -2);
  await s.type('[data-test=report-to]', to.replaceAll('-', '/'));
  await s.press(['Tab']);
  assert.equal(await s.value('[data-test=report-to]'), to);
  const chinese = to.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日');
  const before = await settled(s, (x) => x.status.includes(`报告日 ${to}`) && x.meta?.[1].includes(chinese));
  assert.ok(before.totals, 'the daily report has a 合计 row');
  const file = await exportNow(s, totalRows(before));
  const screen = await screenSheet(s);
  assert.deepEqual([screen.rows, screen.totals], [before.rows, before.totals], 'exporting does not change the preview');
  compared.daily = assertSame(screen, file, `每日疫情防控日报 to ${to}`);
  await shot('2-daily.png');
}));

test('居家健康监测登记 for one grid from a day: screen = file = command line', step('health', async (s) => {
  const health = await pick(s, '居家健康监测登记');
  assert.equal(await s.value('[data-test=report-from]'), '', '开始日期 is empty again');
  assert.equal(await s.value('[data-test=report-to]'), today, '截止日期 is the report day again');
  assert.equal(await s.value('[data-test=report-village]'), '', '范围 is 全部');

  const village = '青山镇/石桥村/第三网格';
  // Found by typing two words of its path, as on a county's thousands of grids.
  await s.type('[data-test=report-village]', '石桥 第三');
  await s.waitFor('[data-test=report-village-hit]', { text: village });
  await shot('3-health-scope-search.png');
  await s.click('[data-test=report-village-hit]', { text: village });
  assert.equal(await s.value('[data-test=report-village]'), village);
  const from = shift(today, -7);
  await s.type('[data-test=report-from]', from);
  const dayCol = health.headerCells.columns.indexOf('监测日期');
  assert.ok(dayCol >= 0, `the form has 监测日期: ${health.headerCells.columns}`);
  const before = await settled(
    s,
    (x) => totalRows(x) < totalRows(health) && x.rows.length > 0 && x.rows.every((row) => row[dayCol] >= from && row[dayCol] <= today),
  );
  const file = await exportNow(s, totalRows(before));
  const screen = await screenSheet(s);
  assert.deepEqual(screen.rows, before.rows, 'exporting does not change the preview');
  compared.health = assertSame(screen, file, `居家健康监测登记 ${village} from ${from}`);
  // The command line, asked for the same grid and days, writes the same rows: the 范围 on
  // screen is that grid.
  const cliFile = join(out, 'health-cli.xlsx');
  execFileSync(cli, ['--db', db, 'report', 'health_log', '--village', '第三网格', '--from', from, '--to', today, '-o', cliFile], { timeout: 60_000 });
  assertSame(screen, cliFile, '居家健康监测登记 from the command line');
  await shot('3-health-grid.png');
}));

test('卡口检查登记表 over two days: date-times on screen = date-times in the file', step('checkpoint', async (s) => {
  const checks = await pick(s, '卡口检查登记表');
  assert.equal(await s.value('[data-test=report-from]'), '', '开始日期 is empty again');
  assert.equal(await s.value('[data-test=report-to]'), today, '截止日期 is the report day again');
  assert.equal(await s.value('[data-test=report-village]'), '', '范围 is 全部 again');
  const from = shift(today, -2);
  const to = shift(today, -1);
  await s.type('[data-test=report-from]', from);
  await s.type('[data-test=report-to]', to);
  const timeCol = checks.headerCells.columns.indexOf('检查时间');
  assert.ok(timeCol >= 0, `the form has 检查时间: ${checks.headerCells.columns}`);
  const before = await settled(
    s,
    (x) => x.status.includes(`报告日 ${to}`) && x.rows.length > 0 && x.rows.every((row) => row[timeCol].slice(0, 10) >= from && row[timeCol].slice(0, 10) <= to),
  );
  assert.ok(totalRows(before) < totalRows(checks), 'the range leaves out some checks');
  const file = await exportNow(s, totalRows(before));
  const screen = await screenSheet(s);
  assert.deepEqual(screen.rows, before.rows, 'exporting does not change the preview');
  compared.checkpoint = assertSame(screen, file, `卡口检查登记表 ${from}..${to}`);
  await shot('4-checkpoint.png');
  console.log(`data rows compared, screen = file: ${JSON.stringify(compared)}`);
}));
