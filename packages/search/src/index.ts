export { createSearchClient, searchClientOptions, isOutage, searchCall, searchHealthy, type SearchClient } from './search-client.ts';
export { ALERT_INDEX_PATTERN, ALERT_INDEX_PREFIX, INCIDENT_INDEX, alertIndexFor } from './index-names.ts';
export { REFRESH_INTERVAL, ensureIndexTemplates, alertMappings, incidentMappings } from './templates.ts';
export { defaultIndexLayout, indexLayoutSchema, layoutOfTemplate, parseIndexLayout, type IndexLayout } from './index-layout.ts';
export { bulkWrite, type BulkOp, type BulkItemResult } from './bulk-write.ts';
export { createIndexGuard, type IndexGuard } from './index-guard.ts';
export { scanAlerts, countAlerts, alertOfDocument, type AlertScan } from './alert-scan.ts';
export { deleteExpiredAlertIndices, expiredAlertIndices } from './retention.ts';
