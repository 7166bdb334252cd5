// The import wizard against a mocked core: the preview shows each household before → after,
// the rows as they will be written and the problems, errors first; places the ledger lacks
// are offered for creation (a new preview with create_places); and the run is given the very
// options object the preview was made with, so the core applies the plan it kept.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Import from './Import.vue';

function report(options) {
  const created = options.create_places;
  return {
    file: 'roll.xlsx', sheet: 'Sheet1', sheets: ['Sheet1'], target: 'persons', target_label: '人员（户籍登记）',
    header_rows: [2, 2], first_data_row: 3,
    columns: [{ key: '姓名', header: '姓名', index: 0, field: 'name', field_label: '姓名' }, { key: '村', header: '村', index: 1, field: 'village', field_label: '村（社区）' }],
    fields: [{ key: 'name', label: '姓名' }, { key: 'village', label: '村（社区）' }],
    data_rows: 3, inserted: created ? 3 : 2, updated: 0, unchanged: 0, skipped_rows: 1, review: 0,
    partial_rows: 1, rejected_rows: created ? 0 : 1,
    problems: [
      { sheet: 'Sheet1', row: 5, column: '手机号码', value: '1390000', code: 'phone', message: '手机号码位数不对', warning: true },
      ...(created ? [] : [{ sheet: 'Sheet1', row: 4, column: '村', value: '河东村', code: 'place', message: '村“河东村”不在台账中', warning: false }]),
    ],
    unknown_places: created ? [] : [['村：河东村', 1]],
    places_created: created ? ['村：河东村'] : [],
    preview: [
      { row: 3, outcome: 'inserted', outcome_label: '新增', name: '张大', household: '石桥村 东街3号', record: null },
      { row: 4, outcome: created ? 'inserted' : 'refused', outcome_label: created ? '新增' : '未导入', name: '王五', household: null, record: null },
    ],
    households: [{ label: '东街3号', place: '石桥村', new_household: true, before: [], after: ['张大', '张小'] },
      { label: '东街5号', place: '石桥村', new_household: false, before: ['李四'], after: ['李四', '李小'] }],
    dry_run: false, batch_id: null, problems_file: null,
  };
}

let calls;

function mockCore() {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    switch (cmd) {
      case 'places': return [
        { id: 1, parent_id: null, level: '村', name: '石桥村', code: null, path: '石桥村' },
        { id: 2, parent_id: null, level: '村', name: '河西村', code: null, path: '河西村' },
      ];
      case 'import_reviews': return [];
      case 'pick_import_file': return '/tmp/roll.xlsx';
      case 'import_preview': return report(args.options);
      case 'import_run': return { ...report(args.options), batch_id: 9 };
      default: return null;
    }
  }, { shouldMockEvents: true });
}

async function previewed() {
  mockCore();
  const page = mount(Import, { global: { provide: { go: () => {}, refreshInfo: async () => ({}) } } });
  await flushPromises();
  await page.get('[data-test=import-pick]').trigger('click');
  await flushPromises();
  return page;
}

const previewCalls = () => calls.filter(([cmd]) => cmd === 'import_preview');

afterEach(() => clearMocks());

test('the preview shows each household before → after, the rows and the counts', async () => {
  const page = await previewed();
  const households = page.findAll('[data-test=import-household]').map((h) => h.text());
  expect(households[0]).toContain('东街3号（新户）：— → 张大、张小');
  expect(households[1]).toContain('东街5号：李四 → 李四、李小');
  const rows = page.findAll('[data-test=import-row]');
  expect(rows[0].text()).toContain('新增');
  expect(rows[0].text()).toContain('石桥村 东街3号');
  expect(page.get('[data-test=import-counts]').text()).toContain('将新增 2');
  expect(page.get('[data-test=import-partial]').text()).toContain('人员已登记、记录未写入 1 行');
  expect(page.get('[data-test=import-rejected]').text()).toContain('有错未导入 1 行');
  // Errors come before warnings.
  const problems = page.get('[data-test=import-problems]').text();
  expect(problems.indexOf('河东村')).toBeLessThan(problems.indexOf('手机号码位数不对'));
  expect(page.get('[data-test=import-error-row]').text()).toContain('4');
});

test('places the ledger lacks are offered for creation, and the run applies the previewed plan', async () => {
  const page = await previewed();
  expect(page.get('[data-test=import-unknown-place]').text()).toContain('村：河东村（1 行）');
  await page.get('[data-test=import-create-places]').setValue(true);
  await flushPromises();
  expect(previewCalls()).toHaveLength(2);
  expect(previewCalls()[1][1].options.create_places).toBe(true);
  expect(page.get('[data-test=import-places-created]').text()).toContain('村：河东村');
  expect(page.get('[data-test=import-counts]').text()).toContain('将新增 3');

  // With more than one village the clerk says where rows without one belong.
  await page.get('[data-test=import-village]').setValue('2');
  await flushPromises();
  const lastOptions = previewCalls().at(-1)[1].options;
  expect(lastOptions.village).toBe('2');

  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  const run = calls.find(([cmd]) => cmd === 'import_run')[1];
  expect(run).toEqual({ path: '/tmp/roll.xlsx', options: lastOptions });
  expect(page.get('[data-test=import-result]').text()).toContain('新增 3');
  expect(page.get('[data-test=import-result]').text()).toContain('新建地点：村：河东村');
});

test('the problems list is saved from the previewed import', async () => {
  const page = await previewed();
  mockIPC((cmd) => (cmd === 'import_problems' ? '/home/cadre/导出/roll_导入问题.xlsx' : null), { shouldMockEvents: true });
  await page.get('[data-test=import-problems-file]').trigger('click');
  await flushPromises();
  expect(page.get('[data-test=import-notice]').text()).toContain('roll_导入问题.xlsx');
});
