import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as sent; set on callback routes, whose signature covers these bytes. */
    rawBody?: string;
  }
}

/**
 * JSON parsing that keeps the raw text. Unparseable JSON is passed on as the string, so
 * the signature is checked first (401) and only then the schema refuses it (400).
 */
export function keepRawJson(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    request.rawBody = text;
    try {
      done(null, text === '' ? undefined : JSON.parse(text));
    } catch {
      done(null, text);
    }
  });
}
