export { FAULTS, type Fault, type FaultContext } from './faults';
export { runScenario, chaosMarkdown, type ChaosRow } from './scenario';
export { watchFlow } from '../flow-watch';
export { recordConsents } from '../record-consents';
export { BENCH_ORGANISATIONS, referralSequence } from '../referral-mix';
export { personAssertions } from '../person-assertions';
