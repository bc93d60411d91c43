import type { Messages } from './messages';

/** Every string of the console's pages in English; the same keys as fi.ts (the type says so). */
export const en: Messages = {
  languageName: 'English',
  appTitle: 'Polku – operators’ console',
  skipToContent: 'Skip to content',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedInAs: (name: string) => `Signed in as ${name}`,
  roleOperator: 'operator',
  roleAuditor: 'auditor',
  switchLanguage: 'Suomeksi',
  signInNeeded: 'Sign in with your organisation’s identity provider. The console requires multi-factor authentication.',
  refusalMfaRequired: 'Your sign-in did not use multi-factor authentication. Sign in again with your one-time code.',
  refusalNoConsoleRole: 'Your account has neither the operator nor the auditor role of the console. Ask your organisation’s administrator.',
  refusalSignInFailed: 'The sign-in did not succeed or took too long. Please try again.',
  identityProviderUnavailable: 'The identity provider does not answer right now. Try again in a moment.',
  signInNotConfigured: 'Sign-in is not configured (POLKU_CONSOLE_OIDC_ISSUER).',
  signedOut: 'You have signed out.',
};
