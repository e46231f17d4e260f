// Test helpers of the detection engine, for tests outside the package (`@vigil/detection/testing`).
export { MIN, T0, alertAt, ruleSet, runAlerts } from './engine-support.ts';
