// End-to-end: the window at 1366×768 (the old laptops the app is made for), on the demo
// village. Every page and every dialog the pages open is shown in turn, and checked: no
// button lies outside the window or is cut by a box around it (a dialog's buttons are in sight
// without scrolling), and no table cell's text is cut (a cell that ends in … on purpose carries
// its whole text in a title). Screenshots of each go to test-output/e2e/layout/.
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
const out = join(root, 'test-output/e2e/layout');
const db = join(out, 'layout.db');
const sheet = join(root, 'tests/fixtures/import/register_import.xlsx');
const NOW = '2026-11-23 09:30';

let running;
let session;

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const env = { ...process.env, GRIDLEDGER_NOW: NOW };
  execFileSync(cli, ['--db', db, 'demo'], { env });
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_NOW: NOW, GRIDLEDGER_PICK_FILE: sheet, GRIDLEDGER_EXPORT_DIR: join(out, 'exports'), GRIDLEDGER_NO_OPEN: '1' });
  session = running.session;
  await session.resize();
});

after(async () => {
  await running?.close();
});

/**
 * What is wrong with the layout on screen (in the topmost dialog, if one is open), as lines
 * of text. A button is wrong when it is not wholly inside the window, or is cut by a box that
 * clips it, unless that box scrolls it into sight vertically (a list, a dialog's fields); a
 * dialog's own buttons (its .actions) must be in sight as they are. A table cell is wrong when
 * its text is wider than the cell, unless it carries a title with its whole text.
 */
const CHECK = `
  const overlays = [...document.querySelectorAll('.overlay')];
  const scope = overlays.at(-1) || document.body;
  const W = innerWidth, H = innerHeight;
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const what = (el) => (el.dataset.test ? '[' + el.dataset.test + '] ' : '') + '“' + (el.textContent || el.value || '').trim().slice(0, 30) + '”';
  const wrong = [];
  for (const b of scope.querySelectorAll('button')) {
    if (!shown(b)) continue;
    const r = b.getBoundingClientRect();
    const inAction = !!b.closest('.dialog .actions');
    if (r.left < -1 || r.right > W + 1) { wrong.push('button beyond the window’s side: ' + what(b) + ' ' + Math.round(r.left) + '–' + Math.round(r.right)); continue; }
    let scrolled = false;
    for (let p = b.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (st.overflowX !== 'visible') {
        const c = p.getBoundingClientRect();
        if (r.left < c.left - 1 || r.right > c.right + 1) { wrong.push('button cut at the side by its box: ' + what(b)); scrolled = true; break; }
      }
      if (st.overflowY !== 'visible') {
        const c = p.getBoundingClientRect();
        if (r.top < c.top - 1 || r.bottom > c.bottom + 1) {
          if (inAction || !/(auto|scroll)/.test(st.overflowY)) wrong.push('button out of sight: ' + what(b));
          scrolled = true;
          break;
        }
      }
    }
    if (!scrolled && (r.top < -1 || r.bottom > H + 1)) {
      const page = scope === document.body && !inAction;
      if (!page) wrong.push('button below the window: ' + what(b) + ' at ' + Math.round(r.top));
    }
  }
  // A cell's text is laid out whole even where it is painted cut (overflow, an ellipsis): the
  // box of its text is compared with the cell's own box.
  for (const cell of scope.querySelectorAll('td, th')) {
    if (!shown(cell)) continue;
    // The union of the boxes of its text (not of empty helpers such as a column's resize bar).
    const t = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity, width: 0 };
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      if (!r.width) continue;
      t.left = Math.min(t.left, r.left); t.right = Math.max(t.right, r.right);
      t.top = Math.min(t.top, r.top); t.bottom = Math.max(t.bottom, r.bottom); t.width = t.right - t.left;
    }
    const c = cell.getBoundingClientRect();
    if (!t.width) continue;
    if (t.left >= c.left - 1 && t.right <= c.right + 1 && t.top >= c.top - 1 && t.bottom <= c.bottom + 1) continue;
    const text = cell.textContent.trim();
    const titled = [...cell.querySelectorAll('[title]'), cell.closest('[title]')].filter(Boolean)
      .some((el) => el.getAttribute('title').trim().length >= text.length);
    if (titled) continue;
    wrong.push('cell text cut: “' + text.slice(0, 40) + '” (text ' + Math.round(t.left) + '–' + Math.round(t.right) + ', cell ' + Math.round(c.left) + '–' + Math.round(c.right) + ')');
  }
  return wrong;`;

async function check(s, name) {
  writeFileSync(join(out, `${name}.png`), await s.screenshot());
  const wrong = await s.cmd('POST', '/execute/sync', { script: CHECK, args: [] });
  return wrong.map((w) => `${name}: ${w}`);
}

/** Opens a dialog with `open`, checks it, and closes it with Esc (untouched, it closes at once). */
async function dialog(s, name, open, css) {
  await open();
  await s.waitFor(css);
  const wrong = await check(s, name);
  await s.press(['Escape']);
  await s.waitForCount('.overlay', 0);
  return wrong;
}

