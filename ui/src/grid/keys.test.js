import { expect, test } from 'vitest';
import { expandSymptoms, expandTemperature, isFever } from './keys.js';

test('short temperature keys expand; anything else goes to the core as typed', () => {
  expect(['5', '37', '375', '36.8', '３６．６', '36.6℃', ' 8 ', '', 'abc', '3755', '36,8', '36。8'].map(expandTemperature)).toEqual([
    '36.5', '37.0', '37.5', '36.8', '36.6', '36.6', '36.8', '', 'abc', '3755', '36.8', '36.8',
  ]);
});

test('symptom keys become the words the core reads', () => {
  expect(['2', '23', '32', '0', '1', '干咳', '', '9'].map(expandSymptoms)).toEqual([
    '干咳', '干咳、乏力', '乏力、干咳', '无', '发热', '干咳', '', '9',
  ]);
  // 0 (无) with a symptom is a contradiction: sent as typed, for the core to refuse.
  expect(expandSymptoms('02')).toBe('02');
});

test('a fever is 37.3 or more', () => {
  expect([37.2, 37.3, '37.3', '', null, '36.5', 'x'].map(isFever)).toEqual([false, true, true, false, false, false, false]);
});
