export { eventually } from './eventually';
export { uniqueChildIdentityCode } from './test-children';
