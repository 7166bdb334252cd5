// The import wizard against a mocked core: the preview shows each household before → after,
// the rows as they will be written and the problems, errors first; the core's question of
// what kind of sheet it is goes to the clerk; places the ledger lacks are listed as a tree,
// each created one by one or taken as the ledger's place the core suggests (a new preview
// each time); what holds for the whole sheet, the columns left out and the rows that are not
// data are shown; the confirm button says what it writes; and the run is given the very
// options object the preview was made with, so the core can hold it to the preview.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Import from './Import.vue';

// The sheet names three places the ledger lacks: a misspelt village (石桥材, which the core
// thinks is 石桥村), a grid of a village the ledger has, and a village of its own.
const UNKNOWN = [
  { path: '青山镇/石桥材', level: '村', name: '石桥材', rows: 2, suggestion: '青山镇/石桥村', suggestion_id: 1 },
  { path: '青山镇/石桥村/第3网格', level: '网格', name: '第3网格', rows: 3, suggestion: null, suggestion_id: null },
  { path: '河东村', level: '村', name: '河东村', rows: 1, suggestion: null, suggestion_id: null },
];

/** The core's report for `options`, as a tiny core would work it out. */
function report(options) {
  const created = (u) => options.create_places || (options.places_to_create || []).includes(u.path);
  const renamed = (u) => u.path in (options.place_aliases || {});
  const unknown = UNKNOWN.filter((u) => !created(u) && !renamed(u));
  const placed = UNKNOWN.filter((u) => !unknown.includes(u)).reduce((n, u) => n + u.rows, 0);
  const refused = UNKNOWN.length ? unknown.reduce((n, u) => n + u.rows, 0) : 0;
  return {
    file: 'roll.xlsx', sheet: options.sheet === '*' ? 'Sheet1、二组' : 'Sheet1', sheets: ['Sheet1', '二组', '说明'],
    sheets_read: options.sheet === '*' ? ['Sheet1', '二组'] : ['Sheet1'],
    other_sheets: options.sheet === '*' ? [] : [{ name: '二组', same_header: true, target_label: '人员登记', rows: 3 }],
    target: options.target || 'persons', target_label: '人员（户籍登记）',
    header_rows: [2, 2], first_data_row: 3,
    columns: [
      { key: '姓名', header: '姓名', index: 0, span: 1, field: 'name', field_label: '姓名', note: null },
      { key: '村', header: '村', index: 1, span: 1, field: options.columns?.村 === '' ? null : 'village', field_label: '村（社区）', note: options.columns?.村 === '' ? '您选择了不导入这一列' : null },
      { key: '身份证号', header: '身份证号', index: 2, span: 18, field: 'id_number', field_label: '身份证号码', note: null },
      { key: '备注', header: '备注', index: 20, span: 1, field: null, field_label: null, note: '台账不记这一列' },
    ],
    fields: [{ key: 'name', label: '姓名' }, { key: 'village', label: '村（社区）' }, { key: 'id_number', label: '身份证号码' }],
    data_rows: 8, inserted: 2 + placed, updated: 0, unchanged: 0, review: 0, partial_rows: 1, rejected_rows: refused,
    skipped_rows: 4,
    skipped: [
      { sheet: 'Sheet1', row: 1, reason: 'table_title', label: '表格标题', text: '石桥村人员花名册' },
      { sheet: 'Sheet1', row: 12, reason: 'blank', label: '空行', text: '' },
      { sheet: 'Sheet1', row: 13, reason: 'blank', label: '空行', text: '' },
      { sheet: 'Sheet1', row: 14, reason: 'footer', label: '落款', text: '填表人：李会计' },
    ],
    notices: [{ code: 'default_assumed', message: '表中没有“结果”一列：8 行都按“未出”记录', rows: 8 }],
    candidates: [],
    problems: [
      { sheet: 'Sheet1', row: 5, name: '李小', column: '手机号码', value: '1390000', code: 'phone', message: '手机号码位数不对', warning: true },
      ...unknown.map((u) => ({ sheet: 'Sheet1', row: 4, name: '王五', column: '村', value: u.name, code: 'place_unknown', message: `${u.level}“${u.name}”不在台账中`, warning: false })),
    ],
    unknown_places: unknown,
    places_created: UNKNOWN.filter(created).map(({ path, level, name, rows }) => ({ path, level, name, rows })),
    preview: [
      { row: 3, outcome: 'inserted', outcome_label: '新增', name: '张大', household: '石桥村 东街3号', record: null },
      { row: 4, outcome: 'refused', outcome_label: '未导入', name: '王五', household: null, record: null },
    ],
    households: [{ label: '东街3号', place: '石桥村', new_household: true, before: [], after: ['张大', '张小'] },
      { label: '东街5号', place: '石桥村', new_household: false, before: ['李四'], after: ['李四', '李小'] }],
    dry_run: true, batch_id: null, problems_file: null,
  };
}

