import { sourceFormats, type SourceFormat } from '@vigil/contracts';
import { detectFormat } from './detect.ts';
import { mapEcs } from './ecs.ts';
import type { MapContext, MapFailure, Mapper, MapResult } from './map-result.ts';
import { mapOcsf } from './ocsf.ts';
import { mapSuricata } from './suricata.ts';
import { mapVigil } from './vigil.ts';
import { mapWazuh } from './wazuh.ts';
import { mapZeek } from './zeek.ts';

export { detectFormat } from './detect.ts';
export type { MapContext, MapFailure, MapFailureCode, Mapper, MapResult, MapSuccess } from './map-result.ts';
export { mapEcs, mapOcsf, mapSuricata, mapVigil, mapWazuh, mapZeek };

/** A Record, so adding a SourceFormat without a mapper fails to compile. */
const mappers: Readonly<Record<SourceFormat, Mapper>> = {
  vigil: mapVigil,
  suricata: mapSuricata,
  zeek: mapZeek,
  wazuh: mapWazuh,
  ecs: mapEcs,
  ocsf: mapOcsf,
};

export const supportedFormats: readonly SourceFormat[] = Object.freeze([...sourceFormats]);

export type AlertMapResult = MapResult | MapFailure<'ALERT_FORMAT_UNKNOWN'>;

/** Maps one parsed record; `auto` detects the format from the content first. */
export function mapAlert(format: SourceFormat | 'auto', input: unknown, ctx: MapContext): AlertMapResult {
  const resolved = format === 'auto' ? detectFormat(input) : format;
  if (resolved === null) {
    return {
      ok: false,
      code: 'ALERT_FORMAT_UNKNOWN',
      path: '',
      message: `the record matches none of the supported formats (${supportedFormats.join(', ')}); name it with the format parameter`,
    };
  }
  return mappers[resolved](input, ctx);
}
