// Metrics (prom-client) and trace context; see the files beside this one.
export {};
export * from './metrics';
