// The generic record form against a mocked core: fields drawn by their kind, a refused save
// shown next to the field it is about, Enter saves and Esc closes, the cursor starts in the
// first field.
import { afterEach, describe, expect, test } from 'vitest';
import { ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from './RecordForm.vue';
import { answer, question } from './ask.js';
import { forgetRecordForms } from './recordForms.js';
import { FORMS } from './recordForms.fixture.js';

let wrapper = null;

/** Mounts the form over a mocked core; `save` answers save_record. */
async function open(props, save = () => ({ kind: props.kind, id: 9, warnings: [] })) {
  wrapper?.unmount();
  const calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'record_forms') return FORMS;
    if (cmd === 'save_record') return save(args.input);
    // The ledger's clock, a day after the day the window opened on.
    if (cmd === 'clock') return { today: '2026-11-24', now: '2026-11-24 15:05' };
  });
  wrapper = mount(RecordForm, {
    props,
    attachTo: document.body,
    global: { provide: { info: ref({ today: '2026-11-23' }) } },
  });
  await flushPromises();
  return { form: wrapper, calls };
}

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  forgetRecordForms();
  clearMocks();
});

describe('RecordForm', () => {
  test('a choice is a select of its list with its default; reference fields stay hidden', async () => {
    const { form } = await open({ kind: 'test', context: { person_id: 1 } });
    const kind = form.get('[data-test=field-kind]');
    expect(kind.element.tagName).toBe('SELECT');
    expect(kind.findAll('option').map((o) => o.text())).toEqual(['核酸', '抗原']);
    expect(kind.element.value).toBe('核酸');
    expect(form.get('[data-test=field-result]').element.value).toBe('未出');
    expect(form.get('[data-test=field-sample_date]').attributes('placeholder')).toBe('如 2026-11-23');

    const arrival = (await open({ kind: 'arrival', context: { person_id: 1 } })).form;
    expect(arrival.find('[data-test=field-host_person_id]').exists()).toBe(false);
    // A long text is a textarea; a choice without default offers a blank.
    expect(arrival.get('[data-test=field-note]').element.tagName).toBe('TEXTAREA');
    expect(arrival.get('[data-test=field-transport]').element.value).toBe('');
  });

  test('temperatures take decimals, hints show, 今天 fills the ledger clock\'s day', async () => {
    const { form } = await open({ kind: 'health_check', context: { person_id: 1 } });
    expect(form.get('[data-test=field-am_temperature]').attributes('inputmode')).toBe('decimal');
    expect(form.get('[data-test=record-field-symptoms]').text()).toContain('嗅(味)觉减退');
    await form.get('[data-test=today-check_date]').trigger('click');
    await flushPromises();
    // The ledger's clock (GRIDLEDGER_NOW in tests), never the machine's or a stale day.
    expect(form.get('[data-test=field-check_date]').element.value).toBe('2026-11-24');
  });

  test('the first field has the cursor when the form opens', async () => {
    const { form } = await open({ kind: 'test', context: { person_id: 1 } });
    expect(document.activeElement).toBe(form.get('[data-test=field-kind]').element);
  });

  test('a refused save shows the reason next to its field and keeps the form open', async () => {
    const refusal = { field: 'sample_date', code: 'date_in_future', message: '采样日期晚于今天，请核对', severity: 'error' };
    const { form } = await open({ kind: 'test', context: { person_id: 1 } }, () => {
      throw { code: 'invalid', message: '输入有误，未保存', problems: [refusal] };
    });
    await form.get('[data-test=field-sample_date]').setValue('2026-12-01');
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(form.emitted('saved')).toBeUndefined();
    const note = form.get('[data-test=record-field-sample_date] [data-test=problem-sample_date]');
    expect(note.text()).toContain('晚于今天');
    expect(form.get('[data-test=field-sample_date]').classes()).toContain('bad');
    // The cursor goes to the field to correct.
    expect(document.activeElement).toBe(form.get('[data-test=field-sample_date]').element);
  });

  test('a problem about no shown field is listed beside the buttons', async () => {
    const { form } = await open({ kind: 'case', context: { person_id: 1 } }, () => {
      throw { code: 'invalid', message: '未保存', problems: [{ field: 'person_id', code: 'case_registered', message: '此人已登记为确诊', severity: 'error' }] };
    });
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(form.get('[data-test=record-problems]').text()).toContain('已登记为确诊');
  });

  test('Enter saves with the context and the typed values; Esc closes', async () => {
    const { form, calls } = await open({ kind: 'test', context: { person_id: 4, id: 12, values: { kind: '核酸', sample_date: '2026-11-20', result: '未出' } } });
    await form.get('[data-test=field-result]').setValue('阴性');
    await form.get('[data-test=field-site]').setValue('  卫生院 ');
    await form.get('[data-test=field-site]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    const saved = calls.find(([cmd]) => cmd === 'save_record')[1].input;
    expect(saved).toMatchObject({ kind: 'test', id: 12, person_id: 4, values: { kind: '核酸', sample_date: '2026-11-20', result: '阴性', site: '卫生院' } });
    expect(form.emitted('saved')[0][0]).toMatchObject({ kind: 'test', id: 9 });

    // Esc after typing asks before it throws the typing away.
    await form.get('[data-test=field-site]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(question.message).toContain('放弃已填写的内容');
    answer(false);
    await flushPromises();
    expect(form.emitted('cancel')).toBeUndefined();
    await form.get('[data-test=field-site]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    answer(true);
    await flushPromises();
    expect(form.emitted('cancel')).toHaveLength(1);
  });

  test('Esc on an untouched form closes it at once', async () => {
    const { form } = await open({ kind: 'arrival', context: { person_id: 1 } });
    await form.get('[data-test=field-origin]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(question.open).toBe(false);
    expect(form.emitted('cancel')).toHaveLength(1);
  });

  test('Enter in a long text is a new line, not a save', async () => {
    const { form, calls } = await open({ kind: 'arrival', context: { person_id: 1 } });
    await form.get('[data-test=field-note]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(calls.some(([cmd]) => cmd === 'save_record')).toBe(false);
  });
});
