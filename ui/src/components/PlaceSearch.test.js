// The 范围 picker: places found by typing (never all listed), Enter takes the first match,
// Esc and leaving put back the chosen place, an emptied box is 全部, the newest answer wins.
import { afterEach, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PlaceSearch from './PlaceSearch.vue';

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

const grid = (id, n) => ({ id, parent_id: 2, level: '网格', name: `第${n}网格`, code: null, path: `青山镇/石桥村/第${n}网格` });

function mountPicker(answer) {
  vi.useFakeTimers();
  const asked = [];
  mockIPC((cmd, args) => {
    asked.push([cmd, args]);
    return answer(args.text);
  });
  const picker = mount(PlaceSearch, { props: { modelValue: '', levels: ['村', '网格'], test: 'scope', 'onUpdate:modelValue': (v) => picker.setProps({ modelValue: v }) } });
  return { picker, asked, input: picker.get('[data-test=scope]') };
}

async function typeIn(input, text) {
  await input.setValue(text);
  vi.advanceTimersByTime(200);
  await flushPromises();
}

test('typing asks the core for matching places of the levels offered; Enter takes the first', async () => {
  const { picker, asked, input } = mountPicker(() => [grid(45, 45), grid(46, 46)]);
  await typeIn(input, '石桥 4');
  expect(asked).toEqual([['find_places', { text: '石桥 4', levels: ['村', '网格'], limit: 30 }]]);
  const hits = picker.findAll('[data-test=scope-hit]');
  expect(hits.map((h) => h.text())).toEqual(['青山镇/石桥村/第45网格网格', '青山镇/石桥村/第46网格网格']);
  expect(hits[0].classes()).toContain('active');
  await input.trigger('keydown', { key: 'ArrowDown' });
  await input.trigger('keydown', { key: 'Enter' });
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['46']);
  expect(input.element.value).toBe('青山镇/石桥村/第46网格');
  expect(picker.find('[data-test=scope-results]').exists()).toBe(false);
});

test('Esc and leaving the box put back the chosen place; an emptied box is 全部', async () => {
  const { picker, input } = mountPicker(() => [grid(45, 45)]);
  await typeIn(input, '45');
  await picker.get('[data-test=scope-hit]').trigger('click');
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['45']);

  await typeIn(input, '第9');
  await input.trigger('keydown', { key: 'Escape' });
  expect(input.element.value).toBe('青山镇/石桥村/第45网格');
  await typeIn(input, '第9');
  await input.trigger('blur');
  expect(input.element.value).toBe('青山镇/石桥村/第45网格');
  expect(picker.emitted('update:modelValue')).toHaveLength(1);

  await typeIn(input, '');
  await input.trigger('keydown', { key: 'Enter' });
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['']);
  expect(input.element.value).toBe('');
});

test('全部 is always offered, a full list says so, nothing found says so', async () => {
  const { picker, input } = mountPicker((text) => (text === '网格' ? Array.from({ length: 30 }, (_, i) => grid(i + 10, i + 1)) : []));
  await typeIn(input, '网格');
  expect(picker.get('[data-test=scope-all]').text()).toBe('全部');
  expect(picker.findAll('[data-test=scope-hit]')).toHaveLength(30);
  expect(picker.get('[data-test=scope-more]').text()).toContain('只列出前 30 处');
  await typeIn(input, '桃源');
  expect(picker.get('[data-test=scope-results]').text()).toContain('没有路径含“桃源”的地点');
  await picker.get('[data-test=scope-all]').trigger('click');
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['']);
});

test('a slower earlier answer never replaces a newer one; a reset from outside empties the box', async () => {
  vi.useFakeTimers();
  const answers = [];
  mockIPC((cmd, args) => new Promise((resolve) => answers.push(() => resolve([grid(args.text === '4' ? 4 : 45, args.text)]))));
  const picker = mount(PlaceSearch, { props: { modelValue: '', test: 'scope' } });
  const input = picker.get('[data-test=scope]');
  await input.setValue('4');
  vi.advanceTimersByTime(200);
  await input.setValue('45');
  vi.advanceTimersByTime(200);
  answers[1]();
  await flushPromises();
  answers[0]();
  await flushPromises();
  expect(picker.findAll('[data-test=scope-hit]').map((h) => h.text())).toEqual(['青山镇/石桥村/第45网格网格']);
  await picker.get('[data-test=scope-hit]').trigger('click');
  await picker.setProps({ modelValue: '45' });
  expect(input.element.value).toBe('青山镇/石桥村/第45网格');
  await picker.setProps({ modelValue: '' });
  expect(input.element.value).toBe('');
});

test('Enter right after typing takes the first match of what is typed now, never an older list', async () => {
  const { picker, asked, input } = mountPicker((text) => (text.includes('二') ? [grid(62, '二')] : [grid(45, 45)]));
  await typeIn(input, '石桥');
  // Typed on, and Enter before the pause is over: the search runs first.
  await input.setValue('石桥 二');
  await input.trigger('keydown', { key: 'Enter' });
  await flushPromises();
  expect(asked.at(-1)[1].text).toBe('石桥 二');
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['62']);
});

test('a typo and Enter choose nothing; an emptied box left with Tab is 全部', async () => {
  const { picker, input } = mountPicker((text) => (text === '45' ? [grid(45, 45)] : []));
  await typeIn(input, '45');
  await input.trigger('keydown', { key: 'Enter' });
  await flushPromises();
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['45']);
  await input.setValue('石桥材');
  await input.trigger('keydown', { key: 'Enter' });
  await flushPromises();
  expect(picker.emitted('update:modelValue')).toHaveLength(1);
  expect(picker.get('[data-test=scope-results]').text()).toContain('没有路径含“石桥材”的地点');
  await input.setValue('');
  await input.trigger('blur');
  expect(picker.emitted('update:modelValue').at(-1)).toEqual(['']);
  // The list's lines are not in the Tab order: Tab leaves the box for the next field.
  await typeIn(input, '45');
  expect(picker.findAll('[data-test=scope-hit]').every((b) => b.attributes('tabindex') === '-1')).toBe(true);
});

test('a place set before the box is shown (a 网格员’s grid) is named by its path, never shown as 全部', async () => {
  mockIPC((cmd, args) => (cmd === 'place' ? grid(args.id, 1) : []));
  const picker = mount(PlaceSearch, { props: { modelValue: '7', test: 'scope' } });
  await flushPromises();
  expect(picker.get('[data-test=scope]').element.value).toBe('青山镇/石桥村/第1网格');
  // Set from outside later (a template's default): named too; emptied: 全部 (the placeholder).
  await picker.setProps({ modelValue: '9' });
  await flushPromises();
  expect(picker.get('[data-test=scope]').element.value).toBe('青山镇/石桥村/第1网格');
  await picker.setProps({ modelValue: '' });
  await flushPromises();
  expect(picker.get('[data-test=scope]').element.value).toBe('');
});