let calls;

/** The core, with some commands answered by the test instead. */
function mockCore(core = {}) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (core[cmd]) return core[cmd](args);
    switch (cmd) {
      case 'places': return [
        { id: 10, parent_id: null, level: '乡镇', name: '青山镇', code: null, path: '青山镇' },
        { id: 1, parent_id: 10, level: '村', name: '石桥村', code: null, path: '青山镇/石桥村' },
        { id: 2, parent_id: 10, level: '村', name: '河西村', code: null, path: '青山镇/河西村' },
      ];
      case 'import_reviews': return [];
      case 'pick_import_file': return '/tmp/roll.xlsx';
      case 'import_preview': return report(args.options);
      case 'import_run': return { ...report(args.options), dry_run: false, batch_id: 9 };
      default: return null;
    }
  }, { shouldMockEvents: true });
}

async function previewed(core) {
  mockCore(core);
  const page = mount(Import, { global: { provide: { go: () => {}, refreshInfo: async () => ({}) } } });
  await flushPromises();
  await page.get('[data-test=import-pick]').trigger('click');
  await flushPromises();
  return page;
}

const previewCalls = () => calls.filter(([cmd]) => cmd === 'import_preview');
const lastOptions = () => previewCalls().at(-1)[1].options;
const texts = (page, selector) => page.findAll(selector).map((w) => w.text());
const place = (page, name) => page.findAll('[data-test=import-unknown-place]').find((w) => w.text().startsWith(name));

afterEach(() => clearMocks());

test('the preview shows each household before → after, the rows and the counts', async () => {
  const page = await previewed();
  const households = texts(page, '[data-test=import-household]');
  expect(households[0]).toContain('东街3号（新户）：— → 张大、张小');
  expect(households[1]).toContain('东街5号：李四 → 李四、李小');
  const rows = page.findAll('[data-test=import-row]');
  expect(rows[0].text()).toContain('新增');
  expect(rows[0].text()).toContain('石桥村 东街3号');
  expect(page.get('[data-test=import-counts]').text()).toContain('将新增 2');
  expect(page.get('[data-test=import-partial]').text()).toContain('人员已登记、记录未写入 1 行');
  expect(page.get('[data-test=import-rejected]').text()).toContain('有错未导入 6 行');
  // Errors come before warnings.
  const problems = page.get('[data-test=import-problems]').text();
  expect(problems.indexOf('石桥材')).toBeLessThan(problems.indexOf('手机号码位数不对'));
  expect(page.get('[data-test=import-error-row]').text()).toContain('4');
});

test('a sheet the core cannot tell is put to the clerk as a question, and the answer previews again', async () => {
  const ambiguous = {
    code: 'target_ambiguous',
    message: '文件“roll.xlsx”工作表“Sheet1”看不准是哪一种表格，请选择后再导入（命令行加 --as 类型）：…',
    problems: [
      { field: 'health_checks', code: 'target_candidate', message: '每日健康监测（health_checks）：体温、姓名；缺少 监测日期', severity: 'warning' },
      { field: 'isolations', code: 'target_candidate', message: '隔离与健康监测（isolations）：姓名', severity: 'warning' },
    ],
  };
  const page = await previewed({
    import_preview: ({ options }) => {
      if (!options.target) throw ambiguous;
      return report(options);
    },
  });
  // A question, not an error.
  expect(page.find('[data-test=import-error]').exists()).toBe(false);
  expect(page.find('[data-test=import-preview]').exists()).toBe(false);
  expect(page.get('[data-test=import-question]').text()).toContain('这张表是哪一种？');
  const answers = texts(page, '[data-test=import-candidate]');
  expect(answers).toHaveLength(2);
  expect(answers[0]).toContain('每日健康监测');
  expect(answers[0]).toContain('表中有：体温、姓名');
  expect(answers[0]).toContain('缺少：监测日期');
  expect(answers[1]).toContain('隔离与健康监测');
  expect(answers[1]).not.toContain('缺少');

  await page.findAll('[data-test=import-candidate]')[0].trigger('click');
  await flushPromises();
  expect(lastOptions().target).toBe('health_checks');
  expect(page.find('[data-test=import-question]').exists()).toBe(false);
  expect(page.find('[data-test=import-preview]').exists()).toBe(true);

  // The kind can be changed at any time, among all eight; the columns are read afresh.
  const kinds = texts(page, '[data-test=import-target] option');
  expect(kinds).toHaveLength(9);
  expect(kinds[0]).toBe('（按表头判断）');
  await page.findAll('[data-test=import-column-field]')[1].setValue('');
  await flushPromises();
  await page.get('[data-test=import-target]').setValue('checkpoint_checks');
  await flushPromises();
  expect(lastOptions()).toMatchObject({ target: 'checkpoint_checks', columns: {} });
});

