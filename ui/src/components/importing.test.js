// The small rules behind the import screens: the core's question taken apart into its
// answers, places grouped into a tree with their rows, and Excel's column letters.
import { expect, test } from 'vitest';
import { candidateOf, columnLetter, willWrite, writeSummary } from './importing.js';
import { itemsUnder, placeForest, placeTree, visibleLines } from './placeTree.js';

test('a candidate line is split into its kind, the columns for it and what it lacks', () => {
  expect(candidateOf({ field: 'health_checks', message: '每日健康监测（health_checks）：体温、姓名；缺少 监测日期、上午体温' })).toEqual({
    target: 'health_checks', label: '每日健康监测', columns: ['体温', '姓名'], missing: ['监测日期', '上午体温'], text: '',
  });
  expect(candidateOf({ field: 'tests', message: '核酸检测（tests）；缺少 采样日期' })).toMatchObject({ columns: [], missing: ['采样日期'] });
  expect(candidateOf({ field: 'persons', message: '人员（persons）' })).toMatchObject({ label: '人员', columns: [], missing: [] });
  // A line of another shape is kept whole, under the wizard's own name of the kind.
  expect(candidateOf({ field: 'contacts', message: '像是密接名单' })).toMatchObject({ label: '密接与次密接', text: '像是密接名单' });
});

test('places become a tree by township and village, each line with its rows', () => {
  const lines = placeTree([
    { path: '青山镇/石桥村/第11网格', level: '网格', rows: 4 },
    { path: '青山镇/石桥村/第2网格', level: '网格', rows: 3 },
    { path: '青山镇/白沙村', level: '村', rows: 7 },
  ]);
  expect(lines.map((l) => [l.depth, l.name, l.rows, Boolean(l.item)])).toEqual([
    [0, '青山镇', 14, false],
    [1, '白沙村', 7, true],
    [1, '石桥村', 7, false],
    // Numbered places in number order, not text order.
    [2, '第2网格', 3, true],
    [2, '第11网格', 4, true],
  ]);
  // A created village already counts the rows of the grids created under it.
  const created = placeTree([{ path: '石桥村', rows: 9 }, { path: '石桥村/第1网格', rows: 5 }]);
  expect(created.map((l) => l.rows)).toEqual([9, 5]);
});

test('a tree folds below its villages; a line opened or closed by the clerk is the other way', () => {
  const forest = placeForest([
    { path: '白水镇/东1村/第2网格', level: '网格', rows: 2 },
    { path: '白水镇/东1村/第1网格', level: '网格', rows: 5 },
    { path: '白水镇/西1村', level: '村', rows: 4 },
    { path: '白水镇/西1村/第1网格', level: '网格', rows: 3 },
  ]);
  expect(forest.map((n) => [n.name, n.rows, n.places])).toEqual([['白水镇', 11, 4]]);
  const shown = (toggled) => visibleLines(forest, new Set(toggled)).map((l) => [l.path, l.open]);
  expect(shown([])).toEqual([['白水镇', true], ['白水镇/东1村', false], ['白水镇/西1村', false]]);
  expect(shown(['白水镇/东1村'])).toEqual([
    ['白水镇', true], ['白水镇/东1村', true], ['白水镇/东1村/第1网格', false], ['白水镇/东1村/第2网格', false], ['白水镇/西1村', false],
  ]);
  expect(shown(['白水镇'])).toEqual([['白水镇', false]]);
  expect(itemsUnder(forest[0].children[0]).map((i) => i.rows)).toEqual([5, 2]);
});

test('what confirming writes, and whether it writes anything', () => {
  const report = { inserted: 0, updated: 0, review: 0, unchanged: 5, places_created: [] };
  expect(willWrite(report)).toBe(false);
  expect(willWrite({ ...report, places_created: [{ path: '河东村' }] })).toBe(true);
  expect(writeSummary({ ...report, inserted: 3, review: 1, places_created: [{ path: '河东村' }] })).toBe('新增 3，更新 0，待核对 1，新建地点 1');
});

test('column letters as Excel writes them', () => {
  expect([0, 2, 19, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'C', 'T', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
});
