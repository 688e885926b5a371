/** The personal certificates of a store an exchange or a handshake can use, MQ's own label first. */
import type { OpenStore } from '../app-state';

export function personalLabels(store: OpenStore): string[] {
  const labels = store.view.entries.filter((e) => e.kind === 'personal' && e.hasPrivateKey).map((e) => e.label);
  return [...labels.filter((l) => l.startsWith('ibmwebspheremq')), ...labels.filter((l) => !l.startsWith('ibmwebspheremq'))];
}

export function labelOptions(store: OpenStore): { value: string; text: string }[] {
  const labels = personalLabels(store);
  return labels.length ? labels.map((l) => ({ value: l, text: l })) : [{ value: '', text: '(no personal certificate)' }];
}
