export { eventually } from './eventually';
export { uniqueChildIdentityCode } from './test-children';
export { standInResidentEService, type StandInResidentEService, type PersonClaims } from './resident-e-service';
