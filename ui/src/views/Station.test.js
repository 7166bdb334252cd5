// The checkpoint station against a mocked core: a stop with a driver and two named passengers
// handed to the village is sent as one record (plate with its province, travellers to be
// registered), the form clears for the next vehicle and the day's figures reload; the core's
// problems show next to the passenger they belong to; a recent plate fills the form; the
// first visit registers the checkpoint itself.
import { afterEach, expect, test } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Station, { forgetStationDraft } from './Station.vue';

const stopForm = {
  kind: 'checkpoint_check', label: '卡口检查', fields: [
    { key: 'vehicle_kind', kind: { type: 'choice', arg: ['私家车', '大巴中巴', '货车', '其他'] } },
    { key: 'health_code', kind: { type: 'choice', arg: ['绿码', '黄码', '红码'] } },
    { key: 'disposal', kind: { type: 'choice', arg: ['放行', '劝返', '移交村(社区)'] } },
  ],
};
const earlier = {
  id: 7, checkpoint_id: 3, checked_at: '2026-11-23 07:10', person_id: 12, name: '司机甲', id_number: '43018219920304024X', phone: '13800138000',
  plate: '湘A12345', vehicle_kind: '货车', passenger_count: 0, origin: '长沙', destination: '石桥村', temperature: 36.5, disposal: '放行',
  handed_to_place_id: null, passengers: [],
};

let calls;
let sites;
function mountStation(core = {}) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (core[cmd]) return core[cmd](args);
    switch (cmd) {
      case 'places': return [{ id: 1, level: '村', name: '石桥村', path: '石桥村' }, { id: 2, level: '网格', name: '第一网格', path: '石桥村/第一网格' }];
      case 'record_forms': return [stopForm];
      case 'settings': return [null, '白班', '湘'];
      case 'checkpoints': return sites;
      case 'station_day': return { checkpoint_id: 3, day: '2026-11-23', stops: [earlier], people: 1, vehicles: 1, shift: args.shift, shift_people: 1, shift_vehicles: 1 };
      case 'find_persons': return [];
      default: return null;
    }
  });
  return mount(Station, { attachTo: document.body, global: { provide: { refreshInfo: async () => {}, setChrome: () => {} } } });
}

afterEach(() => {
  clearMocks();
  forgetStationDraft();
  document.body.innerHTML = '';
});

test('a stop half typed is still there after a visit to another page', async () => {
  sites = [{ id: 3, name: '东口卡口', place_id: 1 }];
  let page = mountStation();
  await flushPromises();
  await page.get('[data-test=plate]').setValue('A77777');
  await page.get('[data-test=driver-name]').setValue('司机戊');
  await page.get('[data-test=add-passenger]').trigger('click');
  page.unmount();
  page = mountStation();
  await flushPromises();
  expect(page.get('[data-test=plate]').element.value).toBe('A77777');
  expect(page.get('[data-test=driver-name]').element.value).toBe('司机戊');
  expect(page.findAll('[data-test=passenger-0-name]')).toHaveLength(1);
});

test('a stop with two named passengers handed to the village is one record', async () => {
  sites = [{ id: 3, name: '东口卡口', place_id: 1 }];
  const page = mountStation({ save_record: () => ({ kind: 'checkpoint_check', id: 8, warnings: [] }) });
  await flushPromises();
  expect(page.get('[data-test=station-figures]').text()).toContain('本班（白班）1 人次 1 车次');
  await page.get('[data-test=plate]').setValue('b 54321');
  await page.get('[data-test=driver-name]').setValue('司机乙');
  await page.get('[data-test=driver-temperature]').setValue('36.6');
  await page.get('[data-test=add-passenger]').trigger('click');
  await page.get('[data-test=add-passenger]').trigger('click');
  await page.get('[data-test=passenger-0-name]').setValue('乘客丙');
  await page.get('[data-test=passenger-0-temperature]').setValue('37.8');
  await page.get('[data-test=passenger-1-name]').setValue('乘客丁');
  expect(page.get('[data-test=passenger-0-temperature]').classes()).toContain('fever');
  await page.get('[data-test="disposal-移交村(社区)"]').setValue(true);
  await page.get('[data-test=handed_to]').setValue('1');
  await page.get('[data-test=station-form]').trigger('submit');
  await flushPromises();
  const input = calls.find(([cmd]) => cmd === 'save_record')[1].input;
  expect(input).toMatchObject({
    kind: 'checkpoint_check', checkpoint_id: 3,
    driver: { person_id: null, register: true, values: { name: '司机乙', temperature: '36.6' } },
    values: { plate: '湘B 54321', disposal: '移交村(社区)', handed_to: '1', shift: '白班' },
  });
  expect(input.passengers.map((p) => [p.values.name, p.register])).toEqual([['乘客丙', true], ['乘客丁', true]]);
  expect(page.get('[data-test=station-notice]').text()).toContain('司机乙、乘客丙、乘客丁（3 人），已移交村');
  // Cleared for the next vehicle, the day's figures asked again.
  expect(page.get('[data-test=plate]').element.value).toBe('');
  expect(page.findAll('[data-test^=passenger-0]')).toHaveLength(0);
  expect(calls.filter(([cmd]) => cmd === 'station_day').length).toBeGreaterThanOrEqual(2);
});

