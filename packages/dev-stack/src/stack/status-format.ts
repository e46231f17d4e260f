import type { ComponentStatus } from './types.ts';

const HEADERS = ['COMPONENT', 'PORT', 'HEALTH', 'OWNER', 'DETAIL'] as const;

/** Plain-text table for terminals and CI logs (no colours: CI logs keep escape codes verbatim). */
export function formatStatus(statuses: readonly ComponentStatus[]): string {
  const rows = statuses.map((status) => [
    status.name,
    String(status.port),
    status.state,
    status.managed ? 'vigil' : status.state === 'up' ? 'external' : '-',
    // Multi-line details (log tails) belong in error output, not in a table cell.
    (status.detail ?? '').split('\n')[0] ?? '',
  ]);
  const table = [[...HEADERS], ...rows];
  const widths = HEADERS.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  return table
    .map((row) =>
      row
        .map((cell, column) => (column === 1 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
