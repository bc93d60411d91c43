import { describe, expect, it } from 'vitest';
import { knownEventTypes } from './validate-event';
import { topicForType } from './topics';

describe('topics', () => {
  it('gives every known event type a topic', () => {
    for (const type of knownEventTypes()) expect(topicForType(type)).toMatch(/^polku\./);
    expect(topicForType('fi.polku.consent.granted.v1')).toBe('polku.consent.events.v1');
    expect(topicForType('fi.polku.disclosure-checkpoint.sealed.v1')).toBe('polku.disclosure.checkpoints.v1');
  });

  it('refuses a type no topic carries', () => {
    expect(() => topicForType('fi.polku.weather.changed.v1')).toThrow(RangeError);
  });
});