test('the core’s problems show next to the passenger they belong to', async () => {
  sites = [{ id: 3, name: '东口卡口', place_id: 1 }];
  const page = mountStation({
    save_record: () => {
      throw { code: 'value_invalid', message: '有误', problems: [{ field: 'passengers.1.id_number', code: 'id_check', message: '随车人员 2：校验位不对', severity: 'error' }] };
    },
  });
  await flushPromises();
  await page.get('[data-test=driver-name]').setValue('司机乙');
  await page.get('[data-test=add-passenger]').trigger('click');
  await page.get('[data-test=add-passenger]').trigger('click');
  await page.get('[data-test=station-form]').trigger('submit');
  await flushPromises();
  expect(page.get('[data-test=problem-passenger-1-id_number]').text()).toContain('校验位不对');
  expect(page.find('[data-test=problem-passenger-0-id_number]').exists()).toBe(false);
  // The form keeps what was typed.
  expect(page.get('[data-test=driver-name]').element.value).toBe('司机乙');
});

test('a recent plate fills the vehicle and its driver; the province picker sets the prefix', async () => {
  sites = [{ id: 3, name: '东口卡口', place_id: 1 }];
  const page = mountStation();
  await flushPromises();
  await page.get('[data-test=recent-plate]').trigger('click');
  expect(page.get('[data-test=plate]').element.value).toBe('A12345');
  expect(page.get('[data-test=plate-province]').text()).toBe('湘');
  expect(page.get('[data-test=driver-name]').element.value).toBe('司机甲');
  expect(page.get('[data-test=driver-linked]').text()).toContain('司机甲');
  await page.get('[data-test=plate-province]').trigger('click');
  await page.findAll('[data-test=province-picker] button').find((b) => b.text() === '粤').trigger('click');
  expect(page.get('[data-test=plate-province]').text()).toBe('粤');
  expect(calls.find(([cmd, a]) => cmd === 'set_setting' && a.key === 'station_province')[1].value).toBe('粤');
});

test('with no checkpoint yet, the page first registers one', async () => {
  sites = [];
  const page = mountStation({
    save_record: ({ input }) => {
      sites = [{ id: 4, name: input.values.name, place_id: 1 }];
      return { kind: 'checkpoint', id: 4, warnings: [] };
    },
  });
  await flushPromises();
  expect(page.find('[data-test=station-form]').exists()).toBe(false);
  await page.get('[data-test=site-name]').setValue('西口卡口');
  await page.get('[data-test=site-place]').setValue('1');
  await page.get('[data-test=station-site-form]').trigger('submit');
  await flushPromises();
  expect(calls.find(([cmd]) => cmd === 'save_record')[1].input).toEqual({ kind: 'checkpoint', values: { name: '西口卡口', place: '1' } });
  expect(page.find('[data-test=station-form]').exists()).toBe(true);
});

test('Enter goes along the paper form: plate, driver, 「＋ 乘客」 adds one, then 出发地, 目的地, 处置, 保存', async () => {
  sites = [{ id: 3, name: '东口卡口', place_id: 1 }];
  const page = mountStation({ save_record: () => ({ kind: 'checkpoint_check', id: 8, warnings: [] }) });
  await flushPromises();
  const enter = async () => {
    const here = document.activeElement;
    const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    here.dispatchEvent(event);
    // A button takes Enter itself, as a browser does: it is clicked.
    if (!event.defaultPrevented && here.tagName === 'BUTTON') here.click();
    await flushPromises();
    return document.activeElement.dataset.test;
  };
  page.get('[data-test=plate]').element.focus();
  const path = [];
  for (let i = 0; i < 6; i++) path.push(await enter());
  expect(path).toEqual(['driver-name', 'driver-id_number', 'driver-phone', 'driver-temperature', 'add-passenger', 'passenger-0-name']);
  // An Enter that picks an input method's characters stays in the field.
  document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true }));
  expect(document.activeElement.dataset.test).toBe('passenger-0-name');
  page.get('[data-test=origin]').element.focus();
  expect([await enter(), await enter(), await enter()]).toEqual(['destination', 'disposal-放行', 'stop-save']);
  expect(calls.some(([cmd]) => cmd === 'save_record')).toBe(false);
  // The seldom used fields are off the Enter path but still reachable.
  expect(page.get('[data-test=vehicle_kind]').attributes('data-enter')).toBeUndefined();
  expect(page.get('[data-test=plate-province]').attributes('tabindex')).toBe('-1');
});