test('the check sees a cut cell and a button out of the window (it can fail)', async () => {
  const s = session;
  await s.waitFor('[data-test=today-page]');
  const plant = `const box = document.createElement('div');
    box.id = 'planted';
    box.innerHTML = '<table style="table-layout: fixed; width: 120px"><tr><td style="width: 40px; overflow: hidden">二〇二六年十一月二十三日</td><td title="有标题的长文字有标题的长文字" style="overflow: hidden; text-overflow: ellipsis">有标题的长文字有标题的长文字</td></tr></table>'
      + '<button style="position: fixed; left: 1300px; top: 10px; width: 200px">出界</button>';
    document.body.appendChild(box);`;
  await s.cmd('POST', '/execute/sync', { script: plant, args: [] });
  const wrong = await s.cmd('POST', '/execute/sync', { script: CHECK, args: [] });
  await s.cmd('POST', '/execute/sync', { script: "document.getElementById('planted').remove();", args: [] });
  assert.equal(wrong.filter((w) => w.includes('二〇二六年')).length, 1, wrong.join('\n'));
  assert.equal(wrong.filter((w) => w.includes('有标题的长文字')).length, 0, 'a titled cell may end in …');
  assert.equal(wrong.filter((w) => w.includes('出界')).length, 1, wrong.join('\n'));
});

test('every page and dialog fits 1366×768: buttons in sight, no cell cut', async () => {
  const s = session;
  const wrong = [];
  try {
    await s.waitFor('[data-test=today-page]');
    wrong.push(...(await check(s, '01-today')));
    await s.click('[data-test=nav-overview]');
    await s.waitFor('[data-test=ledger-path]');
    // 关于: the release and the open ledger's schema version.
    assert.match(await s.text(await s.waitFor('[data-test=about]')), /^网格一本账 \d+\.\d+\.\d+ · 账本数据版本 \d+$/);
    wrong.push(...(await check(s, '02-overview')));

    await s.click('[data-test=nav-register]');
    await s.click('[data-test=household-row] td');
    await s.waitFor('[data-test=member-name]');
    wrong.push(...(await check(s, '03-register')));
    wrong.push(...(await dialog(s, '04-place-form', () => s.click('[data-test=add-place]'), '[data-test=place-form]')));
    wrong.push(...(await dialog(s, '05-household-form', () => s.click('[data-test=add-household]'), '[data-test=household-form]')));
    wrong.push(...(await dialog(s, '06-household-edit', () => s.click('[data-test=edit-household]'), '[data-test=household-form]')));
    wrong.push(...(await dialog(s, '07-person-form', () => s.click('[data-test=add-member]'), '[data-test=person-form]')));
    // A touched form asks before closing: the question must fit too.
    await s.click('[data-test=add-member]');
    await s.type('[data-test=field-name]', '半填');
    await s.press(['Escape']);
    await s.waitFor('[data-test=ask-dialog]');
    wrong.push(...(await check(s, '08-ask')));
    await s.click('[data-test=ask-ok]');
    await s.waitForCount('.overlay', 0);

    await s.click('[data-test=member-name]');
    await s.waitFor('[data-test=person-name]');
    wrong.push(...(await check(s, '09-person')));
    wrong.push(...(await dialog(s, '10-person-edit', () => s.click('[data-test=edit-person]'), '[data-test=person-form]')));
    wrong.push(...(await dialog(s, '11-move', () => s.click('[data-test=person-action-move]'), '[data-test=move-form]')));
    for (const [i, kind] of ['arrival', 'isolation', 'health_check', 'test', 'vaccination', 'visit_note', 'case'].entries()) {
      if (!(await s.all(`[data-test=person-action-${kind}]`)).length) continue;
      wrong.push(...(await dialog(s, `${12 + i}-record-${kind}`, () => s.click(`[data-test=person-action-${kind}]`), `[data-test=record-form][data-kind=${kind}]`)));
    }

    await s.click('[data-test=nav-round]');
    await s.waitFor('[data-test=round-counts]', { text: '在管' });
    await s.waitFor('[data-test=round-name]');
    wrong.push(...(await check(s, '20-round')));
    await s.press(['Escape']);

    await s.click('[data-test=nav-station]');
    await s.waitFor('[data-test=station-form]');
    await s.type('[data-test=driver-name]', '司机甲');
    await s.click('[data-test=add-passenger]');
    await s.click('[data-test=add-passenger]');
    wrong.push(...(await check(s, '21-station-two-passengers')));

    await s.click('[data-test=nav-import]');
    await s.click('[data-test=import-pick]');
    await s.waitFor('[data-test=import-counts]');
    wrong.push(...(await check(s, '22-import-preview')));

    await s.click('[data-test=nav-reports]');
    await s.waitFor('[data-test=report-preview]');
    wrong.push(...(await check(s, '23-reports')));

    await s.click('[data-test=nav-backups]');
    await s.click('[data-test=backup-now]');
    await s.waitFor('[data-test=backup-notice]', { text: '已备份' });
    await s.waitFor('[data-test=backup-row]');
    wrong.push(...(await check(s, '24-backups')));
    await s.type('[data-test=purge-before]', '2026-11-01');
    await s.click('[data-test=purge-preview]');
    await s.waitFor('[data-test=purge-counts]', { text: '2026-11-01 之前' });
    wrong.push(...(await check(s, '25-purge-preview')));
  } catch (error) {
    writeFileSync(join(out, 'failure.png'), await s.screenshot());
    throw error;
  }
  assert.deepEqual(wrong, []);
});
