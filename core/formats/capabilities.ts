/**
 * Which entries each format can hold, so a conversion names what would be lost before
 * anything is written.
 */
import type { Entry, StoreFormat } from '../model/key-store';

export function canHold(format: StoreFormat, entry: Entry): boolean {
  switch (entry.kind) {
    case 'personal':
      return true;
    case 'signer':
      // Only a CMS database records a signer kept with its trust disabled; elsewhere it
      // would become trusted, so it is named rather than carried.
      return entry.trusted !== false || format === 'cms';
    case 'request':
      return true; // in the .rdb beside the store, for every format (see store-writer)
    case 'secret':
      // Secret keys are carried sealed as read: neither CMS nor JCEKS makes new ones.
      return entry.source?.format === format;
    case 'unknown':
      return entry.source.format === format; // only its own writer can copy it back
  }
}

export function describeKind(entry: Entry): string {
  if (entry.kind === 'signer' && entry.trusted === false) return 'signer certificate with its trust disabled';
  return { personal: 'personal certificate', signer: 'signer certificate', request: 'certificate request', secret: 'secret key', unknown: 'uninterpreted entry' }[entry.kind];
}
