export { createPool, poolConfig, inTransaction, postgresHealthy, type Pool, type PoolClient } from './pool.ts';
export { prepared, type PreparedStatement } from './prepared.ts';
export { adminUrlFor, migrate, type MigrateOptions } from './migrate.ts';
export { maintainTables, maintenanceDue, type MaintainOptions, type MaintainReport } from './maintain.ts';
