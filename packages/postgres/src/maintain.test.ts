import { describe, expect, it } from 'vitest';
import { maintenanceDue } from './maintain.ts';

describe('maintenanceDue (autovacuum default thresholds)', () => {
  it('vacuums past 50 + 20% dead rows and analyses past 50 + 10% changes', () => {
    expect(maintenanceDue({ live: 1000, dead: 250, modified: 0 })).toEqual({ vacuum: false, analyze: false });
    expect(maintenanceDue({ live: 1000, dead: 251, modified: 0 })).toEqual({ vacuum: true, analyze: false });
    expect(maintenanceDue({ live: 1000, dead: 0, modified: 151 })).toEqual({ vacuum: false, analyze: true });
    expect(maintenanceDue({ live: 0, dead: 50, modified: 50 })).toEqual({ vacuum: false, analyze: false });
  });
});
