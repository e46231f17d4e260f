export { catalogue, errorCodes, specOf, type ErrorCode, type ErrorSpec } from './catalogue.ts';
export { VigilError, isVigilError, dependencyUnavailable, toErrorBody, type ErrorDetails } from './vigil-error.ts';
export { causeChain, kafkaRefusal, isRedisOutage, isPostgresOutage, isSearchOutage, isSearchOutageStatus, type KafkaRefusal } from './failure-cause.ts';
