// 操作员 on 备份: a 村管理员 sees the operators, adds a 网格员 (a passphrase typed twice, at least
// 8 characters) and may remove others but not themselves; a 网格员 sees no add form, only
// the change of their own passphrase.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Operators from './Operators.vue';
import { answer, question } from './ask.js';

let calls = [];
let list = [{ name: '王芳', role: '村管理员', grid: null }];
afterEach(() => clearMocks());

function mock() {
  calls = [];
  list = [{ name: '王芳', role: '村管理员', grid: null }];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'operators') return list;
    if (cmd === 'places') return [{ id: 3, path: '青山镇/石桥村/第一网格' }];
    if (cmd === 'save_operator') {
      list = [...list, { name: args.name, role: args.role, grid: args.grid }];
      return list;
    }
    if (cmd === 'remove_operator') {
      list = list.filter((o) => o.name !== args.name);
      return list;
    }
    if (cmd === 'change_passphrase') {
      if (args.present !== '春风又绿江南两岸') throw { code: 'key_wrong', message: '密码不对', problems: [] };
      return null;
    }
    return [];
  });
}

test('a 村管理员 adds a 网格员 with a passphrase typed twice; removes others, not themselves', async () => {
  mock();
  const w = mount(Operators, { props: { login: { name: '王芳', role: '村管理员' } } });
  await flushPromises();
  expect(w.findAll('[data-test=operator-row]')).toHaveLength(1);
  expect(w.get('[data-test=operator-row]').text()).not.toContain('删除');
  await w.get('[data-test=operator-name]').setValue('李网格');
  await w.get('[data-test=operator-passphrase]').setValue('1234567');
  await w.get('[data-test=operator-passphrase-again]').setValue('1234567');
  await w.get('[data-test=operator-add]').trigger('submit');
  expect(w.get('[data-test=operators-error]').text()).toContain('至少要 8 个字');
  expect(calls.some(([c]) => c === 'save_operator')).toBe(false);
  await w.get('[data-test=operator-passphrase]').setValue('网格员的密码1234');
  await w.get('[data-test=operator-passphrase-again]').setValue('网格员的密码1234');
  await w.get('[data-test=operator-add]').trigger('submit');
  await flushPromises();
  const saved = calls.find(([c]) => c === 'save_operator')[1];
  expect(saved).toEqual({ name: '李网格', role: '网格员', grid: null, passphrase: '网格员的密码1234' });
  expect(w.findAll('[data-test=operator-row]')).toHaveLength(2);
  expect(w.findAll('[data-test=operator-row]')[1].text()).toContain('删除');
});

test('a 网格员 only changes their own passphrase, and a wrong present one is said', async () => {
  mock();
  const w = mount(Operators, { props: { login: { name: '李网格', role: '网格员' }, refused: '“李网格”是网格员，不能管理操作员：请村管理员来做。' } });
  await flushPromises();
  expect(w.find('[data-test=operator-add]').exists()).toBe(false);
  await w.get('[data-test=passphrase-present]').setValue('错的密码错的密码');
  await w.get('[data-test=passphrase-new]').setValue('新的密码12345');
  await w.get('[data-test=passphrase-new-again]').setValue('新的密码12345');
  await w.get('[data-test=passphrase-change]').trigger('submit');
  await flushPromises();
  expect(w.get('[data-test=operators-error]').text()).toContain('密码不对');
  await w.get('[data-test=passphrase-present]').setValue('春风又绿江南两岸');
  await w.get('[data-test=passphrase-change]').trigger('submit');
  await flushPromises();
  expect(w.get('[data-test=operators-notice]').text()).toBe('密码已修改');
});

test("a 网格员's grid is named by its path, not its number", async () => {
  mock();
  list = [{ name: '王芳', role: '村管理员', grid: null }, { name: '李网格', role: '网格员', grid: 3 }];
  const w = mount(Operators, { props: { login: { name: '王芳', role: '村管理员' } } });
  await flushPromises();
  expect(w.findAll('[data-test=operator-grid-path]')[1].text()).toBe('负责网格：青山镇/石桥村/第一网格');
});

test('removing an operator asks first; 取消 keeps them', async () => {
  mock();
  list = [{ name: '王芳', role: '村管理员', grid: null }, { name: '李网格', role: '网格员', grid: null }];
  const w = mount(Operators, { props: { login: { name: '王芳', role: '村管理员' } } });
  await flushPromises();
  await w.get('[data-test=operator-remove]').trigger('click');
  expect(question.open).toBe(true);
  expect(question.message).toContain('李网格');
  answer(false);
  await flushPromises();
  expect(calls.some(([c]) => c === 'remove_operator')).toBe(false);
  expect(w.findAll('[data-test=operator-row]')).toHaveLength(2);
  await w.get('[data-test=operator-remove]').trigger('click');
  answer(true);
  await flushPromises();
  expect(calls.find(([c]) => c === 'remove_operator')[1]).toEqual({ name: '李网格' });
  expect(w.findAll('[data-test=operator-row]')).toHaveLength(1);
});
