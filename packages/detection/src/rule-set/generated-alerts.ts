import { deterministicId, severityScore, type Alert } from '@vigil/contracts';
import type { CompiledRuleSet } from './compile-rule-set.ts';

/** Label that marks an alert a Sigma detection rule generated, naming the alert it matched. */
export const GENERATED_FROM_LABEL = 'vigil.generated_from';

/**
 * Alerts of their own for the Sigma detection rules whose correlation asks for them
 * (`generate: true`): the matched alert's observables under the rule's id, title and
 * level. Ids are deterministic, so a redelivery generates nothing new. A generated alert
 * is never matched again (it would match the same rule for ever).
 */
export function generatedAlerts(set: CompiledRuleSet, alert: Alert): Alert[] {
  if (alert.labels[GENERATED_FROM_LABEL] !== undefined) return [];
  return set.detections
    .filter((route) => route.generate && route.detection.matches(alert))
    .map((route) => {
      const severity = route.level ?? alert.severity;
      return {
        ...alert,
        id: deterministicId('vigil.generated-alert', alert.tenant_id, route.key, alert.id),
        original_id: null,
        rule_id: route.key,
        rule_name: route.title,
        rule_category: 'sigma',
        severity,
        severity_score: severityScore[severity],
        labels: { ...alert.labels, [GENERATED_FROM_LABEL]: alert.id },
        raw: null,
        fingerprint: null,
        dedup_count: 1,
        first_seen: null,
        last_seen: null,
      };
    });
}
