import type { Alert } from '@vigil/contracts';
import { isAlertFieldName, type AlertFieldName } from './alert-fields.ts';
import { aliasedField } from './field-mappings.ts';

export type FieldValue = string | number;
export type FieldAccessor = (alert: Alert) => FieldValue | undefined;

const labelPrefix = 'labels.';

const ownField =
  (field: AlertFieldName): FieldAccessor =>
  (alert) =>
    alert[field] ?? undefined;

/** A label with an empty value is absent, as the mappers treat an empty sensor string as missing. */
function labelValue(alert: Alert, name: string): string | undefined {
  const value = alert.labels[name];
  // typeof guards names such as `constructor` that an object inherits but no sensor set.
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const labelOnly =
  (name: string): FieldAccessor =>
  (alert) =>
    labelValue(alert, name);

const labelThenField =
  (name: string, field: AlertFieldName): FieldAccessor =>
  (alert) =>
    labelValue(alert, name) ?? alert[field] ?? undefined;

/**
 * Resolves a Sigma field name once, at rule compile time, into an accessor. Lookup order: a
 * Vigil field; then the label of that name (or `labels.<name>` spelled out); then the alias
 * table. The label is consulted before the alias per alert, since labels differ between alerts.
 */
export function fieldAccessor(name: string): FieldAccessor {
  if (isAlertFieldName(name)) return ownField(name);
  if (name.startsWith(labelPrefix)) return labelOnly(name.slice(labelPrefix.length));
  const aliased = aliasedField(name);
  return aliased === undefined ? labelOnly(name) : labelThenField(name, aliased);
}

/** One-off lookup; rules use {@link fieldAccessor} so the name is resolved once, not per alert. */
export function lookupField(alert: Alert, name: string): FieldValue | undefined {
  return fieldAccessor(name)(alert);
}
