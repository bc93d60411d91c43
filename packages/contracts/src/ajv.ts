import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * One Ajv for all Polku schemas. Strict mode stays on: a schema that trips it is fixed, not tolerated.
 * allErrors so a producer sees every problem of a message at once.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}
