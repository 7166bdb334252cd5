// The window against a mocked core: a ledger with people opens on 今日, the menu is in the
// order of a day's work, the title bar names the village (not the file), and `/` or Ctrl+K
// puts the cursor in the search box unless the user is typing in a field.
import { afterEach, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from './App.vue';

const summary = { places: 2, households: 1, persons: 2, arrivals_14_days: 0, under_watch: 0, abnormal_today: 0, cases: 0, contacts: 0, checkpoint_checks_today: 0 };
let app = null;
let auditWarning = null;

afterEach(() => {
  app?.unmount();
  clearMocks();
});

async function mountApp() {
  mockIPC((cmd, args) => {
    if (cmd === 'import_reviews') return [];
    if (cmd === 'audit_warning') return auditWarning;
    if (cmd === 'import_preview') return { file: args.path, dry_run: true, problems: [], columns: [], fields: [], preview: [], households: [], skipped: [], notices: [], unknown_places: [], places_created: [], candidates: [], sheets: ['Sheet1'], sheets_read: ['Sheet1'], other_sheets: [], data_rows: 0, inserted: 0, updated: 0, unchanged: 0, review: 0, partial_rows: 0, rejected_rows: 0, skipped_rows: 0, header_rows: [1, 1], first_data_row: 2 };
    if (cmd === 'value_lists') return { relation_to_head: [] };
    if (cmd === 'ledger_info') return { path: '/home/cadre/gridledger.db', title: '青山镇 石桥村', today: '2026-11-23', empty: false, summary };
    if (cmd === 'places') return [];
    if (cmd === 'today_list') return { day: '2026-11-23', watched: 0, readings_missing: [], fevers: [], ending: [], tests_due: [], results_pending: [], unvisited_arrivals: [], hand_offs: [], daily_report: null };
    return null;
  }, { shouldMockEvents: true });
  app = mount(App, { attachTo: document.body });
  await flushPromises();
  return app;
}

test('opens on 今日 with the menu in order and the village in the title bar', async () => {
  const app = await mountApp();
  expect(app.find('[data-test=today-page]').exists()).toBe(true);
  expect(app.findAll('nav button').map((b) => b.attributes('data-test'))).toEqual(
    ['nav-today', 'nav-overview', 'nav-register', 'nav-round', 'nav-station', 'nav-cases', 'nav-import', 'nav-reports', 'nav-backups']);
  expect(app.get('[data-test=ledger-title]').text()).toBe('青山镇 石桥村');
  expect(app.get('header').text()).not.toContain('/home/cadre');
  await app.get('[data-test=nav-overview]').trigger('click');
  expect(app.get('[data-test=ledger-path]').text()).toContain('/home/cadre/gridledger.db');
});

test('/ and Ctrl+K focus the search box; a / typed in a field stays a slash', async () => {
  const app = await mountApp();
  const search = app.get('[data-test=search-input]').element;
  window.dispatchEvent(new KeyboardEvent('keydown', { key: '/' }));
  expect(document.activeElement).toBe(search);
  search.blur();
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }));
  expect(document.activeElement).toBe(search);
  search.blur();
  const filter = app.get('[data-test=today-place-filter]').element;
  filter.focus();
  filter.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }));
  expect(document.activeElement).toBe(filter);
});

test('the window title names the page and the ledger; a page change empties the search box', async () => {
  const app = await mountApp();
  expect(document.title).toBe('今日 — 青山镇 石桥村 · 网格一本账');
  await app.get('[data-test=search-input]').setValue('张');
  await app.get('[data-test=nav-overview]').trigger('click');
  await flushPromises();
  expect(document.title).toBe('总览 — 青山镇 石桥村 · 网格一本账');
  expect(app.get('[data-test=search-input]').element.value).toBe('');
});

test('the window shows at once and says the ledger is being opened until it is', async () => {
  let open;
  const opened = new Promise((resolve) => (open = resolve));
  mockIPC(async (cmd) => {
    if (cmd === 'value_lists') return { relation_to_head: [] };
    if (cmd === 'ledger_info') {
      await opened;
      return { path: '/home/cadre/gridledger.db', title: '青山镇', today: '2026-11-23', empty: true, summary };
    }
    return null;
  });
  app = mount(App, { attachTo: document.body });
  await flushPromises();
  expect(app.get('[data-test=opening]').text()).toContain('正在打开账本');
  open();
  await flushPromises();
  expect(app.find('[data-test=opening]').exists()).toBe(false);
});

