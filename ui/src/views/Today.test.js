// 今日 against a mocked core: lines grouped by grid (未分网格 last), counts in the headings,
// 无 for an empty section, and 解除 asks in the app, then releases and reloads.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { ref } from 'vue';
import Today from './Today.vue';
import { answer, question } from '../components/ask.js';
import { FORMS } from '../components/recordForms.fixture.js';

const who = (person_id, name, grid) => ({ person_id, name, phone: '13800138000', household: '东街1号', village: '石桥村', grid });
const ending = (isolation_id, person) => ({ ...person, isolation_id, kind: '居家隔离医学观察', start_date: '2026-11-09', planned_end_date: '2026-11-23', overdue_days: 0 });

function day(overrides = {}) {
  return {
    day: '2026-11-23', watched: 3, readings_missing: [], fevers: [], ending: [], tests_due: [], results_pending: [],
    unvisited_arrivals: [], hand_offs: [], awaiting_isolation: [], daily_report: null, ...overrides,
  };
}

function mountToday(list, calls = [], lockState = null) {
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'find_places') return [{ id: 2, level: '网格', name: '第一网格', path: '石桥村/第一网格' }];
    if (cmd === 'today_list') return typeof list === 'function' ? list(calls) : list;
    if (cmd === 'record_forms') return FORMS;
    if (cmd === 'clock') return { today: '2026-11-23', now: '2026-11-23 09:00' };
    if (cmd === 'save_record') return { kind: args.input.kind, id: 50, warnings: [] };
    return null;
  });
  const go = vi.fn();
  const wrapper = mount(Today, { global: { provide: { go, refreshInfo: async () => {}, lockState: ref(lockState) } } });
  return { wrapper, go, calls };
}

afterEach(() => clearMocks());

