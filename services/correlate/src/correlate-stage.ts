import { topics, type Alert } from '@vigil/contracts';
import { classify, deferred, done, fail, type InputRecord, type Outcome, type StageHandler } from '@vigil/kafka';
import { inTransaction, postgresHealthy, type Pool, type PoolClient } from '@vigil/postgres';
import { MAX_ALERT_IDS, correlationDecision, joinIncident } from './correlation-core.ts';
import { lockIncident, markProcessed, saveIncidentChange } from './incident-store.ts';

const CONSUMER = 'correlate';

/**
 * Per alert: inbox row, incident change, outbox row. A redelivered alert finds its
 * inbox row and changes nothing, so it is never linked twice (I6). Incidents reach
 * Kafka through the outbox relay, not as stage outputs.
 */
export function createCorrelateHandler(pool: Pool): StageHandler {
  async function apply(client: PoolClient, alert: Alert, now: number): Promise<void> {
    if (!(await markProcessed(client, CONSUMER, alert.id))) return;
    const decision = correlationDecision(alert);
    if (decision.kind === 'ignore') return;
    const current = await lockIncident(client, decision.incidentId, MAX_ALERT_IDS);
    await saveIncidentChange(client, joinIncident(current, alert, decision, now), alert.id, alert.event_time, topics.incidents.name);
  }

  /**
   * One transaction per record, so a failure lands on the record that caused it. Records
   * behind a failure that will be retried are deferred, not applied: applied now, a later
   * alert would join its incident before the retried one (members and revisions out of
   * offset order). Behind a dead record (it goes to the DLQ now) the rest go on.
   */
  async function oneByOne(records: readonly InputRecord[], now: number): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const record of records) {
      try {
        await inTransaction(pool, (client) => apply(client, record.value as Alert, now));
        outcomes.push(done());
      } catch (err) {
        outcomes.push(fail(err));
        if (classify(err).kind === 'dead') continue;
        while (outcomes.length < records.length) outcomes.push(deferred());
        break;
      }
    }
    return outcomes;
  }

  return {
    healthy: () => postgresHealthy(pool),
    async handle(records, now) {
      // One transaction per slice, records in offset order: one commit (one fsync) for
      // hundreds of alerts. If it fails for a reason other than an outage, the slice is
      // redone record by record so one bad alert cannot take its neighbours down.
      try {
        await inTransaction(pool, async (client) => {
          for (const record of records) await apply(client, record.value as Alert, now);
        });
        return records.map(() => done());
      } catch (err) {
        if (classify(err).kind === 'dependency') return records.map(() => fail(err));
        return oneByOne(records, now);
      }
    },
  };
}
