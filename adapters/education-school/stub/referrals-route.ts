// STAND-IN: the stub school system's intake, POST /referrals. Not a real school system.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { CallbackSignatureInvalid, verify } from '@polku/adapter-kit';
import type { SchoolReferral } from '../src/school-api';
import type { StubContext } from './stub-context';

/** Checks Polku's signature, records the attempt by idempotency key, answers as scripted. */
export function referralsRoute(app: FastifyInstance, stub: StubContext): void {
  app.post<{ Body: string }>('/referrals', async (request, reply) => {
    try {
      verify({ secret: stub.secret, body: request.body, headers: request.headers });
    } catch (error) {
      if (!(error instanceof CallbackSignatureInvalid)) throw error;
      stub.ledger.refusedSignatures += 1;
      return reply.status(401).send({ error: 'bad-signature' });
    }
    const referral = JSON.parse(request.body) as SchoolReferral;
    if (request.headers['idempotency-key'] !== referral.deliveryId) return reply.status(400).send({ error: 'idempotency-key-mismatch' });
    const isNew = !stub.ledger.deliveries.get(referral.deliveryId)?.externalRef;
    const traceparent = request.headers.traceparent;
    const answer = stub.ledger.answer(referral, typeof traceparent === 'string' ? traceparent : '');
    stub.logger.info({ deliveryId: referral.deliveryId, status: answer.status }, 'STAND-IN school system answered a delivery');
    if (answer.delayMs) await sleep(answer.delayMs);
    if (isNew && answer.status < 300) stub.onDelivered(referral.referralId);
    if (answer.retryAfter) void reply.header('retry-after', answer.retryAfter);
    return reply.status(answer.status).type('application/json').send(answer.body);
  });
}
