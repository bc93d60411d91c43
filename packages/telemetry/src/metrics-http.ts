import { counter, DURATION_BUCKETS, histogram } from './metrics-registry';

const requests = counter({
  name: 'polku_http_requests_total',
  help: 'HTTP requests answered, by route pattern (never the raw URL), method and status code.',
  labelNames: ['method', 'route', 'status'] as const,
});

const durations = histogram({
  name: 'polku_http_request_duration_seconds',
  help: 'Time from receiving an HTTP request to answering it, by route pattern, method and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: DURATION_BUCKETS,
});

export interface HttpObservation {
  method: string;
  /** The route's pattern (`/v1/referrals/:id`); a request that matched no route passes `unmatched`. */
  route: string;
  status: number;
  seconds: number;
}

/** Counts one answered request and its duration. */
export function observeHttpRequest(observation: HttpObservation): void {
  const labels = { method: observation.method, route: observation.route, status: String(observation.status) };
  requests.inc(labels);
  durations.observe(labels, observation.seconds);
}
