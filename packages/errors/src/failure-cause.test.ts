import { describe, expect, it } from 'vitest';
import { causeChain, isPostgresOutage, isRedisOutage, isSearchOutage, isSearchOutageStatus, kafkaRefusal } from './failure-cause.ts';

const named = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

describe('kafkaRefusal', () => {
  it.each([
    ['MESSAGE_TOO_LARGE', 'too-large'],
    ['RECORD_LIST_TOO_LARGE', 'too-large'],
    ['INVALID_RECORD', 'refused'],
    ['CORRUPT_MESSAGE', 'refused'],
  ])('finds %s inside kafkajs wrappers', (type, kind) => {
    const protocol = named('KafkaJSProtocolError', 'broker said no', { type, retriable: false });
    const wrapped = named('KafkaJSNonRetriableError', 'wrapped', { cause: protocol });
    expect(kafkaRefusal(wrapped)).toEqual({ kind, type });
  });

  it.each([
    ['a retriable protocol error', named('KafkaJSProtocolError', 'x', { type: 'NOT_LEADER_FOR_PARTITION', retriable: true })],
    ['a connection error', named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED')],
    ['retries exhausted over a timeout', named('KafkaJSNumberOfRetriesExceeded', 'x', { originalError: named('KafkaJSRequestTimeoutError', 'timeout') })],
    ['not an object', 'boom'],
  ])('is null for %s', (_, err) => {
    expect(kafkaRefusal(err)).toBeNull();
  });
});

describe('isRedisOutage', () => {
  it.each([
    ['a script that raised', named('ReplyError', 'ERR user_script:12: Script attempted to access nonexistent global variable'), false],
    ['WRONGTYPE inside a script', named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value script: 1f0e'), false],
    ['LOADING', named('ReplyError', 'LOADING Redis is loading the dataset in memory'), true],
    ['BUSY', named('ReplyError', 'BUSY Redis is busy running a script'), true],
    ['READONLY replica', named('ReplyError', "READONLY You can't write against a read only replica."), true],
    ['OOM', named('ReplyError', 'OOM command not allowed when used memory > maxmemory'), true],
    ['a closed connection', new Error('Connection is closed.'), true],
    ['a command timeout', new Error('Command timed out'), true],
    ['retries exhausted', named('MaxRetriesPerRequestError', 'Reached the max retries per request limit'), true],
  ])('%s → outage %s', (_, err, outage) => {
    expect(isRedisOutage(err)).toBe(outage);
  });
});

describe('isPostgresOutage', () => {
  it.each([
    ['admin shutdown 57P01', { code: '57P01', message: 'terminating connection due to administrator command' }, true],
    ['connection failure 08006', { code: '08006', message: 'x' }, true],
    ['too many connections 53300', { code: '53300', message: 'x' }, true],
    ['serialization failure', { code: '40001', message: 'x' }, true],
    ['refused socket', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, true],
    ['pg connection loss without code', new Error('Connection terminated unexpectedly'), true],
    ['unique violation', { code: '23505', message: 'duplicate key' }, false],
    ['invalid json', { code: '22P02', message: 'invalid input syntax for type json' }, false],
    ['a JS error without a code', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
  ])('%s → outage %s', (_, err, outage) => {
    expect(isPostgresOutage(err)).toBe(outage);
  });
});

describe('OpenSearch', () => {
  it.each([
    [429, true],
    [503, true],
    [502, true],
    [504, true],
    [500, false],
    [400, false],
  ])('item status %d → outage %s', (status, outage) => {
    expect(isSearchOutageStatus(status)).toBe(outage);
  });

  it.each([
    ['ConnectionError', named('ConnectionError', 'socket hang up'), true],
    ['a whole request answered 503', named('ResponseError', 'x', { meta: { statusCode: 503 } }), true],
    ['a whole request answered 400', named('ResponseError', 'x', { meta: { statusCode: 400 } }), false],
    ['credentials refused (401)', named('ResponseError', 'x', { meta: { statusCode: 401 } }), true],
    ['permission refused (403)', named('ResponseError', 'x', { meta: { statusCode: 403 } }), true],
    ['a TypeError', new TypeError('x'), false],
  ])('%s → outage %s', (_, err, outage) => {
    expect(isSearchOutage(err)).toBe(outage);
  });
});

describe('causeChain', () => {
  it('follows cause and originalError and stops on a cycle', () => {
    const inner = { message: 'inner' };
    const middle = { originalError: inner };
    const outer = { cause: middle };
    (inner as { cause?: unknown }).cause = outer;
    expect(causeChain(outer)).toEqual([outer, middle, inner]);
  });
});
