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
