// The person form against a mocked core: problems appear next to their field, a valid ID
// fills sex and birth date, and a refused save keeps the form open with the reasons.
import { afterEach, describe, expect, test } from 'vitest';
import { ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PersonForm from './PersonForm.vue';

const lists = {
  gender: ['男', '女'], id_type: ['居民身份证', '护照'], relation_to_head: ['户主', '配偶'], crowd_category: ['农民'],
  special_industry: ['否'], residence_status: ['常住', '外出'], unvaccinated_reason: ['未成年'], housing_use: ['自住'], tags: ['独居老人'],
};
const checkDigit = { field: 'id_number', code: 'id_check_digit', message: '身份证号校验位不符：最后一位应为 9，现为 0，请逐位核对号码', severity: 'error' };

function mountForm(props = {}) {
  return mount(PersonForm, { props: { householdId: 7, ...props }, global: { provide: { lists: ref(lists) } } });
}

afterEach(() => clearMocks());

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
      if (cmd !== 'save_person') return { problems: [] };
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
});