test('unknown places are a tree by township and village; each is created one by one or taken as the ledger’s place', async () => {
  const page = await previewed();
  const lines = texts(page, '[data-test=import-unknown-places] li');
  expect(lines[0]).toContain('河东村（村，1 行）');
  expect(lines[1]).toContain('青山镇（5 行，2 处）');
  expect(lines[2]).toContain('石桥材（村，2 行）');
  expect(lines[3]).toContain('石桥村（3 行，1 处）');
  expect(lines[4]).toContain('第3网格（网格，3 行）');
  expect(texts(page, '[data-test=place-group]')).toHaveLength(2);
  // Only the misspelt village has a place the core thinks it means.
  expect(texts(page, '[data-test=import-place-alias]')).toEqual(['是否为 青山镇/石桥村？']);

  await place(page, '石桥材').get('[data-test=import-place-alias]').trigger('click');
  await flushPromises();
  expect(lastOptions().place_aliases).toEqual({ '青山镇/石桥材': 1 });
  expect(place(page, '石桥材').text()).toContain('按台账中的“青山镇/石桥村”导入');

  await place(page, '第3网格').get('[data-test=import-place-create]').setValue(true);
  await flushPromises();
  expect(lastOptions()).toMatchObject({ create_places: false, places_to_create: ['青山镇/石桥村/第3网格'], place_aliases: { '青山镇/石桥材': 1 } });
  // Still listed, ticked, so it can be taken back; and shown where it will be created.
  expect(place(page, '第3网格').get('[data-test=import-place-create]').element.checked).toBe(true);
  expect(texts(page, '[data-test=import-created-place]')).toEqual([expect.stringContaining('第3网格（网格，3 行）')]);
  expect(page.get('[data-test=import-confirm]').text()).toBe('导入：新增 7，更新 0，新建地点 1');

  // Taken back, the grid's rows are refused again; the village's name stays as decided.
  await place(page, '第3网格').get('[data-test=import-place-create]').setValue(false);
  await flushPromises();
  expect(lastOptions()).toMatchObject({ places_to_create: [], place_aliases: { '青山镇/石桥材': 1 } });
  expect(page.find('[data-test=import-places-created]').exists()).toBe(false);

  await place(page, '石桥材').get('[data-test=import-place-unrename]').trigger('click');
  await flushPromises();
  expect(lastOptions().place_aliases).toEqual({});

  await page.get('[data-test=import-create-places]').setValue(true);
  await flushPromises();
  expect(lastOptions().create_places).toBe(true);
  expect(texts(page, '[data-test=import-created-place]')).toHaveLength(3);

  // With more than one village the clerk says where rows without one belong.
  await page.get('[data-test=import-village]').setValue('2');
  await flushPromises();
  expect(lastOptions().village).toBe('2');

  const previewed_ = lastOptions();
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  const run = calls.find(([cmd]) => cmd === 'import_run')[1];
  expect(run).toEqual({ path: '/tmp/roll.xlsx', options: previewed_ });
  expect(page.get('[data-test=import-result]').text()).toContain('新增 8');
  expect(page.get('[data-test=import-result]').text()).toContain('新建地点：青山镇/石桥材（2 行）、青山镇/石桥村/第3网格（3 行）、河东村（1 行）');
});

