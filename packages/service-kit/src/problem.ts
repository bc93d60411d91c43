import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDependencyFailure } from './dependency-failure';
import { PolkuError } from './errors';
import { requestTraceId } from './http-tracing';

/** One failing field of a request, as RFC 9457 problem details list them. */
export interface FieldProblem {
  /** JSON pointer to the field, e.g. `/child/identityCode`. */
  field: string;
  in: string;
  message: string;
}

/** What a handler says about a problem; `type` and `instance` are filled in. */
export interface ProblemInput {
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
  /** Extension members, e.g. the recipients a refusal concerns. */
  extensions?: Record<string, unknown>;
}

export interface Problem extends Omit<ProblemInput, 'extensions'> {
  type: string;
  instance: string;
  /** The request's trace: what an operator searches the logs (and traces) of every service for. */
  traceId: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `Retry-After` of a 503 whose error names no better time. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** `urn:polku:problem:<code in kebab case>`; every code is explained in docs/errors.md. */
export function problemType(code: string): string {
  return `urn:polku:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export function sendProblem(reply: FastifyReply, { extensions, ...problem }: ProblemInput): FastifyReply {
  const body: Problem = { type: problemType(problem.code), instance: reply.request.url.split('?')[0] ?? '', ...problem, ...extensions, traceId: requestTraceId(reply.request) };
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Thrown by handlers for field-level problems found after schema validation (e.g. an unknown code). */
export class RequestInvalid extends PolkuError {
  readonly errors: FieldProblem[];
  constructor(errors: FieldProblem[]) {
    super('VALIDATION_FAILED', describeFields(errors), { status: 400 });
    this.errors = errors;
  }
}

function describeFields(errors: FieldProblem[]): string {
  const fields = [...new Set(errors.map((e) => e.field || '(whole body)'))];
  return `${fields.length} field${fields.length === 1 ? ' is' : 's are'} invalid: ${fields.join(', ')}`;
}

interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fieldOf(e: AjvLikeError): string {
  if (e.keyword === 'required') return `${e.instancePath}/${String(e.params.missingProperty)}`;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String(e.params.additionalProperty)}`;
  return e.instancePath;
}

function fromValidation(error: FastifyError): FieldProblem[] {
  const where = error.validationContext ?? 'body';
  return (error.validation as AjvLikeError[]).map((e) => ({
    field: fieldOf(e),
    in: where,
    message: e.keyword === 'additionalProperties' ? 'is not allowed' : (e.message ?? e.keyword),
  }));
}

/** Every error a service answers with is problem+json; unexpected ones hide their text. */
export function registerProblemHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) {
      const errors = fromValidation(error);
      return sendProblem(reply, { status: 400, code: 'VALIDATION_FAILED', title: 'The request is not valid', detail: describeFields(errors), errors });
    }
    if (error instanceof RequestInvalid) {
      return sendProblem(reply, { status: 400, code: error.code, title: 'The request is not valid', detail: error.message, errors: error.errors });
    }
    if (error instanceof PolkuError && error.status) {
      // A dependency that is away: say when to come back, and log it (without the request) for operators.
      if (error.status === 503 || error.status === 429) reply.header('retry-after', String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
      if (error.status === 503) request.log.warn({ code: error.code, err: error.cause }, 'dependency unavailable');
      return sendProblem(reply, { status: error.status, code: error.code, title: titleFor(error.status), detail: error.message });
    }
    if (error.statusCode && error.statusCode < 500) {
      // Parser messages can quote the body back; say what is wrong without echoing it.
      const detail = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'The body is not valid JSON' : error.message;
      return sendProblem(reply, { status: error.statusCode, code: error.code ?? 'BAD_REQUEST', title: titleFor(error.statusCode), detail });
    }
    if (isDependencyFailure(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      reply.header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS));
      return sendProblem(reply, { status: 503, code: 'DEPENDENCY_UNAVAILABLE', title: titleFor(503), detail: 'A service this request needs is not available right now; nothing was changed. Retry shortly' });
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, { status: 500, code: 'INTERNAL', title: titleFor(500), detail: 'An unexpected error occurred; it has been logged.' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { status: 404, code: 'NOT_FOUND', title: titleFor(404), detail: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );
}

function titleFor(status: number): string {
  const titles: Record<number, string> = { 400: 'The request is not valid', 401: 'Not authenticated', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict', 413: 'Too large', 415: 'Unsupported media type', 429: 'Too many requests', 500: 'Internal error', 503: 'Unavailable' };
  return titles[status] ?? 'Error';
}
