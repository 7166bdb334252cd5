// What the import wizard and the paste panel say about an import: the kinds of sheet a clerk
// can choose, the core's question when it cannot tell which kind a sheet is, and what a
// confirmed import would write.

/** Every kind of sheet the core imports, in the order a clerk meets them. */
export const TARGETS = [
  ['persons', '人员（户籍登记）'], ['arrivals', '来（返）乡人员'], ['isolations', '隔离与健康监测'], ['health_checks', '每日健康监测'],
  ['tests', '核酸检测'], ['vaccinations', '疫苗接种'], ['contacts', '密接与次密接'], ['checkpoint_checks', '卡口检查'],
];

/**
 * One answer to the core's "which kind of sheet is this?" (a `target_ambiguous` error): the
 * error's problem names the kind in `field` and says the rest in one line,
 * "每日健康监测（health_checks）：体温、姓名；缺少 监测日期". The line is taken apart so each part
 * gets its own place on the button; a line of another shape is kept whole in `text`.
 */
export function candidateOf(problem) {
  const target = problem.field;
  const line = problem.message || '';
  const marker = `（${target}）`;
  const at = line.indexOf(marker);
  const known = TARGETS.find(([key]) => key === target)?.[1] || target;
  if (at < 0) return { target, label: known, columns: [], missing: [], text: line };
  const rest = line.slice(at + marker.length);
  const lackAt = rest.indexOf('；缺少');
  const speaks = (lackAt >= 0 ? rest.slice(0, lackAt) : rest).replace(/^：/, '').trim();
  const lacks = lackAt >= 0 ? rest.slice(lackAt + 3).trim() : '';
  return {
    target,
    label: line.slice(0, at) || known,
    columns: speaks ? speaks.split('、') : [],
    missing: lacks ? lacks.split('、') : [],
    text: '',
  };
}

/**
 * Whether confirming would write anything: a record or person added or changed, a person put
 * on the review list, or a place created. Rows already in the ledger as the sheet has them,
 * and refused rows, write nothing.
 */
export function willWrite(report) {
  // The core says so itself (a row whose record was refused may still add its person).
  if (typeof report.writes === 'boolean') return report.writes;
  return report.inserted + report.updated + report.review > 0 || (report.places_created?.length || 0) > 0;
}

/** What confirming writes, for the confirm button: "新增 3，更新 1，新建地点 2". */
export function writeSummary(report) {
  const parts = [`新增 ${report.inserted}`, `更新 ${report.updated}`];
  if (report.review) parts.push(`待核对 ${report.review}`);
  if (report.places_created?.length) parts.push(`新建地点 ${report.places_created.length}`);
  return parts.join('，');
}

/** The sheet's column letter of a 0-based index (0 → A, 26 → AA), as Excel shows it. */
export function columnLetter(index) {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
