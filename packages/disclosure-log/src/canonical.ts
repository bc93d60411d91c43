import canonicalize from 'canonicalize';

/**
 * The RFC 8785 (JSON Canonicalization Scheme) form of a JSON value, as UTF-8 bytes: what a
 * signature and a chain hash are computed over, so that key order and whitespace, which a
 * database or a broker may change, never change either.
 */
export function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return Buffer.from(text, 'utf8');
}
