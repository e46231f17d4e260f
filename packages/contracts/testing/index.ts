// Test data and contract checks for other packages' tests and the bench; not part of the runtime entry point.
export { sampleAlert } from './sample-alert.ts';
export { avroFields, type AvroField, type AvroKind } from './avro-fields.ts';
