// The temperature round against a mocked core, in vxe-table's real grid: each reading is saved
// the moment its cell closes, with the round's short keys expanded; a fever turns red and the
// core's answer is what the row shows; a refused reading says why on its row and keeps the
// saved value; rows pasted from Excel are previewed, then written with the round's day.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { ref } from 'vue';
import Round from './Round.vue';

const watched = (person_id, name, am = null) => ({
  person_id, name, phone: null, household: `东街${person_id}号`, village: '石桥村', grid: '第一网格',
  isolation_id: person_id + 100, kind: '居家隔离医学观察', day_number: 3, planned_end_date: '2026-12-01',
  check_id: null, am_temperature: am, pm_temperature: null, symptoms: [], abnormal: false,
});

let calls;
function mountRound(core = {}, lockState = null) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (core[cmd]) return core[cmd](args);
    switch (cmd) {
      case 'ledger_info': return { today: '2026-11-23' };
      case 'places': return [{ id: 2, level: '网格', name: '第一网格', path: '石桥村/第一网格' }];
      case 'watch_list': return [watched(1, '张三', 36.4), watched(2, '李四'), watched(3, '王五')];
      default: return null;
    }
  });
  return mount(Round, { attachTo: document.body, global: { provide: { go: () => {}, refreshInfo: async () => {}, lockState: ref(lockState) } } });
}

afterEach(() => {
  clearMocks();
  document.body.innerHTML = '';
});

/** Types `text` into a cell as the grid's editor would, then closes it (Enter). */
async function type(page, index, field, text) {
  const grid = page.vm.$.setupState.table;
  const row = page.vm.$.setupState.rows[index];
  await grid.setEditCell(row, field);
  row[field] = text;
  await grid.clearEdit();
  await flushPromises();
  return row;
}

test('the round lists everyone under watch, with what is already measured', async () => {
  const page = mountRound();
  await flushPromises();
  expect(page.findAll('[data-test=round-name]').map((b) => b.text())).toEqual(['张三', '李四', '王五']);
  expect(page.get('[data-test=round-counts]').text()).toContain('在管 3 人 · 上午已测 1');
});

test('a short key is expanded and saved for the round day; a fever turns the row red', async () => {
  const page = mountRound({
    record_reading: ({ reading }) => ({
      check_id: 9, am_temperature: Number(reading.am), pm_temperature: null, symptoms: [], abnormal: Number(reading.am) >= 37.3, warnings: [],
    }),
  });
  await flushPromises();
  const row = await type(page, 1, 'am', '375');
  const saved = calls.filter(([cmd]) => cmd === 'record_reading');
  expect(saved.map(([, a]) => a.reading)).toEqual([{ person_id: 2, date: '2026-11-23', am: '37.5' }]);
  expect([row.am, row.abnormal, row.status]).toEqual(['37.5', true, '已保存']);
  expect(page.get('[data-test=round-counts]').text()).toContain('异常 1');
  expect(page.find('tr.abnormal td.fever').exists()).toBe(true);
  // The same value again is not saved twice.
  await type(page, 1, 'am', '37.5');
  expect(calls.filter(([cmd]) => cmd === 'record_reading')).toHaveLength(1);
});

test('a reading the core refuses says why on its row and keeps the saved value', async () => {
  let page = null;
  page = mountRound({
    record_reading: () => {
      // The Enter that closed the cell has moved the cursor to the next person meanwhile.
      const { table, rows } = page.vm.$.setupState;
      table.setSelectCell(rows[1], 'am');
      throw { code: 'value_invalid', message: '上午体温：体温 45.0 不在 34–43 ℃ 之间', problems: [] };
    },
  });
  await flushPromises();
  const row = await type(page, 0, 'am', '45');
  expect(row.am).toBe('36.4');
  expect(page.get('[data-test=round-problem]').text()).toContain('不在 34–43');
  // Whole, above the grid, with whose reading it was.
  expect(page.get('[data-test=round-last-problem]').text()).toBe('张三：上午体温：体温 45.0 不在 34–43 ℃ 之间');
  // The cursor is back on the refused reading.
  const selected = page.vm.$.setupState.table.getSelectedCell();
  expect([selected.row.name, selected.column.field]).toEqual(['张三', 'am']);
});

test('symptom keys are sent as words', async () => {
  const page = mountRound({
    record_reading: ({ reading }) => ({ check_id: 9, am_temperature: 36.4, pm_temperature: null, symptoms: reading.symptoms.split('、'), abnormal: true, warnings: [] }),
  });
  await flushPromises();
  const row = await type(page, 0, 'symptoms', '23');
  expect(calls.find(([cmd]) => cmd === 'record_reading')[1].reading.symptoms).toBe('干咳、乏力');
  expect(row.symptoms).toBe('干咳、乏力');
});

