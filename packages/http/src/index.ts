export { createHttpApp, principalOf, type HttpApp, type HttpAppOptions } from './http-app.ts';
export { toVigilError } from './error-mapping.ts';
export { exceedsDepth } from './json-depth.ts';
export { clientText } from './client-message.ts';
export { limitRate, type RateLimitRule } from './rate-limit.ts';
export type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
// The HTTP plugins services use, so only this package depends on Fastify's ecosystem.
export { default as swagger } from '@fastify/swagger';
