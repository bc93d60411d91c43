import type { fi } from './fi';

/** The shape every language's catalogue has: fi.ts's keys, each a string or a function making one. */
export type Messages = { [K in keyof typeof fi]: (typeof fi)[K] extends (...args: infer A) => string ? (...args: A) => string : string };
