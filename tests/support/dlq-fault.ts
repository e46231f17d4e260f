import { withAdmin, type Kafka } from '@vigil/kafka';

// kafkajs' ConfigResourceTypes.TOPIC and ConfigSource.DYNAMIC_TOPIC_CONFIG; the enums are not
// visible to Node's ESM loader through kafkajs' CommonJS exports (see producer.ts).
const TOPIC_RESOURCE = 2;
const TOPIC_OVERRIDE = 1;

/** Small enough that no record batch, not even a dead letter trimmed to its envelope, fits. */
const REFUSING_LIMIT = '64';

export interface DlqFault {
  /** Make the topic refuse every write (a topic-level `max.message.bytes` no batch fits). */
  refuse(): Promise<void>;
  /** Put the topic's own overrides back exactly as they were. */
  restore(): Promise<void>;
}

interface Entry {
  readonly name: string;
  readonly value: string;
}

async function overridesOf(kafka: Kafka, topic: string): Promise<Entry[]> {
  const described = await withAdmin(kafka, (admin) => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic }] }));
  return described.resources.flatMap((r) => r.configEntries.filter((e) => e.configSource === TOPIC_OVERRIDE).map((e) => ({ name: e.configName, value: e.configValue })));
}

async function setOverrides(kafka: Kafka, topic: string, entries: readonly Entry[]): Promise<void> {
  // alterConfigs replaces a topic's whole override set: every kept override is passed again.
  await withAdmin(kafka, (admin) => admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configEntries: entries.map((e) => ({ name: e.name, value: e.value })) }] }));
}

/**
 * A DLQ that cannot be written, on the shared broker: the topic stays, but while refusing
 * the broker answers every produce to it with MESSAGE_TOO_LARGE. Anyone dead-lettering to
 * that topic meanwhile (another worker on the stack) is held the same way and resumes on
 * restore; keep the window short and always restore in a finally or afterAll.
 */
export function dlqFault(kafka: Kafka, topic: string): DlqFault {
  let saved: Entry[] | null = null;
  return {
    async refuse() {
      saved ??= await overridesOf(kafka, topic);
      await setOverrides(kafka, topic, [...saved.filter((e) => e.name !== 'max.message.bytes'), { name: 'max.message.bytes', value: REFUSING_LIMIT }]);
    },
    async restore() {
      if (saved === null) return;
      await setOverrides(kafka, topic, saved);
      saved = null;
    },
  };
}
