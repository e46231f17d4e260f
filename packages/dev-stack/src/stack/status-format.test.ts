import { describe, expect, it } from 'vitest';
import { formatStatus } from './status-format.ts';

describe('formatStatus', () => {
  it('aligns columns, right-aligns ports and names the owner', () => {
    const table = formatStatus([
      { name: 'postgres', port: 5432, state: 'up', managed: false, detail: 'system service' },
      { name: 'schema-registry', port: 8081, state: 'starting', managed: true, detail: 'pid 42, not answering yet' },
      { name: 'opensearch', port: 9200, state: 'down', managed: false },
    ]);
    expect(table).toBe(
      [
        'COMPONENT        PORT  HEALTH    OWNER     DETAIL',
        'postgres         5432  up        external  system service',
        'schema-registry  8081  starting  vigil     pid 42, not answering yet',
        'opensearch       9200  down      -',
      ].join('\n'),
    );
  });

  it('keeps only the first line of a multi-line detail', () => {
    const table = formatStatus([{ name: 'kafka', port: 9092, state: 'error', managed: false, detail: 'exited\n--- log ---\nboom' }]);
    expect(table.split('\n')).toHaveLength(2);
    expect(table).toContain('kafka      9092  error   -      exited');
  });

  it('prints just the header for no components', () => {
    expect(formatStatus([])).toBe('COMPONENT  PORT  HEALTH  OWNER  DETAIL');
  });
});
