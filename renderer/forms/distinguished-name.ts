/**
 * The subject fields of New Self-Signed… and New Request… turned into the one DN string
 * the contract takes. Values are escaped as RFC 4514 says, so "Bank, Inc." stays one
 * Organization instead of silently becoming an O and a broken attribute, and a stray "+"
 * never makes a multi-valued RDN the operator did not ask for.
 */

export interface SubjectFields {
  cn: string;
  ou: string;
  o: string;
  l: string;
  st: string;
  c: string;
}

/** RFC 4514 section 2.4: the characters that must be escaped anywhere, and the ones only at the ends. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\"+,;<>=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Most specific first, as runmqakm's -dn and iKeyman's certificate text show it. */
const order: [keyof SubjectFields, string][] = [
  ['cn', 'CN'],
  ['ou', 'OU'],
  ['o', 'O'],
  ['l', 'L'],
  ['st', 'ST'],
  ['c', 'C'],
];

export function buildDistinguishedName(fields: SubjectFields): string {
  return order
    .map(([field, type]) => [type, fields[field].trim()] as const)
    .filter(([, value]) => value !== '')
    .map(([type, value]) => `${type}=${escapeDnValue(type === 'C' ? value.toUpperCase() : value)}`)
    .join(',');
}
