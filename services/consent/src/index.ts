export { buildApp, type AppDeps } from './app';
export { startConsent, type ConsentDeps, type RunningConsent } from './start-consent';
export { consentReceipt, type ConsentReceipt } from './domain/receipt';
export { consentSettings, loadConsentConfig, type ConsentConfig } from './config';
