// The person page against a mocked core: 添加密接 on a case finds the contact in the register
// (or creates them) and saves a contact with the case; the chain's names lead both ways; a
// record row can be edited with its stored values.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PersonPage from './PersonPage.vue';
import { forgetRecordForms } from '../components/recordForms.js';
import { FORMS } from '../components/recordForms.fixture.js';
import { answer } from '../components/ask.js';

const stamp = { created_at: '2026-11-20 09:00', updated_at: '2026-11-20 09:00', updated_by: null, archived_at: null };
const person = { id: 1, name: '张三', gender: '男', id_type: '居民身份证', id_number: '110101199003074477', phone: '13800138000', tags: [], residence_status: '常住', household_id: 3 };
const link = (id, source, contact, level) => ({
  id, case_id: 5, source_person_id: source[0], source_name: source[1], contact_person_id: contact[0], contact_name: contact[1], level,
  contact_way: '同进餐', relation: '同事', last_contact_date: '2026-11-19', found_date: '2026-11-21', case_person_id: 1, case_person_name: '张三', case_kind: '确诊', ...stamp,
});

function profile(overrides = {}) {
  return {
    person, age: 36, hukou_place: null, household: null, household_members: [], arrivals: [], isolations: [], health_checks: [],
    tests: [], vaccinations: [], cases: [{ id: 5, person_id: 1, kind: '确诊', reported_date: '2026-11-21', code: null, note: null, ...stamp }],
    exposed_by: [], exposed: [link(21, [1, '张三'], [2, '李四'], '密接')], checkpoint_sightings: [], visit_notes: [], sources: [], ...overrides,
  };
}

let wrapper = null;

function mountPage(answers = {}, props = {}, shown = {}) {
  const calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'record_forms') return FORMS;
    if (cmd === 'person_profile') return profile(shown);
    if (cmd in answers) return answers[cmd](args);
    return null;
  });
  const go = vi.fn();
  wrapper = mount(PersonPage, {
    props: { id: 1, ...props },
    attachTo: document.body,
    global: { provide: { go, refreshInfo: async () => {}, info: ref({ today: '2026-11-23' }), lists: ref({ relation_to_head: ['户主', '配偶'] }) } },
  });
  return { page: wrapper, calls, go };
}

afterEach(() => {
  wrapper?.unmount();
  forgetRecordForms();
  clearMocks();
  vi.useRealTimers();
});