test('what holds for the whole sheet, the columns left out and the rows that are not data are shown', async () => {
  const page = await previewed();
  expect(page.get('[data-test=import-sheet-notice]').text()).toBe('表中没有“结果”一列：8 行都按“未出”记录');
  const columns = page.findAll('[data-test=import-column]');
  expect(columns[3].text()).toContain('备注');
  expect(columns[3].get('[data-test=import-column-note]').text()).toBe('台账不记这一列');
  // An ID written one digit per cell is one column read over 18 cells.
  expect(columns[2].get('[data-test=import-column-note]').text()).toBe('C–T 列共 18 格，合成一个值读');
  expect(texts(page, '[data-test=import-skipped-row]')).toEqual([
    '第 1 行 表格标题：石桥村人员花名册',
    '第 12–13 行 空行',
    '第 14 行 落款：填表人：李会计',
  ]);

  // A column the clerk leaves out is sent as "" and says why once previewed again.
  await columns[1].get('select').setValue('');
  await flushPromises();
  expect(lastOptions().columns).toEqual({ 村: '' });
  expect(page.findAll('[data-test=import-column-note]')[1].text()).toBe('您选择了不导入这一列');
});

test('a column choice the core refuses keeps the columns on screen, to be changed back', async () => {
  const page = await previewed({
    import_preview: ({ options }) => {
      if (options.columns.备注 === 'name') throw { code: 'column_mapping', message: '字段“姓名”被指定给了两列，请只保留一列', problems: [] };
      return report(options);
    },
  });
  await page.findAll('[data-test=import-column-field]')[3].setValue('name');
  await flushPromises();
  expect(page.get('[data-test=import-error]').text()).toContain('被指定给了两列');
  const kept = page.get('[data-test=import-kept-columns]');
  expect(kept.findAll('select')[3].element.value).toBe('name');
  await kept.findAll('select')[3].setValue('');
  await flushPromises();
  expect(lastOptions().columns).toEqual({ 备注: '' });
  expect(page.find('[data-test=import-preview]').exists()).toBe(true);
  expect(page.find('[data-test=import-kept-columns]').exists()).toBe(false);
});

test('the confirm button says what it writes, and cannot be pressed when that is nothing', async () => {
  let nothing = false;
  const page = await previewed({
    import_preview: ({ options }) => ({
      ...report(options),
      ...(nothing ? { inserted: 0, updated: 0, review: 0, unchanged: 8, places_created: [] } : { updated: 1, review: 2 }),
    }),
  });
  const confirm = () => page.get('[data-test=import-confirm]');
  expect(confirm().text()).toBe('导入：新增 2，更新 1，待核对 2');
  expect(confirm().element.disabled).toBe(false);
  nothing = true;
  await page.get('[data-test=import-year]').setValue(2025);
  await page.get('[data-test=import-year]').trigger('change');
  await flushPromises();
  expect(confirm().element.disabled).toBe(true);
  expect(confirm().text()).toBe('无可导入');
  expect(page.get('[data-test=import-nothing]').text()).toContain('没有要写入');
});

test('after confirming, the problems stay on screen and can still be saved', async () => {
  const page = await previewed();
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  expect(page.find('[data-test=import-preview]').exists()).toBe(false);
  const result = page.get('[data-test=import-result]');
  // No place was created: the result does not say 新建地点 with nothing after it.
  expect(result.text()).not.toContain('新建地点：。');
  expect(result.findAll('[data-test=import-error-row]')).toHaveLength(3);
  expect(result.get('[data-test=import-warnings]').text()).toContain('手机号码位数不对');
  await result.get('[data-test=import-problems-file]').trigger('click');
  await flushPromises();
  expect(calls.at(-1)[0]).toBe('import_problems');
  expect(result.get('[data-test=import-result-notice]').text()).toContain('问题清单已保存');
});

test('the problems list is saved from the previewed import', async () => {
  const page = await previewed();
  mockIPC((cmd) => (cmd === 'import_problems' ? '/home/cadre/导出/roll_导入问题.xlsx' : null), { shouldMockEvents: true });
  await page.get('[data-test=import-problems-file]').trigger('click');
  await flushPromises();
  expect(page.get('[data-test=import-notice]').text()).toContain('roll_导入问题.xlsx');
  // Said beside the button too, where the clerk is looking.
  expect(page.get('[data-test=import-preview-notice]').text()).toContain('roll_导入问题.xlsx');
});

