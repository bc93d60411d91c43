export { parseIdentityCode, syntheticIdentityCode, checkCharacter, type IdentityCode } from './identity-code';
export { ageBandOf, ageInYears, type AgeBand } from './age-band';
export { subjectRefOf } from './subject-ref';
export { redisVault, encryptRecord, decryptRecord, type Vault } from './vault';