describe('Today', () => {
  test('groups each section by grid, 未分网格 last, with counts and 无', async () => {
    const { wrapper } = mountToday(day({
      ending: [ending(11, who(1, '张三', '第二网格')), ending(12, who(2, '李四', null)), ending(13, who(3, '王五', '第一网格')), ending(14, who(4, '赵六', '第二网格'))],
    }));
    await flushPromises();
    const section = wrapper.get('[data-test=today-section-ending]');
    expect(section.get('[data-test=today-count-ending]').text()).toBe('（4）');
    const groups = section.findAll('[data-test=today-group]');
    expect(groups.map((g) => g.get('[data-test=today-grid]').text())).toEqual(['第一网格（1）', '第二网格（2）', '未分网格（1）']);
    expect(groups[1].findAll('[data-test=today-person]').map((p) => p.text())).toEqual(['张三', '赵六']);
    // Empty sections say so.
    expect(wrapper.get('[data-test=today-section-fevers]').get('[data-test=today-none]').text()).toBe('无');
    expect(wrapper.get('[data-test=today-count-fevers]').text()).toBe('（0）');
    // No 日报 yet: a way to the reports.
    expect(wrapper.find('[data-test=today-daily-link]').exists()).toBe(true);
  });

  test('a line outside a 网格员’s grid is shown with 网格外 and offers no change', async () => {
    const { wrapper } = mountToday(day({
      ending: [ending(11, who(1, '张三', '第一网格')), ending(12, { ...who(2, '李四', '第二网格'), read_only: true })],
    }));
    await flushPromises();
    const lines = wrapper.get('[data-test=today-section-ending]').findAll('[data-test=today-group]');
    expect(lines[0].find('[data-test=today-release]').exists()).toBe(true);
    expect(lines[0].find('[data-test=today-read-only]').exists()).toBe(false);
    expect(lines[1].find('[data-test=today-release]').exists()).toBe(false);
    expect(lines[1].get('[data-test=today-read-only]').text()).toBe('网格外，只能查看');
    // The name still opens the page, to look.
    expect(lines[1].get('[data-test=today-person]').text()).toBe('李四');
  });

  test('a name opens the person page', async () => {
    const { wrapper, go } = mountToday(day({ ending: [ending(11, who(1, '张三', '第一网格'))] }));
    await flushPromises();
    await wrapper.get('[data-test=today-person]').trigger('click');
    expect(go).toHaveBeenCalledWith('person', { id: 1 });
  });

  test('解除 asks first, then releases the period and reloads the list', async () => {
    let released = false;
    const { wrapper, calls } = mountToday((seen) => {
      released = seen.some(([cmd]) => cmd === 'release_isolation');
      return day({ ending: released ? [] : [ending(11, who(1, '张三', '第一网格'))] });
    });
    await flushPromises();
    await wrapper.get('[data-test=today-release]').trigger('click');
    await flushPromises();
    expect(question.open).toBe(true);
    expect(question.message).toContain('张三');
    expect(calls.some(([cmd]) => cmd === 'release_isolation')).toBe(false);
    answer(true);
    await flushPromises();
    const release = calls.find(([cmd]) => cmd === 'release_isolation');
    expect(release[1]).toEqual({ id: 11, day: null });
    expect(wrapper.get('[data-test=today-section-ending]').get('[data-test=today-none]').text()).toBe('无');
    expect(wrapper.get('[data-test=today-notice]').text()).toContain('已解除');
  });

  test('the place filter asks the core for that place', async () => {
    const { wrapper, calls } = mountToday(day());
    await flushPromises();
    const box = wrapper.get('[data-test=today-place-filter]');
    await box.setValue('第一');
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(calls.filter(([cmd]) => cmd === 'find_places').at(-1)[1].text).toBe('第一');
    expect(calls.filter(([cmd]) => cmd === 'today_list').at(-1)[1]).toEqual({ placeId: 2 });
    expect(box.element.value).toBe('石桥村/第一网格');
    // Emptied and left: 全部 again.
    await box.setValue('');
    await box.trigger('blur');
    await flushPromises();
    expect(calls.filter(([cmd]) => cmd === 'today_list').at(-1)[1]).toEqual({ placeId: null });
  });

  test('a hand-off is handled with its note', async () => {
    const handOff = { check_id: 5, checkpoint: '东口卡点', checked_at: '2026-11-23 08:30', name: '孙七', phone: null, plate: '鄂A12345', temperature: 37.5,
      origin: '武汉', destination: '石桥村', village: '石桥村', person_id: null, passengers: [{ name: '周八', temperature: 37.8 }], fever: true };
    const { wrapper, calls } = mountToday(day({ hand_offs: [handOff] }));
    await flushPromises();
    // A passenger's fever is on the line, not only the driver's temperature.
    expect(wrapper.get('[data-test=today-handoff-fever]').text()).toBe('车上有人发热');
    expect(wrapper.get('[data-test=today-handoff-passengers]').text()).toBe('随车：周八 37.8℃');
    expect(wrapper.get('[data-test=today-handoff-passengers] .danger').text()).toContain('周八');
    await wrapper.get('[data-test=today-handoff-note]').setValue('已电话联系');
    await wrapper.get('[data-test=today-handle]').trigger('click');
    await flushPromises();
    answer(true);
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'handle_hand_off')[1]).toEqual({ id: 5, note: '已电话联系' });
    // Then each feverish traveller is offered a watch, the driver first, looked up by name.
    let form = wrapper.get('[data-test=record-form]');
    expect(form.text()).toContain('开始居家健康监测：孙七（37.5℃');
    expect(form.get('[data-test=picker-search]').element.value).toBe('孙七');
    expect(form.get('[data-test=field-kind]').element.value).toBe('居家健康监测');
    await form.get('[data-test=record-cancel]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test=today-notice]').text()).toContain('未给 孙七 开始');
    form = wrapper.get('[data-test=record-form]');
    expect(form.text()).toContain('开始居家健康监测：周八（37.8℃');
    await form.get('[data-test=record-cancel]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test=record-form]').exists()).toBe(false);
  });

  test('urgent sections come first, and a contact without isolation is offered one', async () => {
    const contact = { ...who(8, '李四', '第一网格'), contact_id: 40, level: '密接', found_date: '2026-11-23', case_name: '张三' };
    const { wrapper, calls } = mountToday(day({ awaiting_isolation: [contact] }));
    await flushPromises();
    const order = wrapper.findAll('[data-test^=today-section-]').map((s) => s.attributes('data-test'));
    expect(order.slice(0, 4)).toEqual(['today-section-fevers', 'today-section-handoffs', 'today-section-isolation', 'today-section-readings']);
    await wrapper.get('[data-test=today-isolate]').trigger('click');
    await flushPromises();
    const form = wrapper.get('[data-test=record-form]');
    expect(form.text()).toContain('开始隔离：李四（密接，病例 张三）');
    await form.trigger('submit');
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'save_record')[1].input).toMatchObject({
      kind: 'isolation', person_id: 8, cause_contact_id: 40, values: { kind: '居家隔离医学观察', start_date: '2026-11-23' },
    });
  });

  test('a 日报 exported before the ledger changed says so and leads to export it again', async () => {
    const { wrapper, go } = mountToday(day({ daily_report: { template_name: '每日疫情防控日报', rows: 2, zero_report: false, at: '2026-11-23 09:00:00', path: '/tmp/a.xlsx', stale: true } }));
    await flushPromises();
    expect(wrapper.find('[data-test=today-daily-done]').exists()).toBe(false);
    expect(wrapper.get('[data-test=today-daily-stale]').text()).toContain('请重新导出');
    await wrapper.get('[data-test=today-daily-link]').trigger('click');
    expect(go).toHaveBeenCalledWith('reports', { template: 'daily_report' });
  });

  test("a 网格员 of a grid starts on their grid's list; anyone else on 全部", async () => {
    const calls = [];
    mountToday(day({}), calls, { state: 'open', login: { name: '李网格', role: '网格员', grid: 2 } });
    await flushPromises();
    expect(calls.find(([c]) => c === 'today_list')[1]).toEqual({ placeId: 2 });
    const others = [];
    mountToday(day({}), others, { state: 'open', login: { name: '王芳', role: '村管理员', grid: null } });
    await flushPromises();
    expect(others.find(([c]) => c === 'today_list')[1]).toEqual({ placeId: null });
  });
});
