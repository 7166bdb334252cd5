// A person's audit trail on their page: newest first, who (or another program), what, and
// each changed field before → after, without the stamps every change carries.
import { expect, test } from 'vitest';
import { mount } from '@vue/test-utils';
import AuditLog from './AuditLog.vue';

// As the core sends them: `what` and `changes` in the window's words, the stamps left out.
const change = (key, label, before, after) => ({ key, label, before, after });
const rows = [
  { seq: 1, at: '2026-12-05 09:00:00.123', operator: '王网格', entity: 'persons', what: '人员', record: '3', person_id: 3, action: '新增', old: null, new: { id: 3, name: '张三' }, purged: null,
    changes: [change('id', '编号', null, '3'), change('name', '姓名', null, '张三')] },
  { seq: 2, at: '2026-12-05 09:05:00.000', operator: '王网格', entity: 'persons', what: '人员', record: '3', person_id: 3, action: '修改', old: { id: 3, name: '张三', updated_at: 'a' }, new: { id: 3, name: '张三', phone: '13800138000', updated_at: 'b' }, purged: null,
    changes: [change('phone', '手机号码', null, '13800138000')] },
  { seq: 3, at: '2026-12-05 10:00:00.000', operator: null, entity: 'arrivals', what: '来（返）乡', record: '7', person_id: 3, action: '修改', old: { transport: '自驾车' }, new: { transport: '高铁/火车' }, purged: null,
    changes: [change('transport', '交通方式', '自驾车', '高铁/火车')] },
  { seq: 5, at: '2026-12-05 11:30:00.000', operator: '王网格', entity: 'persons', what: '人员', record: '3', person_id: 3, action: '修改', old: { updated_at: 'a' }, new: { updated_at: 'b' }, purged: null, changes: [] },
  { seq: 4, at: '2026-12-05 11:00:00.000', operator: '村管理员', entity: 'health_checks', what: '体温', record: '9', person_id: 3, action: '新增', old: null, new: null, purged: 1, changes: [] },
];

test('the trail reads newest first, names who, and shows each change', () => {
  const log = mount(AuditLog, { props: { rows } });
  const lines = log.findAll('[data-test=person-audit-row]').map((r) => r.text());
  expect(lines).toHaveLength(5);
  expect(lines[0]).toContain('（只更新了修改时间、修改人）');
  expect(lines[1]).toContain('村管理员');
  expect(lines[1]).toContain('（内容已随清理删除）');
  expect(lines[2]).toContain('（其他程序）');
  expect(lines[2]).toContain('来（返）乡');
  expect(lines[2]).toContain('交通方式：自驾车 → 高铁/火车');
  expect(lines[3]).toContain('手机号码：（空） → 13800138000');
  expect(lines[3]).not.toContain('updated_at');
  expect(lines[4]).toBe('2026-12-05 09:00:00王网格人员新增姓名：张三');
  expect(log.text()).toContain('共 5 条');
});
