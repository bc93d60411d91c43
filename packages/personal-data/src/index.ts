export { parseIdentityCode, syntheticIdentityCode, checkCharacter, type IdentityCode } from './identity-code';
export { ageBandOf, ageInYears, type AgeBand } from './age-band';
export { subjectRefOf } from './subject-ref';
export { sqlVault, sealRecord, openRecord, type Vault, type VaultRead } from './vault';
export { parseVaultKeys, type VaultKeyRing } from './vault-keys';
export { rotateVault, vaultKeyUsage, type RotationProgress } from './vault-rotation';
