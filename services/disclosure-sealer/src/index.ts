export { startSealer, type RunningSealer, type SealerOptions } from './sealer';
export { startCheckpointer, type Checkpointer, type CheckpointerOptions } from './checkpointer';
export { sealRecord, type SealOutcome } from './seal-record';
export { sealerSettings, loadSealerConfig, type SealerConfig } from './config';
