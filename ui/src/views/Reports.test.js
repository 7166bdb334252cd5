// The reports page against a mocked core: the preview follows every parameter change, the
// export sends exactly the parameters of the preview on screen, switching template starts
// from that template's defaults, the check against the ledger shows a disagreement in red, and the
// exported sheet prints from the app.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Reports from './Reports.vue';

const template = (id, name) => ({
  format: 'gridledger-report-template', version: 1, id, name, source: 'arrivals', title: '', meta: true,
  columns: [{ header: ['序号'], field: 'row_number' }, { header: ['姓名'], field: 'name' }],
  filter: {}, sort: [], totals: false, footer: [], zero_report: '',
});
const templates = [
  { template: template('returnees', '来(返)乡人员登记表'), builtin: true, replaces_builtin: false },
  { template: template('daily', '每日疫情防控日报'), builtin: true, replaces_builtin: false },
];

// The screen gets the first rows of a 300-row sheet; a larger limit gets them all.
function sheet(t, params, limit) {
  const all = Array.from({ length: 300 }, (_, i) => [String(i + 1), ['张三', '李四'][i] ?? `人员${i + 1}`]);
  return {
    title: t.name, meta: { left: '填报单位：石桥村', right: '填报日期：2026年11月23日' },
    header: [{ row: 0, col: 0, last_row: 0, last_col: 0, text: '序号' }, { row: 0, col: 1, last_row: 0, last_col: 1, text: '姓名' }],
    header_rows: 1, column_count: 2, rows: all.slice(0, limit ?? 200), total_rows: all.length, totals: null, zero_report: null,
    footer: [], definitions: '注：返乡人数按来（返）乡日期计。',
    // The core answers with the parameters it used, the report day filled in.
    params: { ...params, to: params.to ?? '2026-11-23' },
    day: params.to ?? '2026-11-23', epoch: '2026-01-01',
  };
}

let calls;
let check;

function mockCore(core = {}) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (core[cmd]) return core[cmd](args);
    switch (cmd) {
      case 'ledger_info': return { today: '2026-11-23', path: '/tmp/l.db', summary: {}, empty: false };
      case 'report_catalog': return [];
      case 'find_places': return [{ id: 5, parent_id: null, level: '村', name: '石桥村', code: null, path: '石桥村' }];
      case 'report_templates': return templates;
      case 'settings': return args.keys.map((k) => (k === 'report_unit' ? '石桥村' : null));
      case 'report_preview': return sheet(args.template, args.params, args.limit);
      case 'check_form': return check;
      case 'export_report': return { path: '/home/cadre/导出/来(返)乡人员登记表_2026-11-20.xlsx', rows: 2, zero_report: false };
      default: return null;
    }
  }, { shouldMockEvents: true });
}

const previews = () => calls.filter(([cmd]) => cmd === 'report_preview');

async function mountPage(lockState = ref(null)) {
  const page = mount(Reports, { global: { provide: { lists: ref({ tags: [] }), lockState } } });
  await flushPromises();
  vi.advanceTimersByTime(0);
  await flushPromises();
  return page;
}

