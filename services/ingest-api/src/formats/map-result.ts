import type { AlertDraft } from '@vigil/contracts';
import type { ErrorCode } from '@vigil/errors';

/** Everything a mapper may depend on besides its input; time is passed in so mappers stay pure. */
export interface MapContext {
  readonly now: number;
}

export type MapFailureCode = Extract<ErrorCode, 'ALERT_SCHEMA_INVALID' | 'ALERT_NOT_AN_ALERT' | 'ALERT_TIMESTAMP_INVALID'>;

export interface MapFailure<C extends ErrorCode = MapFailureCode> {
  readonly ok: false;
  readonly code: C;
  /** JSON path of the offending field (`alert.signature_id`, `evidences[0].src_endpoint.ip`); '' for the whole record. */
  readonly path: string;
  /** Written for the sensor author: names the field and says what would be accepted. */
  readonly message: string;
}

export interface MapSuccess {
  readonly ok: true;
  readonly draft: AlertDraft;
}

export type MapResult = MapSuccess | MapFailure;

export type Mapper = (input: unknown, ctx: MapContext) => MapResult;

export function failure(code: MapFailureCode, path: string, message: string): MapFailure {
  return { ok: false, code, path, message };
}
