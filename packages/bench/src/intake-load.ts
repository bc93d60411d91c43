import type { PersonHeaders } from './person-assertions';
import autocannon from 'autocannon';
import type { BenchKeys, PreparedReferral, ReferralKind } from './referral-mix';

/** A referral the referral API accepted (202), with when it was sent and answered (epoch ms). */
export interface AcceptedReferral {
  id: string;
  kind: ReferralKind;
  sentAt: number;
  answeredAt: number;
}

export interface IntakeResult {
  seconds: number;
  /** Requests answered, whatever the answer. */
  answered: number;
  accepted: AcceptedReferral[];
  /** Latency of every answered request, ms (corrected for coordinated omission at a fixed rate). */
  latencyMs: { p50: number; p99: number; max: number };
  /** Answers other than 202 by status, and requests that got no answer at all. */
  errorsByStatus: Record<string, number>;
  connectionErrors: number;
  timeouts: number;
}

export interface IntakeLoad {
  url: string;
  keys: BenchKeys;
  sequence: readonly PreparedReferral[];
  /** The resident e-service's assertion for a self-referral's person (the backbone's stand-in). @defaultValue none */
  personHeaders?: PersonHeaders;
  connections: number;
  seconds: number;
  /** Requests per second across all connections; undefined: as fast as the API answers. */
  rate?: number;
}

interface RequestContext {
  kind?: ReferralKind;
  sentAt?: number;
}

/**
 * Drives `POST /v1/referrals` with autocannon, one request in flight per connection, cycling
 * through `sequence`. With one request in flight, a connection's context belongs to the request
 * on the wire, so each 202 is matched to its kind and the moment it was sent.
 */
export async function driveIntake(load: IntakeLoad): Promise<IntakeResult> {
  let next = 0;
  const accepted: AcceptedReferral[] = [];
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    pipelining: 1,
    timeout: 10,
    ...(load.rate === undefined ? {} : { overallRate: load.rate }),
    requests: [
      {
        method: 'POST',
        path: '/v1/referrals',
        setupRequest(request, context: RequestContext) {
          const prepared = load.sequence[next++ % load.sequence.length]!;
          context.kind = prepared.kind;
          context.sentAt = Date.now();
          return { ...request, headers: { 'content-type': 'application/json', 'x-api-key': load.keys[prepared.submitter], ...load.personHeaders?.(prepared) }, body: prepared.body };
        },
        onResponse(status, body, context: RequestContext) {
          if (status !== 202 || !context.kind || context.sentAt === undefined) return;
          accepted.push({ id: (JSON.parse(body) as { id: string }).id, kind: context.kind, sentAt: context.sentAt, answeredAt: Date.now() });
        },
      },
    ],
  });
  const errorsByStatus: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    if (status !== '202') errorsByStatus[status] = Number(count);
  }
  return {
    seconds: result.duration,
    answered: Object.values(result.statusCodeStats ?? {}).reduce((sum, { count }) => sum + Number(count), 0),
    accepted,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errorsByStatus,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
  };
}
