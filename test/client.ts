/** A small client of the backbone's HTTP interfaces, as a connected sector system uses them. */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(method: string, url: string, options: { key?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; redirect?: 'follow' | 'manual' } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers['x-api-key'] = options.key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), ...(options.signal ? { signal: options.signal } : {}), redirect: options.redirect ?? 'follow' });
  const text = await res.text();
  // Every answer is JSON but a text one (Prometheus `/metrics`), which stays text.
  const isText = (res.headers.get('content-type') ?? '').startsWith('text/');
  return { status: res.status, headers: res.headers, body: !text ? undefined : isText ? text : JSON.parse(text) };
}
