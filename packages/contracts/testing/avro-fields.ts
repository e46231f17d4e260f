/** What an Avro field holds, as far as the record's other shapes (TS types, index mappings) care. */
export type AvroKind = 'string' | 'int' | 'long' | 'time' | 'map' | 'array';

export interface AvroField {
  readonly name: string;
  readonly kind: AvroKind;
  readonly nullable: boolean;
}

type AvroType = string | { type: string; logicalType?: string } | AvroType[];

function kindOf(type: AvroType): AvroKind {
  if (typeof type === 'string') {
    if (type === 'string' || type === 'int' || type === 'long') return type;
    throw new Error(`unexpected Avro type ${type}`);
  }
  if (Array.isArray(type)) throw new Error('nested union');
  if (type.type === 'long' && type.logicalType === 'timestamp-millis') return 'time';
  if (type.type === 'map' || type.type === 'array') return type.type;
  return kindOf(type.type);
}

/** The fields of an Avro record schema (JSON text), a `["null", T]` union read as nullable T. */
export function avroFields(schemaText: string): AvroField[] {
  const schema = JSON.parse(schemaText) as { fields: { name: string; type: AvroType }[] };
  return schema.fields.map(({ name, type }) => {
    if (!Array.isArray(type)) return { name, kind: kindOf(type), nullable: false };
    const rest = type.filter((t) => t !== 'null');
    if (rest.length !== 1 || rest.length === type.length) throw new Error(`field ${name}: only ["null", T] unions are used`);
    return { name, kind: kindOf(rest[0]!), nullable: true };
  });
}
