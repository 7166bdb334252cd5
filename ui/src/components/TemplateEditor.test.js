// The template editor turns what a clerk types into the template file format: header paths
// split at |, filters split at commas, footer lines; columns reorder and go away.
import { expect, test } from 'vitest';
import { ref } from 'vue';
import { mount } from '@vue/test-utils';
import TemplateEditor from './TemplateEditor.vue';

const template = {
  format: 'gridledger-report-template', version: 1, id: 'returnees', name: '来(返)乡人员登记表', source: 'arrivals', title: '', meta: true,
  columns: [
    { header: ['序号'], field: 'row_number' },
    { header: ['姓名'], field: 'name' },
    { header: ['外出情况', '具体地址'], field: 'origin', width: 22 },
  ],
  filter: { kinds: ['返乡'] }, sort: [], totals: false, footer: ['社区(村)（盖章）'], zero_report: '',
};
const catalog = [{
  source: { key: 'arrivals', label: '来（返）乡人员', date_meaning: '来（返）乡日期' },
  fields: [
    { key: 'row_number', label: '序号', kind: 'row_number' }, { key: 'name', label: '姓名', kind: 'text' },
    { key: 'origin', label: '出发地', kind: 'division' }, { key: 'age', label: '年龄', kind: 'integer' },
  ],
}];

function mountEditor() {
  return mount(TemplateEditor, { props: { template, catalog }, global: { provide: { lists: ref({ tags: ['独居老人'] }) } } });
}

test('edits come out in the file format', async () => {
  const editor = mountEditor();
  const headers = editor.findAll('[data-test=column-header]');
  await headers[1].setValue('姓名（全名）');
  await headers[2].setValue('外出情况 | 出发地 ');
  await editor.get('[data-test=column-up-2]').trigger('click');
  await editor.get('[data-test=column-remove-0]').trigger('click');
  await editor.get('[data-test=column-add]').trigger('click');
  await editor.get('[data-test=template-preview]').trigger('click');
  const [edited] = editor.emitted('preview')[0];
  expect(edited.columns).toEqual([
    { header: ['外出情况', '出发地'], field: 'origin', width: 22 },
    { header: ['姓名（全名）'], field: 'name' },
    { header: ['姓名'], field: 'name' },
  ]);
  expect(edited.filter.kinds).toEqual(['返乡']);
  expect(edited.footer).toEqual(['社区(村)（盖章）']);
  expect(edited.id).toBe('returnees');
  expect(template.columns.length, 'the original is not changed').toBe(3);
});

test('fields are offered by their Chinese labels, never their keys, with their definitions', async () => {
  const defined = [{
    ...catalog[0],
    fields: [...catalog[0].fields, { key: 'total_returned', label: '累计返乡', kind: 'integer', definition: '自{epoch}起来（返）乡的人数' }],
  }];
  const editor = mount(TemplateEditor, {
    props: { template: { ...template, columns: [...template.columns, { header: ['累计返乡'], field: 'total_returned' }] }, catalog: defined },
    global: { provide: { lists: ref({ tags: [] }) } },
  });
  const select = editor.findAll('[data-test=column-field]')[1];
  const texts = select.findAll('option').map((o) => o.text());
  expect(texts).toEqual(['序号', '姓名', '出发地', '年龄', '累计返乡']);
  for (const key of ['row_number', 'name', 'origin', 'age', 'total_returned']) {
    expect(editor.get('[data-test=template-columns]').text()).not.toContain(key);
  }
  const hints = editor.findAll('[data-test=column-definition]');
  expect(hints).toHaveLength(1);
  expect(hints[0].text()).toBe('自疫情起始日期起来（返）乡的人数');
});
