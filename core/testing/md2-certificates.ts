/**
 * MD2-signed certificates for tests, as old GSKit databases carry them (VeriSign's Class
 * 1–3 Public Primary CA roots). OpenSSL 3 computes no MD2 and node-forge has none either,
 * so the digest is here (RFC 1319) and the signature is a PKCS#1 v1.5 block made with
 * node:crypto's privateEncrypt over the MD2 DigestInfo. The MD2 itself is checked against
 * the real VeriSign root, whose signature holds the MD2 of its own tbsCertificate.
 */
import { constants, privateEncrypt, type KeyObject } from 'node:crypto';
import { asn1, encodeDer, oidToDer, parseDer, toBinary, type Asn1 } from '../asn1/der';

/** RFC 1319's S table: "random" permutation constructed from the digits of pi. */
const S = [
  41, 46, 67, 201, 162, 216, 124, 1, 61, 54, 84, 161, 236, 240, 6, 19, 98, 167, 5, 243, 192, 199, 115, 140, 152, 147, 43, 217, 188, 76, 130, 202, 30, 155, 87, 60, 253, 212, 224, 22, 103, 66, 111, 24, 138, 23, 229, 18, 190, 78,
  196, 214, 218, 158, 222, 73, 160, 251, 245, 142, 187, 47, 238, 122, 169, 104, 121, 145, 21, 178, 7, 63, 148, 194, 16, 137, 11, 34, 95, 33, 128, 127, 93, 154, 90, 144, 50, 39, 53, 62, 204, 231, 191, 247, 151, 3, 255, 25, 48, 179,
  72, 165, 181, 209, 215, 94, 146, 42, 172, 86, 170, 198, 79, 184, 56, 210, 150, 164, 125, 182, 118, 252, 107, 226, 156, 116, 4, 241, 69, 157, 112, 89, 100, 113, 135, 32, 134, 91, 207, 101, 230, 45, 168, 2, 27, 96, 37, 173, 174, 176,
  185, 246, 28, 70, 97, 105, 52, 64, 126, 15, 85, 71, 163, 35, 221, 81, 175, 58, 195, 92, 249, 206, 186, 197, 234, 38, 44, 83, 13, 110, 133, 40, 132, 9, 211, 223, 205, 244, 65, 129, 77, 82, 106, 220, 55, 200, 108, 193, 171, 250,
  36, 225, 123, 8, 12, 189, 177, 74, 120, 136, 149, 139, 227, 99, 232, 109, 233, 203, 213, 254, 59, 0, 29, 57, 242, 239, 183, 14, 102, 88, 208, 228, 166, 119, 114, 248, 235, 117, 75, 10, 49, 68, 80, 180, 143, 237, 31, 26, 219, 153,
  141, 51, 159, 17, 131, 20,
];

export function md2(data: Uint8Array): Uint8Array {
  const pad = 16 - (data.length % 16);
  const message = new Uint8Array(data.length + pad + 16);
  message.set(data);
  message.fill(pad, data.length, data.length + pad);
  const blocks = (data.length + pad) / 16;
  // The checksum block, appended.
  let last = 0;
  const checksum = message.subarray(data.length + pad);
  for (let i = 0; i < blocks; i++) {
    for (let j = 0; j < 16; j++) {
      checksum[j]! ^= S[message[i * 16 + j]! ^ last]!;
      last = checksum[j]!;
    }
  }
  const x = new Uint8Array(48);
  for (let i = 0; i < blocks + 1; i++) {
    for (let j = 0; j < 16; j++) {
      x[16 + j] = message[i * 16 + j]!;
      x[32 + j] = x[16 + j]! ^ x[j]!;
    }
    let t = 0;
    for (let round = 0; round < 18; round++) {
      for (let k = 0; k < 48; k++) {
        x[k]! ^= S[t]!;
        t = x[k]!;
      }
      t = (t + round) & 0xff;
    }
  }
  return x.slice(0, 16);
}

const MD2_WITH_RSA = '1.2.840.113549.1.1.2';
const MD2 = '1.2.840.113549.2.2';
const U = asn1.Class.UNIVERSAL;

function algorithmIdentifier(oid: string): Asn1 {
  return asn1.create(U, asn1.Type.SEQUENCE, true, [asn1.create(U, asn1.Type.OID, false, oidToDer(oid)), asn1.create(U, asn1.Type.NULL, false, '')]);
}

/** The tbsCertificate of `der`, as its signature covers it. */
export function tbsOf(der: Uint8Array): Uint8Array {
  return encodeDer((parseDer(der).value as Asn1[])[0]!);
}

/**
 * `der` with its signature algorithm (in tbsCertificate and outside) made md2WithRSA and
 * its signature made anew by `signingKey` (RSA) over the MD2 DigestInfo — how a 1990s CA
 * signed. Everything else in the certificate stays as it was.
 */
export function resignWithMd2(der: Uint8Array, signingKey: KeyObject): Uint8Array {
  const [tbs] = parseDer(der).value as Asn1[];
  const fields = tbs!.value as Asn1[];
  const at = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  fields[at + 1] = algorithmIdentifier(MD2_WITH_RSA);
  const tbsDer = encodeDer(tbs!);
  const digestInfo = asn1.create(U, asn1.Type.SEQUENCE, true, [algorithmIdentifier(MD2), asn1.create(U, asn1.Type.OCTETSTRING, false, toBinary(md2(tbsDer)))]);
  const signature = privateEncrypt({ key: signingKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(encodeDer(digestInfo)));
  const certificate = asn1.create(U, asn1.Type.SEQUENCE, true, [tbs!, algorithmIdentifier(MD2_WITH_RSA), asn1.create(U, asn1.Type.BITSTRING, false, `\x00${toBinary(signature)}`)]);
  return encodeDer(certificate);
}
