// A few record forms as the core's record_forms command returns them, for the component tests.
const f = (key, label, type, arg, more = {}) => ({
  key, label, kind: arg === undefined ? { type } : { type, arg }, required: false, default: null, hint: '', entry: true, ...more,
});

export const FORMS = [
  {
    kind: 'arrival',
    label: '来(返)乡记录',
    fields: [
      f('kind', '类型', 'choice', ['返乡', '来访'], { default: '返乡' }),
      f('arrival_date', '来(返)乡日期', 'date', undefined, { required: true }),
      f('origin', '出发地', 'text', 200),
      f('transport', '交通工具', 'choice', ['飞机', '自驾车']),
      f('host_person_id', '受访人', 'reference', undefined, { hint: '来访：被访问的本村人员' }),
      f('note', '备注', 'text', 500),
    ],
  },
  {
    kind: 'health_check',
    label: '健康监测记录',
    fields: [
      f('check_date', '监测日期', 'date', undefined, { required: true }),
      f('am_temperature', '上午体温', 'temperature'),
      f('pm_temperature', '下午体温', 'temperature'),
      f('symptoms', '症状', 'symptoms', undefined, { hint: '发热、干咳、乏力、咽痛、嗅(味)觉减退、腹泻，或 无' }),
    ],
  },
  {
    kind: 'test',
    label: '核酸/抗原检测',
    fields: [
      f('kind', '检测类型', 'choice', ['核酸', '抗原'], { default: '核酸' }),
      f('sample_date', '采样日期', 'date', undefined, { required: true }),
      f('site', '检测点', 'text', 100),
      f('result', '结果', 'choice', ['阴性', '阳性', '未出'], { default: '未出' }),
    ],
  },
  {
    kind: 'case',
    label: '病例',
    fields: [
      f('kind', '病例类型', 'choice', ['确诊', '无症状感染者', '疑似'], { default: '确诊' }),
      f('reported_date', '报告日期', 'date', undefined, { required: true }),
    ],
  },
  {
    kind: 'contact',
    label: '密接/次密接',
    fields: [
      f('level', '接触类型', 'choice', ['密接', '次密接', '一般接触'], { default: '密接' }),
      f('contact_way', '接触方式', 'text', 100),
      f('relation', '与病人关系', 'choice', ['家庭成员', '同事', '其他']),
      f('last_contact_date', '最后接触日期', 'date'),
      f('found_date', '发现日期', 'date', undefined, { hint: '空着按今天' }),
      f('note', '备注', 'text', 500),
    ],
  },
  {
    kind: 'isolation',
    label: '隔离/健康监测',
    fields: [
      f('kind', '隔离方式', 'choice', ['居家隔离医学观察', '集中隔离', '居家健康监测'], { default: '居家隔离医学观察' }),
      f('start_date', '开始日期', 'date', undefined, { required: true }),
      f('planned_end_date', '计划解除日期', 'date', undefined, { hint: '空着按 14 天（健康监测 7 天）算' }),
    ],
  },
  {
    kind: 'visit_note',
    label: '走访记录',
    fields: [
      f('visit_date', '走访日期', 'date', undefined, { required: true }),
      f('method', '方式', 'choice', ['入户', '电话'], { default: '入户' }),
      f('situation', '情况', 'text', 500),
    ],
  },
];