test('a confirm the core refuses because the ledger changed previews again and says why', async () => {
  const message = '预览之后台账或文件有了变化，这次导入的结果与预览不同（预览新增 2 行，现在 1 行），没有写入：请看新的预览后再确认';
  let now = 2;
  const page = await previewed({
    import_preview: ({ options }) => ({ ...report(options), inserted: now }),
    import_run: () => {
      now = 1;
      throw { code: 'conflict', message, problems: [] };
    },
  });
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  expect(previewCalls()).toHaveLength(2);
  expect(page.get('[data-test=import-conflict]').text()).toBe(message);
  expect(page.find('[data-test=import-error]').exists()).toBe(false);
  expect(page.find('[data-test=import-result]').exists()).toBe(false);
  expect(page.get('[data-test=import-counts]').text()).toContain('将新增 1');
  expect(page.get('[data-test=import-confirm]').element.disabled).toBe(false);
});

/** A command answered later, by the test: `pending.resolve(value)` or `pending.reject(error)`. */
function later() {
  const pending = {};
  pending.promise = new Promise((resolve, reject) => Object.assign(pending, { resolve, reject }));
  return pending;
}

const CANCELLED = { code: 'cancelled', message: '已取消：读到第 500 行时停止，台账没有改动', problems: [] };
const before = (a, b) => Boolean(a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING);

test('a long preview shows its rows counted at the top, and 取消 stops it leaving the wizard usable', async () => {
  const { emit } = await import('@tauri-apps/api/event');
  let pending = later();
  const page = await previewed({
    import_preview: () => pending.promise,
    import_cancel: () => pending.reject(CANCELLED),
  });
  const bar = () => page.get('[data-test=import-progress]');
  expect(bar().text()).toContain('正在读取并检查…');
  expect(bar().text()).not.toContain('/');
  expect(page.get('[data-test=import-pick]').element.disabled).toBe(true);
  await emit('import-progress', { stage: 'reading', done: 500, total: 100000 });
  await flushPromises();
  expect(bar().get('[data-test=import-progress-text]').text()).toBe('正在读取并检查… 500 / 100000 行');
  expect(bar().get('.bar div').attributes('style')).toContain('width: 0.5%');
  // Another stage's events (an import of another window's doing) do not move this bar.
  await emit('import-progress', { stage: 'writing', done: 900, total: 1000 });
  await flushPromises();
  expect(bar().text()).toContain('500 / 100000 行');

  await bar().get('[data-test=import-cancel]').trigger('click');
  await flushPromises();
  expect(calls.some(([cmd]) => cmd === 'import_cancel')).toBe(true);
  expect(page.find('[data-test=import-progress]').exists()).toBe(false);
  expect(page.get('[data-test=import-cancelled]').text()).toContain('已取消，台账没有改动');
  expect(page.find('[data-test=import-error]').exists()).toBe(false);
  expect(page.get('[data-test=import-pick]').element.disabled).toBe(false);

  // The same file can be checked again, this time to the end.
  pending = later();
  await page.get('[data-test=import-recheck]').trigger('click');
  await flushPromises();
  pending.resolve(report(lastOptions()));
  await flushPromises();
  expect(page.find('[data-test=import-cancelled]').exists()).toBe(false);
  expect(page.get('[data-test=import-counts]').text()).toContain('将新增 2');
});

test('writing is counted above the preview, and a cancelled import keeps the preview to confirm again', async () => {
  const { emit } = await import('@tauri-apps/api/event');
  let pending = later();
  const page = await previewed({
    import_run: () => pending.promise,
    import_cancel: () => pending.reject(CANCELLED),
  });
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  await emit('import-progress', { stage: 'writing', done: 1500, total: 6000 });
  await flushPromises();
  const bar = page.get('[data-test=import-progress]');
  expect(bar.text()).toContain('正在写入… 1500 / 6000 行');
  // At the top of the wizard, not below the long preview.
  expect(before(bar, page.get('[data-test=import-preview]'))).toBe(true);
  expect(page.get('[data-test=import-confirm]').element.disabled).toBe(true);

  await bar.get('[data-test=import-cancel]').trigger('click');
  await flushPromises();
  expect(page.get('[data-test=import-cancelled]').text()).toContain('已取消，台账没有改动');
  expect(page.find('[data-test=import-result]').exists()).toBe(false);
  expect(page.get('[data-test=import-confirm]').element.disabled).toBe(false);

  pending = later();
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  pending.resolve({ ...report(lastOptions()), dry_run: false, batch_id: 3 });
  await flushPromises();
  expect(page.get('[data-test=import-result]').text()).toContain('新增 2');
});