async function pause(ms = 300) {
  vi.advanceTimersByTime(ms);
  await flushPromises();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  check = { day: '2026-11-23', epoch: '2026-01-01', village: null, pairs: [] };
  mockCore();
});
afterEach(() => {
  clearMocks();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

test('the preview follows a date change and the export sends the parameters of that preview', async () => {
  const page = await mountPage();
  expect(previews()).toHaveLength(1);
  expect(previews()[0][1].params).toEqual({ from: null, to: '2026-11-23', village: null, mask: false });
  expect(page.get('[data-test=report-preview]').text()).toContain('张三');
  expect(page.get('[data-test=report-meta]').text()).toContain('填报日期：2026年11月23日');
  expect(page.get('[data-test=report-definitions]').text()).toContain('注：');
  expect(page.get('[data-test=report-count]').text()).toContain('共 300 行，这里显示前 200 行');

  // Typing waits for a pause, and says it is updating meanwhile.
  await page.get('[data-test=report-to]').setValue('2026-11-20');
  expect(page.get('[data-test=report-status]').text()).toContain('正在更新');
  await pause(100);
  expect(previews()).toHaveLength(1);
  await pause(300);
  expect(previews()).toHaveLength(2);
  expect(previews()[1][1].params.to).toBe('2026-11-20');

  // A half-typed or impossible date runs nothing and says what is wrong next to the field.
  await page.get('[data-test=report-from]').setValue('2026-02-30');
  await pause(400);
  expect(previews()).toHaveLength(2);
  expect(page.get('[data-test=report-from-problem]').text()).toContain('没有这一天');
  await page.get('[data-test=report-from]').setValue('2026/11/1');
  await page.get('[data-test=report-from]').trigger('blur');
  expect(page.get('[data-test=report-from]').element.value).toBe('2026-11-01');
  await pause(400);
  expect(previews()).toHaveLength(3);

  await page.get('[data-test=report-export]').trigger('click');
  await flushPromises();
  const exported = calls.find(([cmd]) => cmd === 'export_report')[1];
  const lastPreview = previews().at(-1)[1];
  expect(exported.params).toEqual(sheet(lastPreview.template, lastPreview.params).params);
  expect(exported.params).toEqual({ from: '2026-11-01', to: '2026-11-20', village: null, mask: false });
  expect(exported.template).toEqual(lastPreview.template);
  expect(page.get('[data-test=report-notice]').text()).toContain('来(返)乡人员登记表_2026-11-20.xlsx');
  expect(page.find('[data-test=report-notice-stale]').exists()).toBe(false);
  // Other days in the preview: the notice says the file is of the days before.
  await page.get('[data-test=report-from]').setValue('2026-11-05');
  await page.get('[data-test=report-from]').trigger('blur');
  await pause(400);
  expect(page.get('[data-test=report-notice-stale]').text()).toContain('改动范围或日期之前导出的');
});

test('an export right after a change waits for the preview of that change', async () => {
  const page = await mountPage();
  await page.get('[data-test=report-mask]').setValue(true);
  await page.get('[data-test=report-export]').trigger('click');
  await flushPromises();
  expect(previews().at(-1)[1].params.mask).toBe(true);
  expect(calls.find(([cmd]) => cmd === 'export_report')[1].params.mask).toBe(true);
});

test('switching template resets the dates and the place to that template\'s defaults', async () => {
  const page = await mountPage();
  await page.get('[data-test=report-from]').setValue('2026-11-01');
  await page.get('[data-test=report-to]').setValue('2026-11-10');
  await page.get('[data-test=report-village]').setValue('石桥');
  await pause(200);
  await page.get('[data-test=report-village-hit]').trigger('click');
  expect(page.get('[data-test=report-village]').element.value).toBe('石桥村');
  await pause(400);
  expect(previews().at(-1)[1].params).toEqual({ from: '2026-11-01', to: '2026-11-10', village: '5', mask: false });

  await page.findAll('[data-test=template-item]')[1].trigger('click');
  await pause(0);
  const last = previews().at(-1)[1];
  expect(last.template.id).toBe('daily');
  expect(last.params).toEqual({ from: null, to: '2026-11-23', village: null, mask: false });
  expect(page.get('[data-test=report-from]').element.value).toBe('');
  expect(page.get('[data-test=report-to]').element.value).toBe('2026-11-23');
  expect(page.get('[data-test=report-village]').element.value).toBe('');
});

test('the ledger check shows a disagreement in red with both numbers', async () => {
  check.pairs = [
    {
      what: '石桥村 在管居家隔离人数', agree: false,
      left: { template_id: 'daily', form: '每日疫情防控日报', measure: '石桥村 在管居家隔离人数', value: 12 },
      right: { template_id: 'ledger', form: '台账', measure: '石桥村 在管居家隔离人数', value: 11 },
    },
    {
      what: '石桥村 新增来(返)乡人数', agree: true,
      left: { template_id: 'daily', form: '每日疫情防控日报', measure: '石桥村 新增来(返)乡人数', value: 1 },
      right: { template_id: 'ledger', form: '台账', measure: '石桥村 新增来(返)乡人数', value: 1 },
    },
  ];
  const page = await mountPage();
  // The form on screen, with the parameters of its preview.
  const asked = calls.find(([cmd]) => cmd === 'check_form')[1];
  expect(asked.params).toEqual({ from: null, to: '2026-11-23', village: null, mask: false });
  expect(asked.template.id).toBe(previews().at(-1)[1].template.id);
  const bad = page.findAll('[data-test=report-check-bad]');
  expect(bad).toHaveLength(1); // only the number that differs
  expect(bad[0].classes()).toContain('bad');
  expect(bad[0].text()).toContain('石桥村 在管居家隔离人数');
  expect(bad[0].text()).toContain('12');
  expect(bad[0].text()).toContain('11');
  // Information, not a block: the export goes ahead.
  await page.get('[data-test=report-export]').trigger('click');
  await flushPromises();
  expect(calls.some(([cmd]) => cmd === 'export_report')).toBe(true);
});

test('a form that agrees with the ledger says so in green', async () => {
  check.pairs = [{
    what: '行数', agree: true,
    left: { template_id: 'returnees', form: '来(返)乡人员登记表', measure: '行数', value: 2 },
    right: { template_id: 'ledger', form: '台账', measure: '行数', value: 2 },
  }];
  const page = await mountPage();
  expect(page.get('[data-test=report-check-ok]').text()).toContain('全部一致');
});

test('after an export the sheet opens in its folder and prints with every row', async () => {
  window.print = vi.fn();
  const page = await mountPage();
  await page.get('[data-test=report-export]').trigger('click');
  await flushPromises();
  await page.get('[data-test=report-open-folder]').trigger('click');
  await flushPromises();
  expect(calls.find(([cmd]) => cmd === 'show_in_folder')[1]).toEqual({ path: '/home/cadre/导出/来(返)乡人员登记表_2026-11-20.xlsx' });
  await page.get('[data-test=report-print]').trigger('click');
  await flushPromises();
  expect(window.print).toHaveBeenCalled();
  const printed = document.body.querySelector('[data-test=report-print]');
  expect(previews().at(-1)[1].limit).toBeGreaterThanOrEqual(300);
  expect(printed.querySelectorAll('[data-test=print-row]')).toHaveLength(300);
  expect(printed.querySelector('[data-test=print-cut]')).toBeNull();
  expect(printed.textContent).toContain('填报单位：石桥村');
  page.unmount();
});

test('the page opens on the form it was asked for', async () => {
  const page = mount(Reports, { props: { template: 'daily' }, global: { provide: { lists: ref({ tags: [] }) } } });
  await flushPromises();
  vi.advanceTimersByTime(0);
  await flushPromises();
  expect(page.get('[data-test=template-item].active').text()).toContain('每日疫情防控日报');
  expect(previews().at(-1)[1].template.id).toBe('daily');
  page.unmount();
});

test('the epidemic start date is checked before it is saved', async () => {
  const page = await mountPage();
  const field = page.get('[data-test=meta-epidemic-start]');
  await field.setValue('2026-13-01');
  await field.trigger('blur');
  await flushPromises();
  expect(calls.some(([cmd]) => cmd === 'set_setting')).toBe(false);
  expect(page.get('[data-test=meta-epidemic-start-problem]').text()).toBeTruthy();
  await field.setValue('2026-01-20');
  await field.trigger('blur');
  await flushPromises();
  expect(calls.find(([cmd]) => cmd === 'set_setting')[1]).toEqual({ key: 'epidemic_start', value: '2026-01-20' });
});

test('switching template shows that it is being made, never the last form under the new name', async () => {
  const page = await mountPage();
  expect(page.get('[data-test=report-preview]').text()).toContain('来(返)乡人员登记表');
  await page.findAll('[data-test=template-item]')[1].trigger('click');
  await flushPromises();
  // Asked, not yet answered: the old sheet is gone, the page says what is coming.
  expect(page.find('[data-test=report-preview]').exists()).toBe(false);
  expect(page.get('[data-test=report-loading]').text()).toContain('每日疫情防控日报');
  await pause(0);
  expect(page.find('[data-test=report-loading]').exists()).toBe(false);
  expect(page.get('[data-test=report-preview]').text()).toContain('每日疫情防控日报');
});

test('a long export counts its rows against the sheet on screen, and 取消 stops it with no file', async () => {
  const { emit } = await import('@tauri-apps/api/event');
  let reject;
  mockCore({
    export_report: () => new Promise((_, no) => { reject = no; }),
    export_cancel: () => reject({ code: 'cancelled', message: '已取消导出：写到第 1000 行时停止，没有写出文件', problems: [] }),
  });
  const page = await mountPage();
  await page.get('[data-test=report-export]').trigger('click');
  await flushPromises();
  const bar = () => page.get('[data-test=export-progress]');
  expect(bar().get('[data-test=export-progress-text]').text()).toBe('正在写出 0 / 300 行…');
  expect(page.get('[data-test=report-export]').element.disabled).toBe(true);
  await emit('export-progress', 200);
  await flushPromises();
  expect(bar().get('[data-test=export-progress-text]').text()).toBe('正在写出 200 / 300 行…');
  expect(bar().get('[role=progressbar]').attributes('aria-valuenow')).toBe('200');
  await bar().get('[data-test=export-cancel]').trigger('click');
  await flushPromises();
  expect(calls.some(([cmd]) => cmd === 'export_cancel')).toBe(true);
  expect(page.find('[data-test=export-progress]').exists()).toBe(false);
  expect(page.find('[data-test=report-error]').exists()).toBe(false);
  expect(page.text()).toContain('已取消导出，没有写出文件');
  expect(page.get('[data-test=report-export]').element.disabled).toBe(false);
});

test('a 网格员 exports the forms but is offered no template edit, and sees 填报信息 unchangeable with why', async () => {
  const no = (what) => `“李网格”是网格员，不能${what}：请村管理员来做。`;
  const page = await mountPage(ref({ state: 'open', login: { name: '李网格', role: '网格员', grid: 3 },
    cannot: { templates: no('修改报表模板'), settings: no('修改设置') } }));
  expect(page.find('[data-test=report-edit]').exists()).toBe(false);
  expect(page.find('[data-test=report-export]').exists()).toBe(true);
  for (const field of ['meta-unit', 'meta-operator', 'meta-phone', 'meta-epidemic-start']) {
    expect(page.get(`[data-test=${field}]`).element.disabled, field).toBe(true);
  }
  expect(page.get('[data-test=meta-refused]').text()).toBe(no('修改报表模板'));
  // A 村管理员 (nothing refused) changes them as before.
  const admin = await mountPage(ref({ state: 'open', login: { name: '王芳', role: '村管理员', grid: null }, cannot: {} }));
  expect(admin.find('[data-test=report-edit]').exists()).toBe(true);
  expect(admin.get('[data-test=meta-unit]').element.disabled).toBe(false);
  expect(admin.find('[data-test=meta-refused]').exists()).toBe(false);
});
