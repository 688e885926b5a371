/** Format names as IBM's documentation and the file dialogs spell them. */
import type { StoreFormat } from '../core/model/key-store';

export const formatNames: Record<StoreFormat, string> = {
  cms: 'CMS',
  pkcs12: 'PKCS#12',
  jks: 'JKS',
  jceks: 'JCEKS',
  pkcs11: 'PKCS#11 token',
};
