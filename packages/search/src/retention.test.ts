import { describe, expect, it } from 'vitest';
import { expiredAlertIndices } from './retention.ts';

describe('alert index retention', () => {
  const now = Date.UTC(2025, 5, 10, 12);
  it('selects only daily alert indices whose day ended before the retention cut-off', () => {
    const names = ['vigil-alerts-2025.06.01', 'vigil-alerts-2025.06.02', 'vigil-alerts-2025.06.03', 'vigil-alerts-2025.06.10', 'vigil-incidents', 'vigil-alerts-2025.06.01-restored', 'vigil-alertsX2025.06.01', 'other-2001.01.01'];
    expect(expiredAlertIndices(names, 7, now)).toEqual(['vigil-alerts-2025.06.01', 'vigil-alerts-2025.06.02']);
  });
  it('deletes nothing when retention is disabled', () => {
    expect(expiredAlertIndices(['vigil-alerts-1999.01.01'], 0, now)).toEqual([]);
  });
});