test('leaving 导入表格 mid-import and coming back finds the import still under way, then its result', async () => {
  let finish;
  const running = new Promise((resolve) => (finish = resolve));
  const report = {
    file: 'county.xlsx', sheet: 'Sheet1', sheets: ['Sheet1'], target: 'arrivals', header_rows: [1, 1], first_data_row: 2,
    columns: [], fields: [], data_rows: 3, inserted: 3, updated: 0, unchanged: 0, review: 0, partial_rows: 0, rejected_rows: 0,
    skipped_rows: 0, skipped: [], notices: [], problems: [], unknown_places: [], places_created: [], preview: [], households: [], writes: true,
  };
  mockIPC((cmd) => {
    if (cmd === 'value_lists') return { relation_to_head: [] };
    if (cmd === 'ledger_info') return { path: '/home/cadre/gridledger.db', title: '青山镇', today: '2026-11-23', empty: false, summary };
    if (cmd === 'places' || cmd === 'import_reviews') return [];
    if (cmd === 'pick_import_file') return '/home/cadre/county.xlsx';
    if (cmd === 'import_preview') return report;
    if (cmd === 'import_run') return running;
    return null;
  }, { shouldMockEvents: true });
  app = mount(App, { attachTo: document.body });
  await flushPromises();
  await app.get('[data-test=nav-import]').trigger('click');
  await flushPromises();
  await app.get('[data-test=import-pick]').trigger('click');
  await flushPromises();
  await app.get('[data-test=import-confirm]').trigger('click');
  await flushPromises();
  expect(app.get('[data-test=import-progress]').text()).toContain('正在写入…');

  await app.get('[data-test=nav-overview]').trigger('click');
  await flushPromises();
  expect(app.get('[data-test=ledger-path]').isVisible()).toBe(true);
  expect(app.get('.import').isVisible()).toBe(false);

  await app.get('[data-test=nav-import]').trigger('click');
  await flushPromises();
  expect(app.get('[data-test=import-progress]').isVisible()).toBe(true);
  expect(app.find('[data-test=ledger-path]').exists()).toBe(false);
  // Finished while away: the result waits on the page.
  await app.get('[data-test=nav-today]').trigger('click');
  finish({ ...report, dry_run: false, batch_id: 1 });
  await flushPromises();
  await app.get('[data-test=nav-import]').trigger('click');
  await flushPromises();
  expect(app.get('[data-test=import-result]').text()).toContain('已导入《county.xlsx》：新增 3');
});

test('while an import holds the ledger, other pages say so and lead back to it', async () => {
  vi.useFakeTimers();
  mockIPC((cmd) => {
    if (cmd === 'value_lists') return { relation_to_head: [] };
    if (cmd === 'ledger_info') return { path: '/x.db', title: '石桥村', today: '2026-11-23', empty: false, summary };
    if (cmd === 'places') return [];
    if (cmd === 'today_list') return { day: '2026-11-23', watched: 0, readings_missing: [], fevers: [], ending: [], tests_due: [], results_pending: [], unvisited_arrivals: [], hand_offs: [], awaiting_isolation: [], daily_report: null };
    return null;
  }, { shouldMockEvents: true });
  app = mount(App, { attachTo: document.body });
  await flushPromises();
  const { emit: send } = await import('@tauri-apps/api/event');
  await send('import-progress', { stage: 'writing', done: 1500, total: 100000 });
  await flushPromises();
  expect(app.get('[data-test=import-busy]').text()).toContain('1500 / 100000');
  // The events stop (finished, cancelled or failed): the notice goes.
  vi.advanceTimersByTime(3500);
  await flushPromises();
  expect(app.find('[data-test=import-busy]').exists()).toBe(false);
  vi.useRealTimers();
});

test('a sheet dropped on the window opens the import page with it', async () => {
  const { emit } = await import('@tauri-apps/api/event');
  const app = await mountApp();
  await emit('file-dropped', { path: '/home/cadre/返乡名单.xlsx', refused: null });
  await flushPromises();
  expect(app.get('[data-test=nav-import]').classes()).toContain('active');
  expect(app.get('[data-test=import-path]').text()).toBe('/home/cadre/返乡名单.xlsx');
});

test('a trail changed by another program is said on every page', async () => {
  auditWarning = '审计记录第 3 条不符：内容与封存时不符（被改动或插入）';
  const app = await mountApp();
  expect(app.get('[data-test=audit-warning]').text()).toContain('审计记录第 3 条不符');
  await app.get('[data-test=nav-overview]').trigger('click');
  expect(app.get('[data-test=audit-warning]').text()).toContain('请告诉村管理员');
  auditWarning = null;
});

test('a trail that holds says nothing', async () => {
  const app = await mountApp();
  expect(app.find('[data-test=audit-warning]').exists()).toBe(false);
});
