import type { SectorAdapter } from '@polku/adapter-kit';
import type { Database } from '@polku/db';
import { enqueue } from '@polku/outbox';
import { PolkuError } from '@polku/service-kit';
import { isValidTraceparent, withTrace } from '@polku/telemetry';
import type { FastifyInstance } from 'fastify';
import { callbackEvent } from '../../domain/callback-event';
import { referralStore } from '../../store/referral-store';
import { keepRawJson } from './raw-json';

export interface CallbackRouteDeps {
  adapters: readonly SectorAdapter[];
  /** The delivery ledger, and the outbox the event is written to. */
  db: Database;
  /** Where referral events go. @defaultValue TOPICS.referral */
  referralTopic: string;
}

const accepted = { type: 'object', required: ['eventId', 'type'], properties: { eventId: { type: 'string' }, type: { type: 'string' } } } as const;

/**
 * `POST /v1/adapters/<adapter id>/callbacks`, one route per adapter with its system's body
 * schema; an unknown adapter id is the usual 404. Signed by the system, not by an API key.
 * The event is written to the outbox and 202 answered once it is committed: accepted for good
 * while Kafka is away (the relay publishes it later), 503 DATABASE_UNAVAILABLE while PostgreSQL is.
 */
export async function callbackRoutes(app: FastifyInstance, deps: CallbackRouteDeps): Promise<void> {
  keepRawJson(app);
  for (const adapter of deps.adapters) {
    app.post(`/v1/adapters/${adapter.id}/callbacks`, {
      config: { public: true },
      schema: { summary: `Callback from the ${adapter.id} system`, security: [], body: adapter.callbacks.bodySchema, response: { 202: accepted } },
      // Before validation: an unsigned request learns nothing about the schema.
      preValidation: async (request) => adapter.callbacks.verify({ rawBody: request.rawBody ?? '', headers: request.headers }),
      handler: async (request, reply) => {
        const action = adapter.callbacks.toAction(request.body);
        const record = await referralStore(deps.db).deliveryFor(action.referralId, adapter.id, action.deliveryId);
        if (!record) throw new PolkuError('CALLBACK_UNKNOWN_DELIVERY', `referral ${action.referralId} was not delivered through ${adapter.id}`, { status: 404 });
        // The system's own trace when it sent one; else the trace the referral was delivered in.
        const continues = isValidTraceparent(request.headers.traceparent) ? undefined : record.traceparent;
        const event = continues ? withTrace(continues, () => callbackEvent(action, record)) : callbackEvent(action, record);
        // A repeated callback writes the same event id again; every consumer drops the copy.
        await deps.db.transaction((tx) => enqueue(tx, deps.referralTopic, event));
        request.log.info({ eventId: event.id, eventType: event.type, referralId: action.referralId }, 'callback recorded');
        return reply.status(202).send({ eventId: event.id, type: event.type });
      },
    });
  }
}
