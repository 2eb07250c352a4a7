import { describe, expect, it } from 'vitest';
import { barWidth, formatDuration, formatShare, isLevel, presetPeriod, weekLabel } from './health';

describe('health helpers', () => {
  it.each([
    [null, '–'],
    [12.4, '12 min'],
    [90, '1.5 h'],
    [60 * 30, '30 h'],
    [60 * 24 * 3.25, '3.3 days'],
    [60 * 24 * 40, '40 days'],
  ])('formatDuration(%s) = %s', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
  });

  it('formats shares, week labels, bar widths and levels', () => {
    expect(formatShare(0.756)).toBe('76%');
    expect(formatShare(null)).toBe('–');
    expect(weekLabel('2026-03-02')).toBe('Mar 2');
    expect([barWidth(0, 10), barWidth(1, 1000), barWidth(5, 10)]).toEqual([0, 2, 50]);
    expect([isLevel('core'), isLevel('guru'), isLevel(null)]).toEqual([true, false, false]);
  });

  it('turns a preset into whole weeks ending with today (a Wednesday)', () => {
    expect(presetPeriod('4w', new Date('2026-03-18T10:00:00Z'))).toEqual({ from: '2026-02-23', to: '2026-03-18' });
    expect(presetPeriod('12w', new Date('2026-03-18T10:00:00Z'))).toEqual({ from: '2025-12-29', to: '2026-03-18' });
  });
});
