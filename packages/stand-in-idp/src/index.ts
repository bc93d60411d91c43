export { ACR_MFA, ACR_PASSWORD, startStandInIdentityProvider, type StandInIdentityProvider, type StandInOptions } from './stand-in-idp';
export { DEMO_PASSWORD, DEMO_PEOPLE, ONE_TIME_CODE, type StandInPerson } from './people';
