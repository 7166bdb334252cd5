// 病例 against a mocked core: today's or all cases from the 病例 source, a row opens the
// person, a case whose contacts await isolation is red.
import { afterEach, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { ref } from 'vue';
import Cases from './Cases.vue';

afterEach(() => clearMocks());

test('lists all cases or today’s, with their chains, and opens the person', async () => {
  const asked = [];
  mockIPC((cmd, args) => {
    if (cmd !== 'report_preview') return null;
    asked.push(args);
    const all = [
      ['张三', '确诊', '2026-12-05', 'C-1', '石桥村', '第一网格', '2', '1', '1', '3'],
      ['王五', '疑似', '2026-12-01', '', '石桥村', '', '0', '0', '0', '9'],
    ];
    const rows = args.params.from ? all.slice(0, 1) : all;
    return { rows, total_rows: rows.length };
  });
  const go = vi.fn();
  const page = mount(Cases, { global: { provide: { go, info: ref({ today: '2026-12-05' }) } } });
  await flushPromises();
  expect(asked[0].template.source).toBe('cases');
  expect(asked[0].params).toMatchObject({ from: null, to: '2026-12-05' });
  expect(page.findAll('[data-test=case-row]')).toHaveLength(2);
  expect(page.get('[data-test=case-awaiting]').classes()).toContain('danger');
  await page.get('[data-test=cases-today]').trigger('click');
  await flushPromises();
  expect(asked[1].params.from).toBe('2026-12-05');
  expect(page.findAll('[data-test=case-row]')).toHaveLength(1);
  await page.get('[data-test=case-person]').trigger('click');
  expect(go).toHaveBeenCalledWith('person', { id: 3 });
});
