import type { Severity } from '@vigil/contracts';
import type { CompiledDetection } from '../sigma/index.ts';
import type { CorrelationSpec } from './correlation-spec.ts';
import type { RuleSettings } from './rule-settings.ts';

/** Where the events of one `rules:` entry come from. */
export type EventSource =
  /** A Sigma detection rule of the tenant, run on every alert. */
  | { readonly kind: 'detection'; readonly key: string; readonly name: string | null; readonly id: string | null; readonly detection: CompiledDetection }
  /** The sensor's own detection: alerts whose rule_id (or rule_name) is the label. */
  | { readonly kind: 'alert-rule'; readonly label: string }
  /** Another correlation firing (chaining). */
  | { readonly kind: 'correlation'; readonly node: CorrelationNode };

/** A correlation rule compiled for one version, with its references resolved. */
export interface CorrelationNode {
  readonly key: string;
  readonly version: number;
  readonly name: string | null;
  readonly id: string | null;
  readonly title: string;
  readonly level: Severity | null;
  readonly tags: readonly string[];
  readonly spec: CorrelationSpec;
  readonly settings: RuleSettings;
  /** Window state is kept per rule version, so an edited rule starts clean. */
  readonly stateKey: string;
  /** One per `spec.rules` entry, same order. */
  readonly sources: readonly EventSource[];
  /** Correlations that consume this one's firings, and at which of their `rules:` entries. */
  readonly parents: ReadonlyArray<{ readonly node: CorrelationNode; readonly refIndex: number }>;
  /**
   * Only the outermost correlation of a chain raises incidents (Sigma: the referenced
   * rules are building blocks), unless a parent says `generate: true`.
   */
  readonly raisesIncidents: boolean;
}
