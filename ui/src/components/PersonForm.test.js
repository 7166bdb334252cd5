// The person form against a mocked core: problems appear next to their field, a valid ID
// fills sex and birth date, and a refused save keeps the form open with the reasons.
import { afterEach, describe, expect, test } from 'vitest';
import { ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PersonForm from './PersonForm.vue';
import HouseholdForm from './HouseholdForm.vue';
import AskDialog from './AskDialog.vue';
import { question } from './ask.js';

const lists = {
  gender: ['男', '女'], id_type: ['居民身份证', '护照'], relation_to_head: ['户主', '配偶'], crowd_category: ['农民'],
  special_industry: ['否'], residence_status: ['常住', '外出'], unvaccinated_reason: ['未成年'], housing_use: ['自住'], tags: ['独居老人'],
};
const checkDigit = { field: 'id_number', code: 'id_check_digit', message: '身份证号校验位不符：最后一位应为 9，现为 0，请逐位核对号码', severity: 'error' };

const mounted = [];

function mountForm(props = {}, component = PersonForm) {
  const wrapper = mount(component, { props: { householdId: 7, ...props }, attachTo: document.body, global: { provide: { lists: ref(lists) } } });
  mounted.push(wrapper);
  return wrapper;
}

/** The in-app question, shown as App.vue shows it (it takes the cursor when it asks). */
function mountAsk() {
  const wrapper = mount(AskDialog, { attachTo: document.body });
  mounted.push(wrapper);
  return wrapper;
}

/** A key pressed on whatever has the cursor, as the keyboard sends it. */
async function press(key, extra = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...extra });
  (document.activeElement || document.body).dispatchEvent(event);
  await flushPromises();
  return event;
}

afterEach(() => {
  while (mounted.length) mounted.pop().unmount();
  clearMocks();
});

