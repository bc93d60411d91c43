import type { fi } from './fi';

type Entry<T> = T extends (...args: infer A) => string ? (...args: A) => string : T extends string ? string : { [K in keyof T]: Entry<T[K]> };

/** The shape every language's catalogue has: fi.ts's keys, each a string, a function making one, or a group of them. */
export type Messages = { [K in keyof typeof fi]: Entry<(typeof fi)[K]> };
