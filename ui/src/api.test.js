// The IPC door: arguments reach the core under their names, and every failure takes the
// core's {code, message, problems} shape.
import { afterEach, expect, test } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import * as api from './api.js';

afterEach(() => clearMocks());

test('arguments are passed by name', async () => {
  let seen;
  mockIPC((cmd, args) => {
    seen = [cmd, args];
    return [];
  });
  await api.findPersons('zs', 20);
  expect(seen).toEqual(['find_persons', { query: 'zs', limit: 20, withArchived: false }]);
  await api.households(4);
  expect(seen).toEqual(['households', { placeId: 4 }]);
});

test('core errors pass through and other failures are wrapped', async () => {
  mockIPC(() => {
    throw { code: 'not_found', message: '找不到人员（编号 9）', problems: [] };
  });
  await expect(api.personProfile(9)).rejects.toMatchObject({ code: 'not_found' });
  mockIPC(() => {
    throw 'channel closed';
  });
  await expect(api.ledgerInfo()).rejects.toMatchObject({ code: 'ipc', problems: [] });
});
