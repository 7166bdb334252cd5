import { describe, expect, it } from 'vitest';
import { dateProblem, normalizeDate } from './ReportDateInput.vue';

describe('dates typed into a report field', () => {
  it('reads a full date however it is written', () => {
    for (const typed of ['2026-12-05', '2026/12/5', '2026.12.5', '2026年12月5日', '2026年12月5号']) {
      expect(normalizeDate(typed, '2026')).toBe('2026-12-05');
    }
  });

  it('reads month.day and 月日 in the ledger year, as the core does', () => {
    for (const typed of ['12.5', '12/5', '12月5日', '12-05', ' 12.5 ']) {
      expect(normalizeDate(typed, '2026')).toBe('2026-12-05');
    }
    expect(normalizeDate('1.23', '2027')).toBe('2027-01-23');
  });

  it('leaves what is not a date, an impossible day, or a short date without a year, as typed', () => {
    expect(normalizeDate('2.30', '2026')).toBe('2.30');
    expect(normalizeDate('12.5', '')).toBe('12.5');
    expect(normalizeDate('明天', '2026')).toBe('明天');
    expect(dateProblem(normalizeDate('12.5', ''))).not.toBe('');
  });
});
