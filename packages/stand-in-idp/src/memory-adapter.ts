import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Where the stand-in keeps its sessions, codes and tokens: in memory, gone when it stops, which is
 * what a stand-in wants. Its own, so oidc-provider does not warn that its development adapter is in use.
 */
export function memoryAdapter(): new (name: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly name: string) {}
    private key(id: string) {
      return `${this.name}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      if (payload.uid) store.set(`${this.name}:uid:${payload.uid}`, { payload: { ...payload, jti: id }, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      if (payload.userCode) store.set(`${this.name}:userCode:${payload.userCode}`, { payload: { ...payload, jti: id }, expiresAt: undefined });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      const byUid = live(`${this.name}:uid:${uid}`);
      return byUid?.jti ? live(this.key(byUid.jti)) : undefined;
    }
    async findByUserCode(userCode: string) {
      const byCode = live(`${this.name}:userCode:${userCode}`);
      return byCode?.jti ? live(this.key(byCode.jti)) : undefined;
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}
