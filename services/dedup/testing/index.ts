// The window cases shared by the reference model's unit test and the Lua script's integration test.
export { L, NOW, W, windowCases, type CaseEvent } from './window-cases.ts';