describe('PersonForm', () => {
  test('an invalid ID shows its reason next to the field', async () => {
    const calls = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'check_person') return { problems: [checkDigit] };
    });
    const form = mountForm();
    await form.get('[data-test=field-name]').setValue('李四');
    const id = form.get('[data-test=field-id_number]');
    await id.setValue('110101199003070830');
    await id.trigger('blur');
    await flushPromises();
    expect(calls.at(-1)[0]).toBe('check_person');
    expect(calls.at(-1)[1].input).toMatchObject({ name: '李四', id_number: '110101199003070830', household_id: 7 });
    expect(form.get('[data-test=problem-id_number]').text()).toContain('最后一位应为 9');
    expect(id.classes()).toContain('bad');
  });

  test('a valid ID fills sex and birth date when they are blank', async () => {
    mockIPC((cmd) => {
      if (cmd === 'check_person') return { problems: [], gender: '女', birth_date: '1949-12-31', hukou_place: '北京市朝阳区' };
    });
    const form = mountForm();
    await form.get('[data-test=field-id_number]').setValue('11010519491231002X');
    await form.get('[data-test=field-id_number]').trigger('blur');
    await flushPromises();
    expect(form.get('[data-test=field-gender]').element.value).toBe('女');
    expect(form.get('[data-test=field-birth_date]').element.value).toBe('1949-12-31');
    expect(form.get('[data-test=id-derived]').text()).toContain('北京市朝阳区');
  });

  test('a refused save keeps the form open with the reasons; a good one emits saved', async () => {
    let refuse = true;
    mockIPC((cmd) => {
      // The core's check (run as the cursor leaves a field) finds what its save refuses.
      if (cmd !== 'save_person') return { problems: refuse ? [checkDigit] : [] };
      if (refuse) throw { code: 'invalid', message: '输入有误，未保存', problems: [checkDigit] };
      return { person: { id: 1, name: '李四' }, warnings: [] };
    });
    const form = mountForm();
    await form.get('[data-test=field-name]').setValue('李四');
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(form.emitted('saved')).toBeUndefined();
    expect(form.get('[data-test=problem-id_number]').text()).toContain('校验位');
    refuse = false;
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(form.emitted('saved')[0][0].person.name).toBe('李四');
  });

  test('the first member of a household defaults to head', () => {
    expect(mountForm({ hasHead: false }).get('[data-test=field-relation_to_head]').element.value).toBe('户主');
    expect(mountForm({ hasHead: true }).get('[data-test=field-relation_to_head]').element.value).toBe('');
  });

  test('Esc on a half-typed form asks; 取消 keeps the typing and the form answers Esc and Enter again', async () => {
    const calls = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'save_person') return { person: { id: 3, name: '王五' }, warnings: [] };
      return { problems: [] };
    });
    const ask = mountAsk();
    const form = mountForm();
    await flushPromises();
    const name = form.get('[data-test=field-name]');
    // The cursor starts in the first field.
    expect(document.activeElement).toBe(name.element);
    await name.setValue('王五');

    await press('Escape');
    expect(question.open).toBe(true);
    expect(question.message).toContain('放弃已填写的内容');
    // The question has the cursor; 取消 answers it.
    expect(ask.element.contains(document.activeElement)).toBe(true);
    await ask.get('[data-test=ask-cancel]').trigger('click');
    await flushPromises();
    expect(question.open).toBe(false);
    expect(form.emitted('cancel')).toBeUndefined();
    expect(name.element.value).toBe('王五');
    // The cursor is back in the field it was in, so the form's keys work again.
    expect(document.activeElement).toBe(name.element);

    await press('Escape');
    expect(question.open).toBe(true);
    await ask.get('[data-test=ask-cancel]').trigger('click');
    await flushPromises();
    expect(document.activeElement).toBe(name.element);
    // Enter in a field submits the form (as a browser does for a form with a submit button).
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(calls).toContain('save_person');
    expect(form.emitted('saved')[0][0].person.name).toBe('王五');
  });

  test('an Esc that ends an input method composition neither closes nor asks', async () => {
    mockIPC(() => ({ problems: [] }));
    mountAsk();
    const form = mountForm();
    const name = form.get('[data-test=field-name]');
    await name.setValue('wang');
    // The three ways a browser marks a composing key.
    await press('Escape', { isComposing: true });
    await press('Escape', { keyCode: 229 });
    name.element.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true }));
    await press('Escape');
    expect(question.open).toBe(false);
    expect(form.emitted('cancel')).toBeUndefined();
    // Once the composition has ended, Esc is the form's again.
    name.element.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '王' }));
    await press('Escape');
    expect(question.open).toBe(true);
    question.resolve(false);
    Object.assign(question, { open: false, resolve: null });
  });

  test('an untouched form closes at once on Esc, 取消 or a click outside; a touched one asks', async () => {
    mockIPC(() => ({ problems: [] }));
    mountAsk();
    const untouched = mountForm();
    await press('Escape');
    expect(untouched.emitted('cancel')).toHaveLength(1);
    await untouched.get('[data-test=person-cancel]').trigger('click');
    expect(untouched.emitted('cancel')).toHaveLength(2);

    const touched = mountForm();
    await touched.get('[data-test=field-phone]').setValue('139');
    const overlay = touched; // the dimmed window is the form's root
    await overlay.trigger('mousedown');
    await overlay.trigger('click');
    await flushPromises();
    expect(question.open).toBe(true);
    // 放弃 closes it.
    document.querySelector('[data-test=ask-ok]').click();
    await flushPromises();
    expect(touched.emitted('cancel')).toHaveLength(1);
  });

  test('the household form asks before throwing typing away, too', async () => {
    mockIPC(() => ({}));
    const ask = mountAsk();
    const form = mountForm({ places: [{ id: 1, level: '村', path: '石桥村' }] }, HouseholdForm);
    await form.get('[data-test=field-door_name]').setValue('东街');
    form.get('[data-test=field-door_name]').element.focus();
    await press('Escape');
    expect(question.open).toBe(true);
    await ask.get('[data-test=ask-cancel]').trigger('click');
    await flushPromises();
    expect(document.activeElement).toBe(form.get('[data-test=field-door_name]').element);
    await form.get('[data-test=household-cancel]').trigger('click');
    await flushPromises();
    expect(question.open).toBe(true);
    await ask.get('[data-test=ask-ok]').trigger('click');
    await flushPromises();
    expect(form.emitted('cancel')).toHaveLength(1);
  });

  test('a number registered to someone else (archived or not) offers to open that person', async () => {
    const duplicate = { field: 'id_number', code: 'id_duplicate', message: '该证件号已登记给 张三（东街1号），请打开该人员核对，不要重复登记', severity: 'error', person_id: 41 };
    const asked = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      if (cmd === 'check_person') return { problems: [duplicate] };
    });
    const opened = [];
    const form = mount(PersonForm, {
      props: { householdId: 7 },
      attachTo: document.body,
      global: { provide: { lists: ref(lists), go: (name, params) => opened.push([name, params]) } },
    });
    mounted.push(form);
    await form.get('[data-test=field-id_number]').setValue('11010519491231002X');
    await form.get('[data-test=field-id_number]').trigger('blur');
    await flushPromises();
    expect(form.get('[data-test=problem-id_number]').text()).toContain('已登记给 张三');
    await form.get('[data-test=open-duplicate]').trigger('click');
    await flushPromises();
    expect(opened).toEqual([['person', { id: 41 }]]);
    // Opened by the id the core named, not searched for again (a search skips the archived).
    expect(asked).not.toContain('find_persons');
  });
});
