import { describe, expect, it } from 'vitest';
import { nextAlertState, type AlertCondition } from './alert-state';

const lagging = (active: boolean): AlertCondition => ({ kind: 'consumer-lag', about: 'router', active, forMs: 5 * 60_000, value: active ? 5000 : 0, threshold: 1000, detail: {} });
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 3, minute));

describe('an alert that must hold for some minutes', () => {
  it('is pending, then fires once the condition has held long enough, and keeps its since', () => {
    const first = nextAlertState(undefined, lagging(true), at(0))!;
    expect(first).toMatchObject({ state: 'pending', since: at(0).toISOString(), activeSince: at(0).toISOString() });
    const still = nextAlertState(first, lagging(true), at(4))!;
    expect(still).toMatchObject({ state: 'pending', since: at(0).toISOString() });
    const firing = nextAlertState(still, lagging(true), at(5))!;
    expect(firing).toMatchObject({ state: 'firing', since: at(5).toISOString(), activeSince: at(0).toISOString() });
    expect(nextAlertState(firing, lagging(true), at(9))).toMatchObject({ state: 'firing', since: at(5).toISOString() });
  });

  it('resolves when the condition stops, and starts counting again when it returns', () => {
    const firing = nextAlertState(nextAlertState(undefined, lagging(true), at(0))!, lagging(true), at(6))!;
    const resolved = nextAlertState(firing, lagging(false), at(7))!;
    expect(resolved).toMatchObject({ state: 'resolved', since: at(7).toISOString(), activeSince: null });
    expect(nextAlertState(resolved, lagging(false), at(8))).toMatchObject({ state: 'resolved', since: at(7).toISOString() });
    expect(nextAlertState(resolved, lagging(true), at(9))).toMatchObject({ state: 'pending', activeSince: at(9).toISOString() });
  });

  it('keeps nothing for a condition that never held, unless it is a baseline', () => {
    expect(nextAlertState(undefined, lagging(false), at(0))).toBeUndefined();
    expect(nextAlertState(undefined, { ...lagging(false), remember: true }, at(0))).toMatchObject({ state: 'resolved' });
  });

  it('fires at once when it needs no duration', () => {
    expect(nextAlertState(undefined, { ...lagging(true), forMs: 0 }, at(0))).toMatchObject({ state: 'firing' });
  });
});
