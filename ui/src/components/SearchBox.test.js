// The header search: results as the user types, the newest answer wins, Enter opens the first.
import { afterEach, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import SearchBox from './SearchBox.vue';

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

test('typing searches after a pause and Enter opens the first hit', async () => {
  vi.useFakeTimers();
  const asked = [];
  mockIPC((cmd, args) => {
    asked.push(args.query);
    return [{ id: 3, name: '张三', gender: '女', birth_date: '1949-12-31', id_number: '11010519491231002X', household_label: '东街12号', matched_by: '拼音' }];
  });
  const box = mount(SearchBox);
  const input = box.get('[data-test=search-input]');
  await input.setValue('z');
  await input.setValue('zs');
  vi.advanceTimersByTime(200);
  await flushPromises();
  expect(asked).toEqual(['zs']);
  expect(box.get('[data-test=search-hit]').text()).toContain('张三');
  await input.trigger('keydown', { key: 'Enter' });
  expect(box.emitted('open')[0]).toEqual([3]);
});

test('no result says what else to try', async () => {
  vi.useFakeTimers();
  mockIPC(() => []);
  const box = mount(SearchBox);
  await box.get('[data-test=search-input]').setValue('陈');
  vi.advanceTimersByTime(200);
  await flushPromises();
  expect(box.get('[data-test=search-results]').text()).toContain('拼音首字母');
});

test('arrow keys move through the results, Enter opens the highlighted one, Esc closes', async () => {
  vi.useFakeTimers();
  mockIPC(() => [
    { id: 7, name: '王伟', gender: '男', birth_date: '1980-01-01', phone: '13800138000', household_label: '东街12号', place_name: '第一网格', matched_by: '拼音' },
    { id: 8, name: '王伟', gender: '男', birth_date: '1992-05-06', phone: '13900139000', household_label: '西街3号', place_name: '第二网格', matched_by: '拼音' },
  ]);
  const box = mount(SearchBox);
  const input = box.get('[data-test=search-input]');
  await input.setValue('wangwei');
  vi.advanceTimersByTime(200);
  await flushPromises();
  // Two 王伟 are told apart by phone and household.
  const hits = box.findAll('[data-test=search-hit]');
  expect(hits.map((h) => h.get('[data-test=search-hit-phone]').text())).toEqual(['13800138000', '13900139000']);
  expect(hits[1].get('[data-test=search-hit-household]').text()).toBe('第二网格 西街3号');

  await input.trigger('keydown', { key: 'ArrowDown' });
  expect(box.findAll('[data-test=search-hit]')[1].classes()).toContain('active');
  await input.trigger('keydown', { key: 'ArrowDown' }); // wraps to the first
  await input.trigger('keydown', { key: 'ArrowUp' }); // and back to the last
  expect(box.findAll('[data-test=search-hit]')[1].attributes('aria-selected')).toBe('true');
  await input.trigger('keydown', { key: 'Enter' });
  expect(box.emitted('open')[0]).toEqual([8]);

  await input.setValue('wangwei');
  vi.advanceTimersByTime(200);
  await flushPromises();
  expect(box.find('[data-test=search-results]').exists()).toBe(true);
  await input.trigger('keydown', { key: 'Escape' });
  expect(box.find('[data-test=search-results]').exists()).toBe(false);
});

test('a person without phone or household says so', async () => {
  vi.useFakeTimers();
  mockIPC(() => [{ id: 1, name: '李四', phone: null, household_label: null, place_name: null, matched_by: '姓名' }]);
  const box = mount(SearchBox);
  await box.get('[data-test=search-input]').setValue('李四');
  vi.advanceTimersByTime(200);
  await flushPromises();
  expect(box.get('[data-test=search-hit-phone]').text()).toBe('无手机号');
  expect(box.get('[data-test=search-hit-household]').text()).toBe('未分户');
});

test('含已归档 searches archived persons too and marks them', async () => {
  vi.useFakeTimers();
  const asked = [];
  mockIPC((cmd, args) => {
    asked.push(args.withArchived);
    return args.withArchived ? [{ id: 9, name: '张三丰', archived: true, matched_by: '姓名' }] : [];
  });
  const box = mount(SearchBox);
  const input = box.get('[data-test=search-input]');
  await input.setValue('张三丰');
  vi.advanceTimersByTime(200);
  await flushPromises();
  expect(box.get('[data-test=search-results]').text()).toContain('含已归档');
  expect(box.findAll('[data-test=search-hit]')).toHaveLength(0);
  // Pressing the button does nothing yet (a hit could appear under the pointer before it is
  // released); the click ticks it. It stays first in the list, above any hit.
  const toggle = box.get('[data-test=search-with-archived]');
  await toggle.trigger('mousedown');
  await flushPromises();
  expect(asked).toEqual([false]);
  await toggle.trigger('click');
  await flushPromises();
  expect(asked).toEqual([false, true]);
  const list = box.get('[data-test=search-results]').element;
  expect(list.firstElementChild.getAttribute('data-test')).toBe('search-with-archived');
  const hit = box.get('[data-test=search-hit]');
  expect(hit.get('[data-test=search-hit-archived]').text()).toBe('已归档');
  await input.trigger('keydown', { key: 'Enter' });
  expect(box.emitted('open')[0]).toEqual([9]);
});

test('a list cut at 20 hits says so', async () => {
  vi.useFakeTimers();
  mockIPC((cmd, args) => Array.from({ length: args.limit }, (_, i) => ({ id: i + 1, name: `许${i}`, matched_by: '姓名' })));
  const box = mount(SearchBox);
  await box.get('[data-test=search-input]').setValue('许');
  vi.advanceTimersByTime(200);
  await flushPromises();
  expect(box.findAll('[data-test=search-hit]')).toHaveLength(20);
  expect(box.get('[data-test=search-more]').text()).toContain('只列出前 20 个');
  vi.useRealTimers();
});