test('a cancelled preview after a choice keeps the last preview and undoes the choice', async () => {
  let pending = null;
  const page = await previewed({
    import_preview: ({ options }) => (pending ? pending.promise : report(options)),
    import_cancel: () => pending.reject(CANCELLED),
  });
  pending = later();
  await page.get('[data-test=import-create-places]').setValue(true);
  await flushPromises();
  expect(page.get('[data-test=import-progress]').exists()).toBe(true);
  await page.get('[data-test=import-cancel]').trigger('click');
  await flushPromises();
  expect(page.get('[data-test=import-create-places]').element.checked).toBe(false);
  expect(page.get('[data-test=import-counts]').text()).toContain('将新增 2');
  expect(page.get('[data-test=import-confirm]').text()).toBe('导入：新增 2，更新 0');
  // The next preview is asked without the cancelled tick.
  pending = null;
  await page.get('[data-test=import-year]').trigger('change');
  await flushPromises();
  expect(lastOptions().create_places).toBe(false);
});

test('a sheet that does not state its size is counted as read, and written against the preview’s rows', async () => {
  const { emit } = await import('@tauri-apps/api/event');
  let pending = later();
  const page = await previewed({ import_preview: () => pending.promise, import_run: () => pending.promise });
  // A streaming writer's sheet: the core cannot tell the total (0) while reading.
  await emit('import-progress', { stage: 'reading', done: 2500, total: 0 });
  await flushPromises();
  expect(page.get('[data-test=import-progress-text]').text()).toBe('正在读取并检查… 已读 2500 行');
  expect(page.get('[data-test=import-progress] .bar').classes()).toContain('unknown');
  pending.resolve(report(lastOptions()));
  await flushPromises();

  pending = later();
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  await emit('import-progress', { stage: 'writing', done: 6, total: 0 });
  await flushPromises();
  // The preview's 8 data rows and 4 rows that are not data.
  expect(page.get('[data-test=import-progress-text]').text()).toBe('正在写入… 6 / 12 行');
  expect(page.get('[data-test=import-progress] .bar div').attributes('style')).toContain('width: 50%');
  // The core's closing "0 of 0" does not take the count back.
  await emit('import-progress', { stage: 'writing', done: 0, total: 0 });
  await flushPromises();
  expect(page.get('[data-test=import-progress-text]').text()).toBe('正在写入… 6 / 12 行');
  pending.resolve({ ...report(lastOptions()), dry_run: false, batch_id: 3 });
  await flushPromises();
  expect(page.find('[data-test=import-progress]').exists()).toBe(false);
});

test('a county’s problems are counted by kind; the screen lists the first of them and says how many more', async () => {
  const many = Array.from({ length: 1000 }, (_, i) => ({ sheet: 'Sheet1', row: i + 2, name: '王五', column: '网格', value: '第1网格', code: 'place_unknown', message: '网格“第1网格”不在台账中', warning: false }));
  const page = await previewed({
    import_preview: ({ options }) => ({
      ...report(options), problems: many, problems_total: 100001,
      problem_kinds: [
        { code: 'place_unknown', warning: false, count: 100000, column: '网格', message: '网格“第1网格”不在台账中' },
        { code: 'phone', warning: true, count: 1, column: '手机号码', message: '手机号码位数不对' },
      ],
    }),
  });
  expect(texts(page, '[data-test=import-problem-kind]')).toEqual(['错误100000网格网格“第1网格”不在台账中', '提醒1手机号码手机号码位数不对']);
  expect(page.get('[data-test=import-problems]').text()).toContain('错误 100000 个');
  expect(page.findAll('[data-test=import-error-row]')).toHaveLength(200);
  expect(page.get('[data-test=import-errors-more]').text()).toBe('另有 99800 个错误未列出，请导出问题清单查看全部。');
  expect(page.get('[data-test=import-actions]').text()).toContain('100000 个错误');
});

