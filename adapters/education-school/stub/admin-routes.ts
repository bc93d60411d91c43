// STAND-IN: the stub school system's admin API for tests and the demo. Not a real school system.
import type { FastifyInstance } from 'fastify';
import type { ScriptedAnswer } from '@polku/adapter-kit/conformance';
import { SCHOOL_ACTIONS } from '../src/school-api';
import type { ActRequest } from './callback-body';
import type { StubContext } from './stub-context';

interface ScriptBody {
  answers: (number | ScriptedAnswer)[];
  /** Answer body for scripted non-2xx answers that give none. */
  body?: unknown;
}

export function adminRoutes(app: FastifyInstance, stub: StubContext): void {
  app.post<{ Body: string }>('/_stub/script', async (request, reply) => {
    const script = JSON.parse(request.body) as ScriptBody;
    if (!Array.isArray(script.answers)) return reply.status(400).send({ error: 'answers must be a list' });
    const answers = script.answers.map((a) => (typeof a === 'number' ? { status: a } : a));
    stub.ledger.setScript(answers, script.body === undefined ? undefined : JSON.stringify(script.body));
    return { scripted: answers.length };
  });

  app.get('/_stub/deliveries', async () => ({ deliveries: [...stub.ledger.deliveries.values()], refusedSignatures: stub.ledger.refusedSignatures }));

  app.post<{ Params: { id: string }; Body: string }>('/_stub/referrals/:id/act', async (request, reply) => {
    const act = JSON.parse(request.body || '{}') as ActRequest;
    if (!SCHOOL_ACTIONS.includes(act.action)) return reply.status(400).send({ error: `action must be one of ${SCHOOL_ACTIONS.join(', ')}` });
    const result = await stub.act(request.params.id, act);
    if (!result) return reply.status(404).send({ error: 'no delivery of that referral was taken' });
    return reply.status(result.status < 300 ? 200 : 502).send(result);
  });
}
