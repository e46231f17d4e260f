export { enqueue, enqueueAll, enqueueAudit, lockIncident, lockIncidents, saveIncidentChange, type LockedIncident } from './incident-sql.ts';
export { transition, type IncidentAction, type TransitionResult, type WorkflowState } from './incident-transition.ts';
export { changeIncident, type WorkflowOutcome, type WorkflowTopics } from './incident-workflow.ts';
export { readIncidentRecord, readMembers, readRuleVersion, readTimeline, type IncidentRecord, type MemberCursor } from './incident-reads.ts';
export { saveIncidentChanges, type IncidentChange } from './incident-batch.ts';
export { claimPending, countAttempt, listDead, markDead, markPublished, outboxStats, retryDead, type DeadOutboxRow, type OutboxRow, type OutboxStats } from './outbox-store.ts';
