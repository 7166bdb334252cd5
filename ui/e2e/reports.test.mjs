// End-to-end: reports in the real desktop app. On the sample village, a clerk previews the
// 来(返)乡人员登记表, edits the template (renames a column, removes one, adds one), previews and
// saves it, and exports the xlsx. Screenshots of the preview and the editor go to
// test-output/e2e/reports/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.env.GRIDLEDGER_APP || join(root, 'target/debug/gridledger-app');
const cli = process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger');
const out = join(root, 'test-output/e2e/reports');
const db = join(out, 'sample.db');
const exports = join(out, 'exports');

let running;
let session;

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: ${app}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(exports, { recursive: true });
  execFileSync(cli, ['--db', db, 'demo']);
  execFileSync(cli, ['--db', db, 'setting', 'report_unit', '青山镇石桥村村委会']);
  running = await launchApp(app, { GRIDLEDGER_DB: db, GRIDLEDGER_EXPORT_DIR: exports });
  session = running.session;
});

after(async () => {
  await running?.close();
});

async function shot(name) {
  writeFileSync(join(out, name), await session.screenshot());
}

test('preview, edit, save and export a form', async () => {
  const s = session;
  try {
    await s.click('[data-test=nav-reports]');
    await s.waitFor('[data-test=report-preview]', { text: '来(返)乡人员登记表' });
    await s.waitFor('[data-test=report-preview]', { text: '填报单位：青山镇石桥村村委会' });
    assert.ok((await s.all('[data-test=report-row]')).length > 10, 'the sample has returnees');
    await shot('preview.png');

    // Edit: rename 姓名, remove the last column (备注), add 年龄.
    await s.click('[data-test=report-edit]');
    await s.waitFor('[data-test=template-editor]');
    const headers = await s.all('[data-test=column-header]');
    assert.equal(headers.length, 15);
    await s.type('[data-test=template-column]:nth-child(2) [data-test=column-header]', '姓名（全名）');
    await s.click('[data-test=column-remove-14]');
    await s.click('[data-test=column-add]');
    await s.click('[data-test=template-column]:last-child [data-test=column-field] option[value=age]');
    await s.type('[data-test=template-column]:last-child [data-test=column-header]', '年龄');
    await s.type('[data-test=template-name]', '来(返)乡人员登记表（本村版）');
    await s.click('[data-test=template-preview]');
    await s.waitFor('[data-test=report-preview] th', { text: '姓名（全名）' });
    await s.waitFor('[data-test=report-preview] th', { text: '年龄' });
    await shot('editor.png');
    await s.click('[data-test=template-save]');
    await s.waitFor('[data-test=report-notice]', { text: '已保存' });
    await s.waitFor('[data-test=template-item]', { text: '本村版' });

    // Export the edited form.
    await s.click('[data-test=report-export]');
    const notice = await s.waitFor('[data-test=report-notice]', { text: '已导出', timeout: 30_000 });
    const files = readdirSync(exports).filter((f) => f.endsWith('.xlsx'));
    assert.equal(files.length, 1, `one export in ${exports}: ${files}`);
    assert.ok(files[0].startsWith('来(返)乡人员登记表（本村版）_'), files[0]);
    assert.ok(statSync(join(exports, files[0])).size > 5000);
    assert.ok((await s.text(notice)).includes(files[0]));
    await shot('exported.png');

    // The ledger now carries the edited template, which the CLI lists too.
    const listed = JSON.parse(execFileSync(cli, ['--db', db, '--json', 'report', '--list']).toString());
    const edited = listed.find((t) => t.id === 'returnees');
    assert.deepEqual([edited.name, edited.builtin], ['来(返)乡人员登记表（本村版）', false]);

    // The clerk changes their mind: the built-in layout comes back.
    await s.click('[data-test=report-remove]', { text: '恢复内置' });
    await s.click('[data-test=ask-ok]');
    await s.waitFor('[data-test=report-notice]', { text: '已恢复内置模板' });
    await s.waitFor('[data-test=report-preview] th', { text: '姓名' });
    assert.equal((await s.all('[data-test=report-remove]')).length, 0, 'a built-in cannot be removed');
  } catch (error) {
    await shot('failure.png').catch(() => {});
    throw error;
  }
});
