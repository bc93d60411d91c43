/** What a service's `/health/ready` said: its status and the checks not up, or why there was no answer. */
export type ReadinessAnswer = { status: number; down: string[] } | { unreachable: 'no answer within 2 s' | 'connection failed' };

/** Asks one service for its readiness, two seconds at most (the alerts and the overview both ask). */
export async function askReadiness(url: string): Promise<ReadinessAnswer> {
  try {
    const answer = await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(2000) });
    const body = (await answer.json().catch(() => ({}))) as { checks?: Record<string, string> };
    return { status: answer.status, down: Object.entries(body.checks ?? {}).filter(([, state]) => state !== 'up').map(([name]) => name) };
  } catch (error) {
    return { unreachable: (error as Error).name === 'TimeoutError' ? 'no answer within 2 s' : 'connection failed' };
  }
}
