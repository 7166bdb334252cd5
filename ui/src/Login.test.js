// The login screen and the idle lock against a mocked core: a locked ledger opens on 登录 with
// nothing of the ledger shown; a wrong passphrase is said and the field emptied; the right one
// opens 今日 with the operator in the header; left idle, the window locks; a plaintext ledger
// is protected at its first open, showing the recovery code once.
import { afterEach, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from './App.vue';

const summary = { places: 2, households: 1, persons: 2, arrivals_14_days: 0, under_watch: 0, abnormal_today: 0, cases: 0, contacts: 0, checkpoint_checks_today: 0 };
const operators = [{ name: '王芳', role: '村管理员' }, { name: '李网格', role: '网格员' }];
let app = null;
let calls = [];

afterEach(() => {
  app?.unmount();
  clearMocks();
  vi.useRealTimers();
});

async function mountApp(status) {
  calls = [];
  let state = { ...status };
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'lock_status') return state;
    if (cmd === 'unlock') {
      if (args.recovery) {
        state = { ...state, state: 'open', login: { name: '（恢复码）', role: '村管理员', grid: null } };
        return state.login;
      }
      if (args.passphrase !== '春风又绿江南两岸') throw { code: 'key_wrong', message: '密码不对，请重新输入（注意大小写和输入法）。', problems: [] };
      state = { ...state, state: 'open', login: operators.find((o) => o.name === args.name) };
      return state.login;
    }
    if (cmd === 'lock') {
      state = { ...state, state: 'locked', login: null };
      return null;
    }
    if (cmd === 'protect_ledger') {
      state = { ...state, protected: true, login: { name: args.name, role: '村管理员' } };
      return { login: state.login, recovery_code: 'E8BG-FWDE-TQV8-AEY0-E40S-6SDX-H9VT-QDP8-K9DM' };
    }
    if (cmd === 'value_lists') return { relation_to_head: [] };
    if (cmd === 'ledger_info') return { path: '/home/cadre/gridledger.db', title: '青山镇 石桥村', today: '2026-11-23', empty: false, summary };
    if (cmd === 'today_list') return { day: '2026-11-23', watched: 0, readings_missing: [], fevers: [], ending: [], tests_due: [], results_pending: [], unvisited_arrivals: [], hand_offs: [], daily_report: null };
    if (cmd === 'import_reviews' || cmd === 'places') return [];
    return null;
  }, { shouldMockEvents: true });
  app = mount(App, { attachTo: document.body });
  await flushPromises();
  return app;
}

test('a locked ledger opens on 登录, says a wrong passphrase, and opens 今日 for the right one', async () => {
  const app = await mountApp({ state: 'locked', protected: true, operators, login: null, lock_minutes: 10 });
  expect(app.find('[data-test=login]').exists()).toBe(true);
  expect(app.find('nav').exists()).toBe(false);
  expect(app.find('[data-test=search-input]').exists()).toBe(false);
  expect(calls.some(([c]) => c === 'ledger_info')).toBe(false);
  await app.get('[data-test=login-name]').setValue('王芳');
  await app.get('[data-test=login-passphrase]').setValue('春风又绿江南');
  await app.get('[data-test=login]').trigger('submit');
  await flushPromises();
  expect(app.get('[data-test=login-error]').text()).toContain('密码不对');
  expect(app.get('[data-test=login-passphrase]').element.value).toBe('');
  await app.get('[data-test=login-passphrase]').setValue('春风又绿江南两岸');
  await app.get('[data-test=login]').trigger('submit');
  await flushPromises();
  expect(app.find('[data-test=today-page]').exists()).toBe(true);
  expect(app.get('[data-test=operator]').text()).toBe('王芳（村管理员）');
  // 锁定 closes it again: back to 登录, the ledger's title gone.
  await app.get('[data-test=lock-now]').trigger('click');
  await flushPromises();
  expect(app.find('[data-test=login]').exists()).toBe(true);
  expect(app.find('[data-test=ledger-title]').exists()).toBe(false);
});

test('left idle for its minutes, the window locks; used, it does not', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
  const app = await mountApp({ state: 'open', protected: true, operators, login: operators[1], lock_minutes: 1 });
  expect(app.find('[data-test=today-page]').exists()).toBe(true);
  // Used every 40 seconds for two minutes: still open.
  for (let i = 0; i < 3; i++) {
    await vi.advanceTimersByTimeAsync(40000);
    window.dispatchEvent(new MouseEvent('mousemove'));
  }
  expect(calls.some(([c]) => c === 'lock')).toBe(false);
  await vi.advanceTimersByTimeAsync(61000);
  await flushPromises();
  expect(calls.some(([c]) => c === 'lock')).toBe(true);
  expect(app.find('[data-test=login]').exists()).toBe(true);
  expect(app.get('[data-test=login-idle]').text()).toContain('自动锁定');
});

test('a plaintext ledger is protected at its first open; the recovery code is shown once, 完成 only once copied', async () => {
  const app = await mountApp({ state: 'open', protected: false, operators: [], login: null, lock_minutes: 10 });
  // Nothing of the ledger before it is encrypted, and no way to put it off.
  expect(app.find('[data-test=protect-first-open]').exists()).toBe(true);
  expect(app.find('nav').exists()).toBe(false);
  expect(app.findAll('[data-test=protect-dialog] button').map((b) => b.text())).toEqual(['加密账本']);
  await app.get('[data-test=protect-name]').setValue('王芳');
  await app.get('[data-test=protect-passphrase]').setValue('春风又绿江南两岸');
  await app.get('[data-test=protect-passphrase-again]').setValue('春风又绿江南两');
  await app.get('[data-test=protect-dialog] form').trigger('submit');
  expect(app.get('[data-test=protect-error]').text()).toContain('不一样');
  expect(calls.some(([c]) => c === 'protect_ledger')).toBe(false);
  await app.get('[data-test=protect-passphrase-again]').setValue('春风又绿江南两岸');
  await app.get('[data-test=protect-dialog] form').trigger('submit');
  await flushPromises();
  expect(app.get('[data-test=recovery-code]').text()).toBe('E8BG-FWDE-TQV8-AEY0-E40S-6SDX-H9VT-QDP8-K9DM');
  expect(app.get('[data-test=recovery-done]').attributes('disabled')).toBeDefined();
  await app.get('[data-test=recovery-copied]').setValue(true);
  await app.get('[data-test=recovery-done]').trigger('click');
  await flushPromises();
  expect(app.find('[data-test=protect-dialog]').exists()).toBe(false);
  expect(app.get('[data-test=operator]').text()).toBe('王芳（村管理员）');
  expect(app.find('[data-test=today-page]').exists()).toBe(true);
});

test('a login with the recovery code is taken to 备份 with a notice to set a passphrase again', async () => {
  const app = await mountApp({ state: 'locked', protected: true, operators, login: null, lock_minutes: 10 });
  await app.get('[data-test=login-use-code]').trigger('click');
  await app.get('[data-test=login-recovery]').setValue('e8bg fwde tqv8 aey0 e40s 6sdx h9vt qdp8 k9dm');
  await app.get('[data-test=login]').trigger('submit');
  await flushPromises();
  expect(calls.find(([c]) => c === 'unlock')[1].recovery).toBe('e8bg fwde tqv8 aey0 e40s 6sdx h9vt qdp8 k9dm');
  expect(app.get('[data-test=recovery-login-notice]').text()).toContain('操作员');
  expect(app.get('[data-test=nav-backups]').classes()).toContain('active');
  expect(app.get('[data-test=operator]').text()).toBe('恢复码登录');
});
