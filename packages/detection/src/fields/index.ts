export { lookupField, fieldAccessor, type FieldValue, type FieldAccessor } from './field-lookup.ts';
export { alertFieldNames, isAlertFieldName, type AlertFieldName } from './alert-fields.ts';
export { sigmaFieldAliases, aliasedField } from './field-mappings.ts';
export { someAlertText, keywordFieldNames } from './alert-text.ts';
