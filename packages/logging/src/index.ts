export { createLogger, redactPaths, type Logger, type LoggerSettings } from './create-logger.ts';
