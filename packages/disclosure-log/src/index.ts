export { disclosureLog, type DisclosureLog, type DisclosureLogOptions } from './disclosure-log';
export {
  signEvent, verifyEventSignature, parseSigningKey, parsePublicKeyring, formatPublicKeyring, newSigningKey, SIGNATURE_ATTRIBUTES,
  type SigningKey, type PublicKeyring, type SignatureCheck, type SignatureProblem,
} from './signing';
export { canonicalBytes } from './canonical';
export { chainHash, entryOf, GENESIS_HASH } from './chain';
export { buildCheckpoint, CHECKPOINT_TYPE, type CheckpointData, type CheckpointInput, type SealedEntry } from './checkpoint';
export { verifyLog, type Finding, type FindingKind, type LogRecord, type PartitionSummary, type VerifyInput, type VerifyReport } from './verify-log';
export { readExport, writeExport, EXPORT_FORMAT, type DisclosureExport } from './export-file';