test('a county’s thousands of created places are a folded tree in the result, not a sentence', async () => {
  const created = Array.from({ length: 45 }, (_, g) => ({ path: `白水镇/北1村/第${g + 1}网格`, requested: '', level: '网格', name: `第${g + 1}网格`, rows: 2 }));
  const page = await previewed({
    import_run: ({ options }) => ({ ...report(options), places_created: [{ path: '白水镇', requested: '白水镇', level: '乡镇', name: '白水镇', rows: 90 }, ...created], dry_run: false, batch_id: 4 }),
  });
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  const result = page.get('[data-test=import-result]');
  expect(result.text()).toContain('新建地点 46 处（见下）');
  expect(result.text()).not.toContain('第2网格');
  expect(texts(result, '[data-test=import-result-places] li')).toEqual(['▾白水镇（乡镇，90 行，其下 45 处）', '▸北1村（90 行，45 处）']);
});

test('a second sheet is named with its kind and rows; one click previews and imports every sheet together', async () => {
  const page = await previewed();
  expect(page.get('[data-test=import-other-sheets]').text()).toContain('“二组”（人员登记，约 3 行，表头相同）');
  await page.get('[data-test=import-all-sheets]').trigger('click');
  await flushPromises();
  expect(lastOptions().sheet).toBe('*');
  expect(page.find('[data-test=import-other-sheets]').exists()).toBe(false);
  expect(page.get('[data-test=import-sheets-read]').text()).toContain('Sheet1、二组');
  expect(page.get('[data-test=import-sheet]').element.value).toBe('*');
  // Read together, every problem row says its sheet, even when all are of one sheet.
  expect(page.findAll('[data-test=import-problem-sheet]').length).toBeGreaterThan(0);
  await page.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  const run = calls.filter(([cmd]) => cmd === 'import_run').at(-1)[1];
  expect(run.options.sheet).toBe('*');
});

test('a sheet dropped on the window is opened as if picked; anything else is said', async () => {
  mockCore();
  const { ref } = await import('vue');
  const dropped = ref(null);
  const page = mount(Import, { global: { provide: { go: () => {}, refreshInfo: async () => ({}), dropped } } });
  await flushPromises();
  dropped.value = { path: '/home/村委/返乡名单.xlsx', at: 1 };
  await flushPromises();
  expect(previewCalls().at(-1)[1].path).toBe('/home/村委/返乡名单.xlsx');
  expect(page.get('[data-test=import-path]').text()).toBe('/home/村委/返乡名单.xlsx');
  expect(page.findAll('[data-test=import-household]').length).toBeGreaterThan(0);

  dropped.value = { refused: '拖入的不是表格文件：只能导入 xlsx、xls、ods、csv、et', at: 2 };
  await flushPromises();
  expect(page.text()).toContain('拖入的不是表格文件');
  expect(previewCalls()).toHaveLength(1);
});

test('a 网格员 is told why there is no file to pick, with the core’s words, and a dropped file is not read', async () => {
  mockCore();
  const { ref } = await import('vue');
  const why = '“李网格”是网格员，不能导入表格：请村管理员或镇文员来做。';
  const lockState = ref({ state: 'open', login: { name: '李网格', role: '网格员', grid: 3 }, cannot: { import: why, settings: '…' } });
  const dropped = ref(null);
  const page = mount(Import, { global: { provide: { go: () => {}, refreshInfo: async () => ({}), dropped, lockState } } });
  await flushPromises();
  expect(page.find('[data-test=import-pick]').exists()).toBe(false);
  expect(page.get('[data-test=import-refused]').text()).toContain(why);
  expect(page.get('[data-test=import-refused]').text()).toContain('体温登记');

  dropped.value = { path: '/home/村委/返乡名单.xlsx', at: 1 };
  await flushPromises();
  expect(previewCalls()).toHaveLength(0);
  expect(page.get('[data-test=import-error]').text()).toBe(why);

  // A 镇文员 (nothing refused) picks as before.
  lockState.value = { state: 'open', login: { name: '赵文员', role: '镇文员', grid: null }, cannot: { settings: '…' } };
  await flushPromises();
  await page.get('[data-test=import-pick]').trigger('click');
  await flushPromises();
  expect(previewCalls()).toHaveLength(1);
});
