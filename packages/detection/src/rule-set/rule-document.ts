import type { Severity } from '@vigil/contracts';
import type { CompiledDetection } from '../sigma/index.ts';
import type { CorrelationSpec } from '../correlation/correlation-spec.ts';

/** What every Sigma document carries, correlation or detection. */
export interface RuleMeta {
  /**
   * The rule's identity inside a tenant: its Sigma `id`, else its `name`, else a slug of
   * its title. Versions, references and incidents hang off this key.
   */
  readonly key: string;
  readonly id: string | null;
  readonly name: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly status: string | null;
  /** Sigma `level` mapped to Vigil's severities (`informational` is `info`). */
  readonly level: Severity | null;
  readonly tags: readonly string[];
  /** Kept and shown; never filters alerts, which come from many products. */
  readonly logsource: Readonly<Record<string, string>> | null;
}

export type RuleDocument =
  | (RuleMeta & { readonly kind: 'detection'; readonly detection: CompiledDetection })
  | (RuleMeta & { readonly kind: 'correlation'; readonly correlation: CorrelationSpec });

export type RuleKind = RuleDocument['kind'];