describe('PersonPage', () => {
  test('what a sheet wrote outside a list is shown with its field', async () => {
    const { page } = mountPage({}, {}, {
      originals: [
        { entity: 'person', entity_id: 1, field: 'relation_to_head', original: '外孙' },
        { entity: 'arrival', entity_id: 3, field: 'transport', original: '摩托车' },
      ],
    });
    await flushPromises();
    const lines = page.findAll('[data-test=person-original]').map((l) => l.text());
    expect(lines).toEqual(['与户主关系：原表写作“外孙”', '交通工具（来（返）乡记录）：原表写作“摩托车”']);
  });


  test('a person a 网格员 may only look at is said so, with the core’s words, and offers no change', async () => {
    const why = '不在你的网格（第一网格）里：只能查看；要修改，请村管理员来做。';
    const isolation = { id: 8, person_id: 1, kind: '集中隔离', start_date: '2026-11-21', planned_end_date: '2026-12-05', released_date: null, ...stamp };
    const { page } = mountPage({}, {}, { read_only: why, isolations: [isolation] });
    await flushPromises();
    expect(page.get('[data-test=person-read-only]').text()).toBe(why);
    for (const test of ['edit-person', 'archive-person', 'person-action-move', 'person-action-contact', 'person-action-arrival',
      'person-action-isolation', 'person-action-health_check', 'person-action-test', 'record-edit', 'record-archive', 'record-release']) {
      expect(page.find(`[data-test=${test}]`).exists(), test).toBe(false);
    }
    // What happened to them can still be read.
    expect(page.findAll('[data-test=record-changes]').length).toBeGreaterThan(0);
    expect(page.find('[data-test=person-audit]').exists()).toBe(true);
  });

  test('记体温 is offered to a person under watch only; the others are offered 开始隔离 first', async () => {
    const isolation = { id: 8, person_id: 1, kind: '居家健康监测', start_date: '2026-11-21', planned_end_date: '2026-12-05', released_date: null, ...stamp };
    const { page } = mountPage({}, {}, {});
    await flushPromises();
    expect(page.find('[data-test=person-read-only]').exists()).toBe(false);
    expect(page.find('[data-test=edit-person]').exists()).toBe(true);
    expect(page.find('[data-test=person-action-health_check]').exists()).toBe(false);
    expect(page.find('[data-test=person-action-isolation]').exists()).toBe(true);
    wrapper.unmount();
    const watched = mountPage({}, {}, { isolations: [isolation] }).page;
    await flushPromises();
    expect(watched.find('[data-test=person-action-health_check]').exists()).toBe(true);
  });

  test('记体温 on a day already measured opens that day’s check, its morning reading in sight', async () => {
    const isolation = { id: 8, person_id: 1, kind: '居家健康监测', start_date: '2026-11-21', planned_end_date: '2026-12-05', released_date: null, ...stamp };
    const morning = { id: 40, person_id: 1, isolation_id: 8, check_date: '2026-11-23', am_temperature: 36.5, pm_temperature: null,
      symptoms: { fever: false, dry_cough: false, fatigue: false, sore_throat: false, smell_taste_loss: false, diarrhea: false }, ...stamp };
    const yesterday = { ...morning, id: 39, check_date: '2026-11-22' };
    const { page, calls } = mountPage({
      save_record: () => ({ kind: 'health_check', id: 40, warnings: [] }),
      archive_record: () => { throw { code: 'conflict', message: '磁盘已满，没有保存', problems: [] }; },
    }, {},
      { isolations: [isolation], health_checks: [yesterday, morning] });
    await flushPromises();
    await page.get('[data-test=person-action-health_check]').trigger('click');
    await flushPromises();
    const form = page.get('[data-test=record-form]');
    expect(form.text()).toContain('今天已有记录');
    expect(form.get('[data-test=field-am_temperature]').element.value).toBe('36.5');
    await form.get('[data-test=field-pm_temperature]').setValue('36.8');
    await form.trigger('submit');
    await flushPromises();
    const saved = calls.find(([cmd]) => cmd === 'save_record')[1].input;
    expect(saved.id).toBe(40);
    expect([saved.values.am_temperature, saved.values.pm_temperature]).toEqual(['36.5', '36.8']);
    expect(page.get('[data-test=person-notice]').text()).toBe('已保存张三的体温');
    // A later refusal stands alone: the "已保存" before it goes.
    await page.findAll('[data-test=record-archive]')[0].trigger('click');
    await flushPromises();
    answer(true);
    await flushPromises();
    expect(calls.some(([cmd]) => cmd === 'archive_record')).toBe(true);
    expect(page.find('[data-test=person-notice]').exists()).toBe(false);
    expect(page.text()).toContain('磁盘已满');
  });

  test('添加密接 finds the contact in the register and saves a contact with the case', async () => {
    const { page, calls } = mountPage({
      find_persons: () => [
        { id: 1, name: '张三', phone: '13800138000', household_label: '东街1号', matched_by: '拼音' },
        { id: 7, name: '王伟', phone: '13900139000', household_label: '西街3号', place_name: '第二网格', matched_by: '拼音' },
      ],
      save_record: (args) => ({ kind: 'contact', id: 30, warnings: [] }),
    });
    await flushPromises();
    await page.get('[data-test=person-action-contact]').trigger('click');
    await flushPromises();
    const form = page.get('[data-test=record-form]');
    expect(form.text()).toContain('添加密接');
    // The picker has the cursor; the case person is not offered as their own contact.
    expect(document.activeElement).toBe(form.get('[data-test=picker-search]').element);
    vi.useFakeTimers();
    await form.get('[data-test=picker-search]').setValue('ww');
    vi.advanceTimersByTime(200);
    vi.useRealTimers();
    await flushPromises();
    expect(form.findAll('[data-test=picker-hit]').map((h) => h.text())).toEqual([expect.stringContaining('王伟')]);
    await form.get('[data-test=picker-search]').trigger('keydown', { key: 'Enter' });
    expect(form.get('[data-test=picker-chosen]').text()).toContain('王伟');
    expect(form.get('[data-test=field-level]').element.value).toBe('密接');
    await form.get('[data-test=field-contact_way]').setValue('同进餐');
    await form.get('[data-test=record-save]').trigger('click');
    await flushPromises();
    const saved = calls.find(([cmd]) => cmd === 'save_record')[1].input;
    expect(saved).toMatchObject({ kind: 'contact', case_id: 5, person_id: 7, source_contact_id: null, values: { level: '密接', contact_way: '同进餐' } });
    expect(page.get('[data-test=person-notice]').text()).toContain('已添加密接：王伟');
    // The new 密接 is offered an isolation at once, linked to the contact; 取消 declines it.
    await flushPromises();
    const offer = page.get('[data-test=record-form]');
    expect(offer.text()).toContain('开始隔离：王伟（密接）');
    await offer.get('[data-test=record-save]').trigger('click');
    await flushPromises();
    const isolation = calls.filter(([cmd]) => cmd === 'save_record')[1][1].input;
    expect(isolation).toMatchObject({ kind: 'isolation', person_id: 7, cause_contact_id: 30, values: { kind: '居家隔离医学观察' } });
    expect(page.find('[data-test=record-form]').exists()).toBe(false);
  });

  test('a contact not in the register is created inline, then linked', async () => {
    const { page, calls } = mountPage({
      save_person: (args) => ({ person: { id: 9, name: args.input.name, phone: args.input.phone }, warnings: [] }),
      save_record: () => ({ kind: 'contact', id: 31, warnings: [] }),
    });
    await flushPromises();
    await page.get('[data-test=person-action-contact]').trigger('click');
    await flushPromises();
    await page.get('[data-test=picker-new]').trigger('click');
    await page.get('[data-test=picker-new-name]').setValue('赵六');
    await page.get('[data-test=picker-new-phone]').setValue('13700137000');
    await page.get('[data-test=picker-create]').trigger('click');
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'save_person')[1].input).toMatchObject({ name: '赵六', phone: '13700137000', household_id: null });
    await page.get('[data-test=record-save]').trigger('click');
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'save_record')[1].input).toMatchObject({ kind: 'contact', case_id: 5, person_id: 9 });
  });

  test('saving without a contact chosen says so next to the picker', async () => {
    const { page, calls } = mountPage();
    await flushPromises();
    await page.get('[data-test=person-action-contact]').trigger('click');
    await flushPromises();
    await page.get('[data-test=record-save]').trigger('click');
    await flushPromises();
    expect(page.get('[data-test=person-picker] [data-test=problem-person_id]').text()).toContain('请先选择密接');
    expect(calls.some(([cmd]) => cmd === 'save_record')).toBe(false);
  });

  test('添加次密接 on a 密接 link names that link; the chain names lead to those persons', async () => {
    const { page, go } = mountPage();
    await flushPromises();
    await page.get('[data-test=chain-contact]').trigger('click');
    expect(go).toHaveBeenCalledWith('person', { id: 2 });
    await page.get('[data-test=exposed] [data-test=person-action-subcontact]').trigger('click');
    await flushPromises();
    expect(page.get('[data-test=field-level]').element.value).toBe('次密接');
    expect(page.get('[data-test=record-form]').text()).toContain('李四');
  });

  test('修改 opens the record with its stored values; 修改记录 shows the change log', async () => {
    const { page, calls } = mountPage({
      record_changes: () => [{ id: 1, at: '2026-11-22 10:00', operator: '王网格', action: '修改', detail: { contact_way: ['同处一室', '同进餐'] } }],
    });
    await flushPromises();
    const row = page.get('[data-test=exposed] [data-test=record-row]');
    await row.get('[data-test=record-edit]').trigger('click');
    await flushPromises();
    expect(page.get('[data-test=field-contact_way]').element.value).toBe('同进餐');
    expect(page.get('[data-test=field-relation]').element.value).toBe('同事');
    await page.get('[data-test=record-cancel]').trigger('click');
    await row.get('[data-test=record-changes]').trigger('click');
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'record_changes')[1]).toEqual({ kind: 'contact', id: 21 });
    expect(page.get('[data-test=record-changes-list]').text()).toContain('接触方式：同处一室 → 同进餐');
  });

  test('opened from 今日 on a test, the result form is open with the cursor on 结果', async () => {
    const tests = [{ id: 44, person_id: 1, kind: '核酸', status: '已采样', sample_date: '2026-11-22', site: '卫生院', result: '未出', isolation_id: null, ...stamp }];
    const { page, calls } = mountPage({ save_record: () => ({ kind: 'test', id: 44, warnings: [] }) }, { record: { kind: 'test', id: 44 } }, { tests });
    await flushPromises();
    const form = page.get('[data-test=record-form]');
    expect(form.text()).toContain('录入检测结果');
    expect(document.activeElement).toBe(form.get('[data-test=field-result]').element);
    await form.get('[data-test=field-result]').setValue('阴性');
    await form.get('[data-test=field-result]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'save_record')[1].input).toMatchObject({ kind: 'test', id: 44, person_id: 1, values: { result: '阴性', sample_date: '2026-11-22', site: '卫生院' } });
  });

  test('迁户 moves the person to the chosen household with a relation', async () => {
    const { page, calls } = mountPage({
      households: () => [
        { id: 3, door_name: '东街', door_number: '1号', head_name: '张三', place_path: '石桥村/第一网格' },
        { id: 4, door_name: '西街', door_number: '3号', head_name: '王伟', place_path: '石桥村/第二网格' },
        { id: 5, door_name: '北巷', door_number: '2号', head_name: '赵六', place_path: '石桥村/第二网格/第1联户组' },
      ],
    });
    await flushPromises();
    await page.get('[data-test=person-action-move]').trigger('click');
    await flushPromises();
    // Every grid has a 第1联户组: a household in one is named with its grid.
    expect(page.get('[data-test=move-household]').text()).toContain('北巷2号（户主 赵六，第二网格/第1联户组）');
    await page.get('[data-test=move-household]').setValue(4);
    await page.get('[data-test=move-relation]').setValue('配偶');
    await page.get('[data-test=move-form]').trigger('submit');
    await flushPromises();
    expect(calls.find(([cmd]) => cmd === 'move_person')[1]).toEqual({ personId: 1, householdId: 4, relation: '配偶' });
    expect(page.get('[data-test=person-notice]').text()).toContain('西街3号');
  });

  test('an archive refused (a 网格员 outside their grid) says why and stays', async () => {
    const refusal = '“李网格”是网格员，只能修改自己网格（第一网格）里的记录；张三（人员编号 1）的记录在网格外，这次没有保存。请村管理员来做。';
    const { page } = mountPage({
      archive_person: () => {
        throw { code: 'conflict', message: refusal, problems: [] };
      },
    });
    await flushPromises();
    await page.get('[data-test=archive-person]').trigger('click');
    answer(true);
    await flushPromises();
    expect(page.get('.error-banner').text()).toBe(refusal);
  });
});
