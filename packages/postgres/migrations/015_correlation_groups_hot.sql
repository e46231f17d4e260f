-- Correlate looks group rows up by (tenant_id, group_key = ANY(keys)) for every slice.
-- With the usual statistics every tenant is a most-common value, so a tenant that is new
-- since the last ANALYZE is estimated at one row, and PostgreSQL 15 then prefers to read
-- all of that tenant's rows through the primary key and filter them by key (costing the
-- key list as one index descent per key): a lookup of one busy host read 2,500 rows of a
-- fresh tenant, and would read millions of a large one until the next ANALYZE. With one
-- most-common value kept, an unlisted tenant is estimated at its share of the table and
-- the key list is always an index condition.
ALTER TABLE correlation_groups ALTER COLUMN tenant_id SET STATISTICS 1;
-- A busy group (a host or user many alerts share) has its row rewritten by nearly every
-- slice. Room left on each page lets PostgreSQL put the new version next to the old one
-- without new index entries (a HOT update, possible since correlate keeps the indexed
-- close_at unchanged where it can, services/correlate/src/group-state-store.ts); pages
-- written before this keep their layout until rows move.
ALTER TABLE correlation_groups SET (fillfactor = 70);
ANALYZE correlation_groups;
