// The format fixtures, shared by the mappers' unit tests and the end-to-end format test.
export { loadFixtures, type ValidFixture } from './formats/load-fixtures.ts';
