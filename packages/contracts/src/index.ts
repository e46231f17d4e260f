export * from './alert.ts';
export * from './topics.ts';
export * from './ids.ts';
export { cutAtCodePoint } from './text.ts';