test('rows pasted from Excel are previewed, then written for the round day', async () => {
  const report = { inserted: 2, updated: 0, unchanged: 0, rejected_rows: 0, partial_rows: 0, review: 0, problems: [], preview: [], households: [], data_rows: 2,
    columns: [{ header: '姓名', field: 'name', field_label: '姓名' }, { header: '上午体温', field: 'am_temperature', field_label: '上午体温' }] };
  const page = mountRound({ paste_preview: () => report, paste_run: () => report });
  await flushPromises();
  // A click on the grid, then Ctrl+V: vxe-table hears the paste on the document.
  page.findAll('.vxe-body--column')[4].element.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  const text = '李四\t\t36.6\n王五\t\t36.8\n';
  const paste = new Event('paste', { bubbles: true, cancelable: true });
  paste.clipboardData = { getData: (t) => (t === 'text/plain' ? text : '') };
  document.dispatchEvent(paste);
  await flushPromises();
  expect(page.get('[data-test=paste-summary]').text()).toContain('新增 2');
  expect(page.get('[data-test=paste-columns]').text()).toContain('上午体温 → 上午体温');
  await page.get('[data-test=paste-run]').trigger('click');
  await flushPromises();
  const run = calls.find(([cmd]) => cmd === 'paste_run')[1];
  expect(run.rows).toEqual([['李四', '', '36.6'], ['王五', '', '36.8']]);
  expect(run.options).toMatchObject({ target: 'health_checks', fixed: { check_date: '2026-11-23' } });
  expect(run.options.pasted_header.slice(0, 3)).toEqual(['姓名', '身份证号码', '上午体温']);
  expect(page.get('[data-test=round-notice]').text()).toContain('新增 2');
});

test('the cursor starts in the reading column of the ledger clock\'s time of day', async () => {
  // Morning: 张三 is measured already, so 李四's 上午; afternoon: nobody yet, so 张三's 下午.
  for (const [now, name, column] of [['2026-11-23 08:30', '李四', 'am'], ['2026-11-23 15:05', '张三', 'pm']]) {
    const page = mountRound({ clock: () => ({ today: '2026-11-23', now }) });
    await flushPromises();
    await flushPromises();
    const selected = page.vm.$.setupState.table.getSelectedCell();
    expect([selected?.row?.name, selected?.column?.field]).toEqual([name, column]);
    page.unmount();
  }
});

test("a 网格员 of a grid starts the round on their grid", async () => {
  const w = mountRound({}, { state: 'open', login: { name: '李网格', role: '网格员', grid: 2 } });
  await flushPromises();
  expect(calls.find(([c]) => c === 'watch_list')[1]).toEqual({ placeId: 2 });
  w.unmount();
});

test('a row outside a 网格员’s grid says so, does not open for a reading, and the cursor starts past it', async () => {
  const page = mountRound({
    clock: () => ({ today: '2026-11-23', now: '2026-11-23 08:30' }),
    watch_list: () => [watched(1, '张三', 36.4), { ...watched(2, '李四'), grid: '第二网格', read_only: true }, watched(3, '王五')],
  });
  await flushPromises();
  await flushPromises();
  const selected = page.vm.$.setupState.table.getSelectedCell();
  expect([selected?.row?.name, selected?.column?.field]).toEqual(['王五', 'am']);
  const statuses = page.findAll('[data-test=round-status]').map((s) => s.text());
  expect(statuses).toEqual(['', '网格外，只能查看', '']);
  const grid = page.vm.$.setupState.table;
  await grid.setEditCell(page.vm.$.setupState.rows[1], 'am');
  await flushPromises();
  expect(grid.getEditCell()?.row ?? null).toBe(null);
  await type(page, 2, 'am', '5');
  expect(calls.filter(([c]) => c === 'record_reading').map(([, a]) => a.reading.person_id)).toEqual([3]);
});

test('Enter passes over rows outside the 网格员’s grid; after the last of their own it goes to the other column', async () => {
  const page = mountRound({
    clock: () => ({ today: '2026-11-23', now: '2026-11-23 08:30' }),
    watch_list: () => [watched(1, '张三'), { ...watched(2, '李四'), read_only: true }, watched(3, '王五'), { ...watched(4, '赵六'), read_only: true }],
  });
  await flushPromises();
  await flushPromises();
  const { table: grid, rows, roundKeyboard, onKeydown } = page.vm.$.setupState;
  const enter = async (row, field) => {
    roundKeyboard.beforeEnterMethod({ row, column: { field } });
    // The grid moves the cursor one row down, as vxe does on Enter, before the page looks.
    const next = rows[rows.indexOf(row) + 1];
    if (next) await grid.setSelectCell(next, field);
    onKeydown({ $event: { key: 'Enter' } });
    await new Promise((done) => setTimeout(done, 0));
    await flushPromises();
    const selected = grid.getSelectedCell();
    return [selected?.row?.name, selected?.column?.field];
  };
  expect(await enter(rows[0], 'am')).toEqual(['王五', 'am']);
  expect(await enter(rows[2], 'am')).toEqual(['张三', 'pm']);
  // A reading typed on a row that is not theirs says why.
  await grid.setEditCell(rows[1], 'am');
  await flushPromises();
  expect(page.get('[data-test=round-last-problem]').text()).toBe('李四在网格外：只能查看，不能录入体温');
});
