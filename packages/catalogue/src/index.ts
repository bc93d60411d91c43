export { SERVICE_KINDS, type AgeRange, type Catalogue, type LocalisedName, type Municipality, type Organisation, type Service, type ServiceKind } from './catalogue';
export { loadCatalogue, parseCatalogue, KESKI_SUOMI_CATALOGUE } from './load-catalogue';
export { SetupFileInvalid } from './setup-errors';
// For other declarative setup files (routing rules) read the same way:
export { schemaCheck, type SchemaCheck } from './schema-validator';
export { readJsonFile } from './read-json-file';
export { deepFreeze } from './deep-freeze';
