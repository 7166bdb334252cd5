// The paste panel against a mocked core: pasted rows are previewed with the caller's options;
// a column read wrongly is corrected with the same drop-downs as the import wizard and the
// rows previewed again; 确认写入 sends the options of the preview on screen, says what it
// writes, and cannot be pressed when that is nothing or when the last choice was refused.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PastePanel from './PastePanel.vue';

const ROWS = [['1', '李四', '36.6'], ['2', '王五', '36.8']];
const OPTIONS = { target: 'health_checks', pasted_header: ['姓名', '身份证号码', '上午体温'], fixed: { check_date: '2026-11-23' } };

/** Pasted with their 序号, under the grid's header: the core reads the third column as 身份证号码
 *  until the clerk says it is the morning temperature. */
function report(options) {
  const temperature = options.columns?.身份证号码 === 'am_temperature';
  return {
    file: '粘贴', sheet: '粘贴', sheets: ['粘贴'], target: 'health_checks', target_label: '每日健康监测',
    header_rows: [1, 1], first_data_row: 2,
    columns: [
      { key: '序号', header: '序号', index: 0, span: 1, field: null, field_label: null, note: '序号不导入' },
      { key: '姓名', header: '姓名', index: 1, span: 1, field: 'name', field_label: '姓名', note: null },
      temperature
        ? { key: '身份证号码', header: '身份证号码', index: 2, span: 1, field: 'am_temperature', field_label: '上午体温', note: null }
        : { key: '身份证号码', header: '身份证号码', index: 2, span: 1, field: 'id_number', field_label: '身份证号码', note: null },
    ],
    fields: [{ key: 'name', label: '姓名' }, { key: 'id_number', label: '身份证号码' }, { key: 'am_temperature', label: '上午体温' }],
    data_rows: 2, inserted: temperature ? 2 : 0, updated: 0, unchanged: 0, review: 0, partial_rows: 0, rejected_rows: temperature ? 0 : 2,
    skipped_rows: 0, skipped: [], notices: [], candidates: [], unknown_places: [], places_created: [],
    problems: temperature ? [] : [{ sheet: '粘贴', row: 1, name: '李四', column: '身份证号码', value: '36.6', code: 'id_length', message: '身份证号码位数不对', warning: false }],
    preview: [], households: [], dry_run: true, batch_id: null, problems_file: null,
  };
}

let calls;
function mountPanel(core = {}) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (core[cmd]) return core[cmd](args);
    if (cmd === 'paste_preview' || cmd === 'paste_run') return report(args.options);
    return null;
  });
  return mount(PastePanel, { props: { rows: ROWS, options: OPTIONS } });
}

const previews = () => calls.filter(([cmd]) => cmd === 'paste_preview');

afterEach(() => clearMocks());

test('a column read wrongly is corrected in place, previewed again, and written as previewed', async () => {
  const page = mountPanel();
  await flushPromises();
  expect(previews()[0][1]).toEqual({ rows: ROWS, options: { ...OPTIONS, columns: {} } });
  expect(page.get('[data-test=paste-columns]').text()).toContain('身份证号码 → 身份证号码');
  // Nothing would be written: every row is refused.
  expect(page.get('[data-test=paste-run]').element.disabled).toBe(true);
  expect(page.get('[data-test=paste-run]').text()).toBe('没有要写入的内容');
  expect(page.get('[data-test=import-column-note]').text()).toBe('序号不导入');

  await page.findAll('[data-test=import-column-field]')[2].setValue('am_temperature');
  await flushPromises();
  const options = previews().at(-1)[1].options;
  expect(options).toEqual({ ...OPTIONS, columns: { 身份证号码: 'am_temperature' } });
  expect(page.get('[data-test=paste-columns]').text()).toContain('身份证号码 → 上午体温');
  expect(page.get('[data-test=paste-summary]').text()).toContain('新增 2');
  expect(page.get('[data-test=paste-run]').text()).toBe('确认写入：新增 2，更新 0');

  await page.get('[data-test=paste-run]').trigger('click');
  await flushPromises();
  expect(calls.find(([cmd]) => cmd === 'paste_run')[1]).toEqual({ rows: ROWS, options });
  expect(page.emitted('done')[0][0].inserted).toBe(2);
});

test('a refused column choice keeps the columns to change it back, and cannot be written', async () => {
  const page = mountPanel({
    paste_preview: ({ options }) => {
      if (options.columns?.序号 === 'name') throw { code: 'column_mapping', message: '字段“姓名”被指定给了两列，请只保留一列', problems: [] };
      return report(options);
    },
  });
  await flushPromises();
  await page.findAll('[data-test=import-column-field]')[0].setValue('name');
  await flushPromises();
  expect(page.get('[data-test=paste-error]').text()).toContain('被指定给了两列');
  expect(page.find('[data-test=paste-summary]').exists()).toBe(false);
  expect(page.get('[data-test=paste-run]').element.disabled).toBe(true);
  expect(page.findAll('[data-test=import-column-field]')[0].element.value).toBe('name');

  await page.findAll('[data-test=import-column-field]')[0].setValue('');
  await flushPromises();
  await page.findAll('[data-test=import-column-field]')[2].setValue('am_temperature');
  await flushPromises();
  expect(page.find('[data-test=paste-error]').exists()).toBe(false);
  expect(page.get('[data-test=paste-run]').element.disabled).toBe(false);
});

test('a write the core refuses because the ledger changed shows the new preview and why', async () => {
  const message = '预览之后台账或文件有了变化，这次导入的结果与预览不同（预览新增 2 行，现在 1 行），没有写入：请看新的预览后再确认';
  let now = 2;
  const page = mountPanel({
    paste_preview: ({ options }) => ({ ...report({ ...options, columns: { 身份证号码: 'am_temperature' } }), inserted: now }),
    paste_run: () => {
      now = 1;
      throw { code: 'conflict', message, problems: [] };
    },
  });
  await flushPromises();
  await page.get('[data-test=paste-run]').trigger('click');
  await flushPromises();
  expect(previews()).toHaveLength(2);
  expect(page.get('[data-test=paste-conflict]').text()).toBe(message);
  expect(page.get('[data-test=paste-summary]').text()).toContain('新增 1');
  expect(page.emitted('done')).toBeUndefined();
});

test('rows pasted with their own header say how many of them are data', async () => {
  calls = [];
  mockIPC((cmd, args) => (cmd === 'paste_preview' ? report(args.options) : null));
  const page = mount(PastePanel, { props: { rows: [['序号', '姓名', '上午体温'], ...ROWS], options: OPTIONS } });
  await flushPromises();
  expect(page.get('h3').text()).toContain('粘贴的 3 行');
  expect(page.get('[data-test=paste-data-rows]').text()).toContain('读作数据 2 行');
});
