import { expect, test } from 'vitest';
import { pastedRows } from './clipboard.js';

const clip = (data) => ({ getData: (type) => data[type] ?? '' });

test('tab-separated rows from Excel, with quoted cells and blank lines', () => {
  const text = '姓名\t上午体温\r\n张三\t36.5\r\n\r\n"李\t四"\t"第一行\n第二行"\r\n王五\t"说""好"""\r\n';
  expect(pastedRows(clip({ 'text/plain': text }))).toEqual([
    ['姓名', '上午体温'],
    ['张三', '36.5'],
    ['李\t四', '第一行\n第二行'],
    ['王五', '说"好"'],
  ]);
});

test('an HTML table when the program offers no text', () => {
  const html = '<table><tr><td>张三</td><td> 36.5 </td></tr><tr><td></td><td></td></tr></table>';
  expect(pastedRows(clip({ 'text/html': html }))).toEqual([['张三', '36.5']]);
});

test('nothing to paste', () => {
  expect(pastedRows(clip({}))).toEqual([]);
  expect(pastedRows(null)).toEqual([]);
});
