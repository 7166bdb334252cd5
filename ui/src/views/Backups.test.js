// 备份 against a mocked core: the list with each backup's time, reason and counts; a restore
// asks first (saying it backs up the present), sends the listed path, and says what it kept;
// a failed automatic backup is shown.
import { afterEach, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Backups from './Backups.vue';
import { answer, question } from '../components/ask.js';

afterEach(() => clearMocks());

const LIST = {
  dir: '/home/cadre/账本_备份',
  last_error: '第二份备份的文件夹 /media/u 不在（U 盘没有插上？）',
  backups: [
    { path: '/home/cadre/账本_备份/账本_20261205_100000_导入前.db', taken_at: '2026-12-05T10:00:00', reason: '导入前', bytes: 3145728, persons: 1000, households: 300, copy_problem: null },
    { path: '/home/cadre/账本_备份/账本_20261204_180000_定时.db', taken_at: '2026-12-04T18:00:00', reason: '定时', bytes: 3040000, persons: 990, households: 298, copy_problem: null },
  ],
};

test('lists the backups and restores one after asking, backing up the present first', async () => {
  const calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'backups') return LIST;
    if (cmd === 'settings') return [null];
    if (cmd === 'restore_backup') return { ...LIST.backups[0], taken_at: '2026-12-05T11:00:00', reason: '恢复前' };
    return null;
  });
  const refreshInfo = vi.fn(async () => ({}));
  const page = mount(Backups, { global: { provide: { refreshInfo } } });
  await flushPromises();
  const rows = page.findAll('[data-test=backup-row]');
  expect(rows).toHaveLength(2);
  expect(rows[1].text()).toContain('2026-12-04 18:00:00');
  expect(rows[1].text()).toContain('定时');
  expect(rows[1].text()).toContain('990');
  expect(page.get('[data-test=backup-last-error]').text()).toContain('U 盘没有插上');

  await rows[1].get('[data-test=backup-restore]').trigger('click');
  expect(question.open).toBe(true);
  expect(question.message).toContain('恢复前会先备份现在的账本');
  answer(true);
  await flushPromises();
  expect(calls.find(([cmd]) => cmd === 'restore_backup')[1]).toEqual({ path: LIST.backups[1].path });
  expect(refreshInfo).toHaveBeenCalled();
  expect(page.get('[data-test=backup-notice]').text()).toContain('恢复前的账本已备份为 2026-12-05 11:00:00');
});

test('a restore not confirmed sends nothing', async () => {
  const calls = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === 'backups') return LIST;
    if (cmd === 'settings') return [null];
    return null;
  });
  const page = mount(Backups, { global: { provide: { refreshInfo: async () => ({}) } } });
  await flushPromises();
  await page.get('[data-test=backup-restore]').trigger('click');
  answer(false);
  await flushPromises();
  expect(calls).not.toContain('restore_backup');
});

test('a second copy not made is a warning of its own, the backup said done', async () => {
  mockIPC((cmd) => {
    if (cmd === 'backups') return { ...LIST, last_error: null };
    if (cmd === 'settings') return ['/media/u'];
    if (cmd === 'back_up_now') return { ...LIST.backups[0], reason: '手动', copy_problem: '第二份备份的文件夹 /media/u 不在（U 盘没有插上？），这次没有复制；插上后，下次备份会再复制' };
    return null;
  });
  const page = mount(Backups, { global: { provide: { refreshInfo: async () => ({}) } } });
  await flushPromises();
  await page.get('[data-test=backup-now]').trigger('click');
  await flushPromises();
  expect(page.get('[data-test=backup-notice]').text()).toBe('已备份（2026-12-05 10:00:00，1000 人，300 户）。');
  expect(page.get('[data-test=backup-copy-problem]').text()).toContain('U 盘没有插上');
});

test('清理 previews its counts for a day, asks, then removes and says what was kept', async () => {
  const calls = [];
  const counts = { before: '2026-06-01', health_checks: 120, tests: 30, isolations: 8, contacts: 5, log_lines: 14, dry_run: true };
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'backups') return { ...LIST, last_error: null };
    if (cmd === 'settings') return [null];
    if (cmd === 'purge_health_records') return { ...counts, dry_run: args.dryRun };
    return null;
  });
  const page = mount(Backups, { global: { provide: { refreshInfo: async () => ({}) } } });
  await flushPromises();
  expect(page.find('[data-test=purge-run]').exists()).toBe(false);
  await page.get('[data-test=purge-before]').setValue('2026-06-01');
  await page.get('[data-test=purge-preview]').trigger('click');
  await flushPromises();
  expect(calls.at(-1)).toEqual(['purge_health_records', { before: '2026-06-01', dryRun: true }]);
  expect(page.get('[data-test=purge-counts]').text()).toContain('体温 120 条、检测 30 条、已解除的隔离 8 条、密接/次密接 5 条');
  await page.get('[data-test=purge-run]').trigger('click');
  expect(question.message).toContain('删除前会先备份');
  answer(true);
  await flushPromises();
  expect(calls.filter(([cmd]) => cmd === 'purge_health_records').at(-1)[1]).toEqual({ before: '2026-06-01', dryRun: false });
  expect(page.get('[data-test=backup-notice]').text()).toContain('已清理 2026-06-01 之前的体温 120 条');
  expect(page.find('[data-test=purge-counts]').exists()).toBe(false);
});

test('a 网格员 sees no restore, purge or second-folder controls; a refusal stays on screen', async () => {
  const { ref } = await import('vue');
  mockIPC((cmd) => {
    if (cmd === 'backups') return LIST;
    if (cmd === 'settings') return [null];
    if (cmd === 'operators') return [];
    if (cmd === 'back_up_now') throw { code: 'conflict', message: '磁盘已满，没有备份', problems: [] };
    return null;
  });
  const no = (what) => `“李网格”是网格员，不能${what}：请村管理员来做。`;
  const worker = ref({
    state: 'open', protected: true, login: { name: '李网格', role: '网格员' },
    cannot: { restore: no('用备份恢复账本'), purge: no('清理旧的健康记录'), settings: no('修改设置'), operators: no('管理操作员') },
  });
  const page = mount(Backups, { global: { provide: { lockState: worker } } });
  await flushPromises();
  expect(page.findAll('[data-test=backup-row]')).toHaveLength(2);
  expect(page.find('[data-test=backup-restore]').exists()).toBe(false);
  expect(page.find('[data-test=purge]').exists()).toBe(false);
  expect(page.find('[data-test=backup-copy-dir]').exists()).toBe(false);
  expect(page.findAll('[data-test=backup-refused] li').map((l) => l.text())).toEqual([no('用备份恢复账本'), no('清理旧的健康记录'), no('修改设置')]);
  expect(page.get('[data-test=operators-refused]').text()).toBe(no('管理操作员'));
  expect(page.find('[data-test=operator-add]').exists()).toBe(false);
  await page.get('[data-test=backup-now]').trigger('click');
  await flushPromises();
  expect(page.get('[data-test=backup-error]').text()).toBe('磁盘已满，没有备份');
});
