import { z } from 'zod';
import { incidentStatuses, severities } from '@vigil/contracts';
import { alertFilterShape, many, time, timeOrder } from './alert-filters.ts';
import { parseWith } from './body-params.ts';
import { MAX_PAGE_SIZE } from './search-store.ts';

/** Sorts are a fixed menu; each ends with the id so paging has a total order. */
const alertSorts = {
  'event_time:desc': [{ event_time: { order: 'desc' } }, { id: { order: 'asc' } }],
  'event_time:asc': [{ event_time: { order: 'asc' } }, { id: { order: 'asc' } }],
  'severity_score:desc': [{ severity_score: { order: 'desc' } }, { event_time: { order: 'desc' } }, { id: { order: 'asc' } }],
  'dedup_count:desc': [{ dedup_count: { order: 'desc' } }, { event_time: { order: 'desc' } }, { id: { order: 'asc' } }],
  'received_time:desc': [{ received_time: { order: 'desc' } }, { id: { order: 'asc' } }],
} as const;
export type AlertSort = keyof typeof alertSorts;
export const alertSortOf = (key: AlertSort) => alertSorts[key];

const incidentSorts = {
  'last_seen:desc': [{ last_seen: { order: 'desc' } }, { id: { order: 'asc' } }],
  'first_seen:desc': [{ first_seen: { order: 'desc' } }, { id: { order: 'asc' } }],
  'alert_count:desc': [{ alert_count: { order: 'desc' } }, { last_seen: { order: 'desc' } }, { id: { order: 'asc' } }],
  'updated_at:desc': [{ updated_at: { order: 'desc' } }, { id: { order: 'asc' } }],
} as const;
export type IncidentSort = keyof typeof incidentSorts;
export const incidentSortOf = (key: IncidentSort) => incidentSorts[key];

const size = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50);
const cursor = z.string().min(1).max(8192).optional();
const text = z.string().min(1).max(256);

export const alertSearchSchema = z
  .object({ ...alertFilterShape, sort: z.enum(Object.keys(alertSorts) as [AlertSort, ...AlertSort[]]).default('event_time:desc'), size, cursor })
  .strict()
  .refine(timeOrder, { message: 'from must not be after to', path: ['from'] });
export type AlertSearch = z.infer<typeof alertSearchSchema>;

export const incidentSearchSchema = z
  .object({
    status: many(z.enum(incidentStatuses), 3).optional(),
    severity: many(z.enum(severities), 5).optional(),
    rule_id: many(text).optional(),
    assignee: text.optional(),
    unassigned: z.enum(['true']).optional(),
    from: time.optional(),
    to: time.optional(),
    sort: z.enum(Object.keys(incidentSorts) as [IncidentSort, ...IncidentSort[]]).default('last_seen:desc'),
    size,
    cursor,
  })
  .strict()
  .refine(timeOrder, { message: 'from must not be after to', path: ['from'] })
  .refine((p) => !(p.assignee && p.unassigned), { message: 'assignee and unassigned exclude each other', path: ['unassigned'] });
export type IncidentSearch = z.infer<typeof incidentSearchSchema>;

/** Parse a query string; unknown parameters are errors, so typos do not silently widen a search. */
export const parseParams = <S extends z.ZodTypeAny>(schema: S, query: unknown): z.infer<S> => parseWith(schema, query, 'QUERY_INVALID', 'parameter');

/** The parameters a cursor is bound to: everything but the cursor itself. */
export function boundParams<T extends { cursor?: string | undefined }>(p: T): Omit<T, 'cursor'> {
  const { cursor: _cursor, ...rest } = p;
  return rest;
}
