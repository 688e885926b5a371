/**
 * The JDK's own answer to "does this key open with this password?": keytool cannot export
 * a secret key, so a one-file Java program (run as source, Java 11+) loads the store and
 * calls KeyStore.getKey. Needs `java`; callers skip without it (hasTool('java')).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './peer-tools';

const SOURCE = `
import java.io.FileInputStream;
import java.security.Key;
import java.security.KeyStore;

public class GetKey {
  public static void main(String[] args) throws Exception {
    KeyStore store = KeyStore.getInstance(args[0]);
    try (FileInputStream in = new FileInputStream(args[1])) {
      store.load(in, args[2].toCharArray());
    }
    try {
      Key key = store.getKey(args[3], args[4].toCharArray());
      StringBuilder hex = new StringBuilder();
      for (byte b : key.getEncoded()) hex.append(String.format("%02x", b));
      System.out.println("key " + key.getAlgorithm() + " " + hex);
    } catch (Exception e) {
      System.out.println("refused " + e.getClass().getName());
    }
  }
}
`;

export type JavaKeyAnswer = { algorithm: string; hex: string } | { refused: string };

/** What `KeyStore.getInstance(type).getKey(alias, keyPassword)` gives for the store at `file`. */
export function javaGetKey(dir: string, type: 'JCEKS' | 'PKCS12' | 'JKS', file: string, storePassword: string, alias: string, keyPassword: string): JavaKeyAnswer {
  const program = join(dir, 'GetKey.java');
  writeFileSync(program, SOURCE);
  const out = runTool('java', ['-Duser.language=en', program, type, file, storePassword, alias, keyPassword]).toString('utf8').trim();
  const [word, a, b] = out.split(' ');
  return word === 'key' ? { algorithm: a!, hex: b! } : { refused: a ?? out };
}
