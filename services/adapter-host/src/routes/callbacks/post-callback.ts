import type { SectorAdapter } from '@polku/adapter-kit';
import type { Bus } from '@polku/bus';
import { PolkuError } from '@polku/service-kit';
import type { FastifyInstance } from 'fastify';
import { callbackEvent } from '../../domain/callback-event';
import type { ReferralStore } from '../../store/referral-store';
import { keepRawJson } from './raw-json';

export interface CallbackRouteDeps {
  adapters: readonly SectorAdapter[];
  store: ReferralStore;
  bus: Bus;
  /** Where referral events go. @defaultValue TOPICS.referral */
  referralTopic: string;
}

const accepted = { type: 'object', required: ['eventId', 'type'], properties: { eventId: { type: 'string' }, type: { type: 'string' } } } as const;

/**
 * `POST /v1/adapters/<adapter id>/callbacks`, one route per adapter with its system's body
 * schema; an unknown adapter id is the usual 404. Signed by the system, not by an API key.
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
        const record = await deps.store.deliveryFor(action.referralId, adapter.id, action.deliveryId);
        if (!record) throw new PolkuError('CALLBACK_UNKNOWN_DELIVERY', `referral ${action.referralId} was not delivered through ${adapter.id}`, { status: 404 });
        const event = callbackEvent(action, record);
        await deps.bus.publish(deps.referralTopic, event);
        request.log.info({ eventId: event.id, eventType: event.type, referralId: action.referralId }, 'callback recorded');
        return reply.status(202).send({ eventId: event.id, type: event.type });
      },
    });
  }
}
