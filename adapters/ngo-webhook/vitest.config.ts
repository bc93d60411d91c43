import { polkuVitestConfig } from '../../vitest.shared';
// Unit-only: the conformance suite runs against the stand-in on a loopback port, no broker.
export default polkuVitestConfig();
