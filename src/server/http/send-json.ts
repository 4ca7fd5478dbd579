import type { FastifyReply } from 'fastify';

/**
 * Sends a body that is already JSON text. Fastify serializes only objects, so a route's response
 * schema still documents the shape but is not run again; the caller vouches for it (tests check).
 */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
