export { enqueue, OUTBOX_CHANNEL } from './enqueue';
export { startRelay, type Relay, type RelayOptions } from './relay';
