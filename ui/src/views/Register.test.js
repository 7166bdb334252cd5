// 户籍登记 against a mocked core, as a 网格员 of 第一网格: a new household or place is offered
// their grid's places only (the core would refuse the others), with no place at the top; a
// household of another grid opens with the core's reason and no change offered.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { ref } from 'vue';
import Register from './Register.vue';

const place = (id, parent_id, level, path) => ({ id, parent_id, level, name: path.split('/').at(-1), code: null, path });
const PLACES = [
  place(1, null, '村', '石桥村'),
  place(2, 1, '网格', '石桥村/第一网格'),
  place(3, 2, '联户组', '石桥村/第一网格/第1联户组'),
  place(4, 1, '网格', '石桥村/第二网格'),
  place(5, 4, '联户组', '石桥村/第二网格/第1联户组'),
];
const summary = (id, place_id, door) => ({ id, place_id, place_path: PLACES.find((p) => p.id === place_id).path, door_name: '东街', door_number: door,
  address: null, housing_use: '自住', tenant_name: null, tenant_phone: null, note: null, head_name: '张三', head_phone: null, member_count: 1, archived_at: null });
const WHY = '不在你的网格（第一网格）里：只能查看；要修改，请村管理员来做。';

function mountRegister(own) {
  mockIPC((cmd, args) => {
    switch (cmd) {
      case 'places': return PLACES;
      case 'own_places': return own;
      case 'households': return [summary(10, 3, '1号'), summary(11, 5, '2号')];
      case 'persons_without_household': return { persons: [], total: 0 };
      case 'household': return args.id === 11
        ? { household: summary(11, 5, '2号'), members: [{ id: 7, name: '李四', tags: [] }], read_only: WHY }
        : { household: summary(10, 3, '1号'), members: [{ id: 6, name: '张三', tags: [] }], read_only: null };
      default: return null;
    }
  });
  return mount(Register, { attachTo: document.body, global: { provide: { go: () => {}, refreshInfo: async () => {}, lists: ref({ housing_use: ['自住'] }) } } });
}

afterEach(() => {
  clearMocks();
  document.body.innerHTML = '';
});

const options = (select) => select.findAll('option').map((o) => o.text().trim());

test('a 网格员 puts a new household or place in their grid only, never at the top', async () => {
  const page = mountRegister([2, 3]);
  await flushPromises();
  await page.get('[data-test=add-household]').trigger('click');
  await flushPromises();
  const where = options(page.get('[data-test=field-place_id]'));
  expect(where.some((o) => o.includes('第二网格'))).toBe(false);
  expect(where.some((o) => o.includes('第一网格'))).toBe(true);
  page.unmount();

  const again = mountRegister([2, 3]);
  await flushPromises();
  await again.get('[data-test=add-place]').trigger('click');
  await flushPromises();
  const parents = options(again.get('[data-test=place-form] select'));
  expect(parents).toEqual(['石桥村/第一网格', '石桥村/第一网格/第1联户组']);
});

test('anyone else may use every place, the top included', async () => {
  const page = mountRegister(null);
  await flushPromises();
  await page.get('[data-test=add-place]').trigger('click');
  await flushPromises();
  expect(options(page.get('[data-test=place-form] select'))).toEqual(['（无，最上级）', ...PLACES.map((p) => p.path)]);
});

test('a household of another grid opens with why, and offers no change', async () => {
  const page = mountRegister([2, 3]);
  await flushPromises();
  await page.findAll('[data-test=household-row]')[1].trigger('click');
  await flushPromises();
  expect(page.get('[data-test=household-read-only]').text()).toBe(WHY);
  expect(page.find('[data-test=edit-household]').exists()).toBe(false);
  expect(page.find('[data-test=add-member]').exists()).toBe(false);
  expect(page.get('[data-test=member-list]').text()).not.toContain('归档');
  await page.findAll('[data-test=household-row]')[0].trigger('click');
  await flushPromises();
  expect(page.find('[data-test=household-read-only]').exists()).toBe(false);
  expect(page.find('[data-test=edit-household]').exists()).toBe(true);
});
