import { DEMO_PASSWORD, ONE_TIME_CODE } from '@polku/stand-in-idp';

/**
 * Signs in to the console's pages as a person of the stand-in identity provider, the way a
 * browser goes (the console, the provider's form, back to the console), keeping cookies per site.
 * @returns the `cookie` header that carries the session
 */
export async function signInToConsole(consoleUrl: string, username: string, code: string = ONE_TIME_CODE): Promise<string> {
  const jars = new Map<string, Map<string, string>>();
  const go = async (url: string, init: RequestInit = {}) => {
    const jar = jars.get(new URL(url).origin) ?? new Map<string, string>();
    jars.set(new URL(url).origin, jar);
    const answer = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of answer.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return answer;
  };
  const next = (answer: Response, from: string) => new URL(answer.headers.get('location')!, from).href;
  const start = `${consoleUrl}/ui/sign-in/start`;
  const atProvider = next(await go(start), start);
  const form = next(await go(atProvider), atProvider);
  let answer = await go(`${form}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password: DEMO_PASSWORD, code }).toString() });
  let url = `${form}/login`;
  while (!next(answer, url).startsWith(consoleUrl)) {
    url = next(answer, url);
    answer = await go(url);
  }
  const callback = next(answer, url);
  const back = await go(callback);
  if (back.status !== 303 || back.headers.get('location') !== '/ui/') throw new Error(`signing in as ${username} ended at ${back.status} ${back.headers.get('location')}`);
  const session = jars.get(new URL(consoleUrl).origin)!.get('polku_console');
  if (!session) throw new Error(`signing in as ${username} left no session cookie`);
  return `polku_console=${session}`;
}
