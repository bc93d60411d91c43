/** Every string of the console's pages in Finnish, the first language. en.ts must have the same keys. */
export const fi = {
  languageName: 'suomi',
  appTitle: 'Polku – operaattorin konsoli',
  skipToContent: 'Siirry sisältöön',
  signIn: 'Kirjaudu sisään',
  signOut: 'Kirjaudu ulos',
  signedInAs: (name: string) => `Kirjautuneena: ${name}`,
  roleOperator: 'operaattori',
  roleAuditor: 'tarkastaja',
  switchLanguage: 'In English',
  signInNeeded: 'Kirjaudu sisään organisaatiosi tunnistuspalvelulla. Konsoli vaatii monivaiheisen tunnistautumisen.',
  refusalMfaRequired: 'Kirjautumisessa ei käytetty monivaiheista tunnistautumista. Kirjaudu uudelleen kertakäyttökoodin kanssa.',
  refusalNoConsoleRole: 'Tunnuksellasi ei ole konsolin operaattori- tai tarkastajaroolia. Pyydä oikeudet organisaatiosi pääkäyttäjältä.',
  refusalSignInFailed: 'Kirjautuminen ei onnistunut tai vanhentui. Yritä uudelleen.',
  identityProviderUnavailable: 'Tunnistuspalvelu ei vastaa juuri nyt. Yritä hetken kuluttua uudelleen.',
  signInNotConfigured: 'Kirjautumista ei ole määritetty (POLKU_CONSOLE_OIDC_ISSUER).',
  signedOut: 'Olet kirjautunut ulos.',
} as const;
