export { disclosureLog, type DisclosureLog, type DisclosureLogOptions } from './disclosure-log';
export { signEvent, verifyEventSignature, verifyEntrySignature, verifyCheckpointSignature, SEALER_SOURCE, SIGNATURE_ATTRIBUTES, type SignatureCheck, type SignatureProblem } from './signing';
export { parseSigningKey, parsePublicKeyring, formatPublicKeyring, newSigningKey, type SigningKey, type PublicKeyring } from '@polku/service-kit';
export { canonicalBytes } from './canonical';
export { chainHash, entryOf, GENESIS_HASH } from './chain';
export { buildCheckpoint, CHECKPOINT_TYPE, type CheckpointData, type CheckpointInput, type SealedEntry } from './checkpoint';
export { verifyLog, type Finding, type FindingKind, type LogRecord, type PartitionSummary, type VerifyInput, type VerifyReport } from './verify-log';
export { readExport, writeExport, EXPORT_FORMAT, type DisclosureExport } from './export-file';
