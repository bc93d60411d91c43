import { polkuVitestConfig } from '../../vitest.shared';

export default polkuVitestConfig();
