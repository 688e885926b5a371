/**
 * The fields New Self-Signed… and New Request… share, checked in words as the operator
 * types, and turned into the contract's NewKeyOptions. Pure functions, so the rules are
 * unit-tested apart from the dialogs.
 */
import type { NewKeyOptions } from '../../core/api/contract';
import { buildDistinguishedName, type SubjectFields } from './distinguished-name';

export type KeyType = 'RSA' | 'EC';

export interface KeyForm extends SubjectFields {
  mqName: string;
  label: string;
  keyType: KeyType;
  keySize: string;
  sigAlg: string;
  validityDays: string;
  sans: string;
  ca: boolean;
}

export const keySizes: Record<KeyType, { value: string; text: string }[]> = {
  RSA: [
    { value: '2048', text: '2048 bits' },
    { value: '3072', text: '3072 bits' },
    { value: '4096', text: '4096 bits' },
  ],
  EC: [
    { value: '256', text: 'P-256 (256 bits)' },
    { value: '384', text: 'P-384 (384 bits)' },
    { value: '521', text: 'P-521 (521 bits)' },
  ],
};

/** runmqakm's -sig_alg spellings, so what the class sees here is what IBM's pages show. */
export const signatureAlgorithms: Record<KeyType, string[]> = {
  RSA: ['SHA256WithRSA', 'SHA384WithRSA', 'SHA512WithRSA'],
  EC: ['EC_ecdsa_with_SHA256', 'EC_ecdsa_with_SHA384', 'EC_ecdsa_with_SHA512'],
};

export function emptyKeyForm(): KeyForm {
  return {
    mqName: '',
    label: '',
    cn: '',
    ou: '',
    o: '',
    l: '',
    st: '',
    c: '',
    keyType: 'RSA',
    keySize: '2048',
    sigAlg: 'SHA256WithRSA',
    validityDays: '365',
    sans: '',
    ca: false,
  };
}

/** The label IBM MQ looks for when CERTLABL is blank: ibmwebspheremq + name, lower case. */
export function mqLabelFor(name: string): string {
  const trimmed = name.trim();
  return trimmed === '' ? '' : `ibmwebspheremq${trimmed.toLowerCase()}`;
}

export function withKeyType(form: KeyForm, keyType: KeyType): KeyForm {
  return { ...form, keyType, keySize: keySizes[keyType][0]!.value, sigAlg: signatureAlgorithms[keyType][0]! };
}

export type KeyFormErrors = Partial<Record<keyof KeyForm, string>>;

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ipv6 = /^[0-9a-f:]+$/i;
const hostName = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const email = /^[^\s@]+@[^\s@]+$/;

export interface ParsedSans {
  dns: string[];
  ip: string[];
  email: string[];
  wrong: string[];
}

/** One name per line or comma-separated; "DNS:", "IP:" and "email:" prefixes as openssl writes them are accepted. */
export function parseSubjectAltNames(text: string): ParsedSans {
  const parsed: ParsedSans = { dns: [], ip: [], email: [], wrong: [] };
  for (const raw of text.split(/[\s,]+/).filter(Boolean)) {
    const prefixed = /^(dns|ip|email):(.*)$/i.exec(raw);
    const kind = prefixed?.[1]!.toLowerCase();
    const value = prefixed ? prefixed[2]! : raw;
    if ((kind === undefined || kind === 'ip') && (ipv4.test(value) || (value.includes(':') && ipv6.test(value)))) parsed.ip.push(value);
    else if ((kind === undefined || kind === 'email') && email.test(value)) parsed.email.push(value);
    else if ((kind === undefined || kind === 'dns') && hostName.test(value)) parsed.dns.push(value.toLowerCase());
    else parsed.wrong.push(raw);
  }
  return parsed;
}

/** RFC 5280's upper bounds: longer values are refused by OpenSSL and other peers. */
const maxLength: [keyof SubjectFields, string, number][] = [
  ['cn', 'Common name', 64],
  ['o', 'Organization', 64],
  ['ou', 'Organizational unit', 64],
  ['l', 'Locality', 128],
  ['st', 'State or province', 128],
];

export interface KeyFormContext {
  /** Labels already in the store, any kind: GSKit labels are unique, compared without case. */
  existingLabels: readonly string[];
  /** New Request: the CA sets the validity. */
  withValidity: boolean;
}

export function validateKeyForm(form: KeyForm, context: KeyFormContext): KeyFormErrors {
  const errors: KeyFormErrors = {};
  const label = form.label.trim();
  if (label === '') errors.label = 'Key label is required';
  else if (context.existingLabels.some((l) => l.toLowerCase() === label.toLowerCase())) errors.label = `The label “${label}” is already used in this key database`;
  if (form.mqName.trim() !== '' && !/^[A-Za-z0-9._%/-]{1,48}$/.test(form.mqName.trim())) {
    errors.mqName = 'A queue manager name is up to 48 letters, digits and . _ % / -';
  }
  if (form.cn.trim() === '') errors.cn = 'Common name (CN) is required';
  for (const [field, name, max] of maxLength) {
    if (form[field].trim().length > max) errors[field] = `${name} can be at most ${max} characters`;
  }
  if (form.c.trim() !== '' && !/^[A-Za-z]{2}$/.test(form.c.trim())) errors.c = 'Country must be two letters, such as GB or US';
  if (context.withValidity) {
    const days = Number(form.validityDays.trim());
    if (!/^\d+$/.test(form.validityDays.trim()) || days < 1 || days > 7300) errors.validityDays = 'Validity period must be a whole number of days from 1 to 7300';
  }
  const sans = parseSubjectAltNames(form.sans);
  if (sans.wrong.length > 0) {
    errors.sans = `${sans.wrong.map((w) => `“${w}”`).join(', ')} ${sans.wrong.length === 1 ? 'is not a host name, IP address or email address' : 'are not host names, IP addresses or email addresses'}`;
  }
  return errors;
}

export function toNewKeyOptions(form: KeyForm, withValidity: boolean): NewKeyOptions {
  const sans = parseSubjectAltNames(form.sans);
  const hasSans = sans.dns.length + sans.ip.length + sans.email.length > 0;
  return {
    label: form.label.trim(),
    dn: buildDistinguishedName(form),
    size: Number(form.keySize),
    sigAlg: form.sigAlg,
    ...(withValidity ? { validityDays: Number(form.validityDays.trim()) } : {}),
    ...(hasSans
      ? {
          subjectAltNames: {
            ...(sans.dns.length ? { dns: sans.dns } : {}),
            ...(sans.ip.length ? { ip: sans.ip } : {}),
            ...(sans.email.length ? { email: sans.email } : {}),
          },
        }
      : {}),
    ...(form.ca ? { ca: true } : {}),
  };
}
