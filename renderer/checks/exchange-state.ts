/**
 * Exchange mode's results, shown under the two stores: the last Exchange Signers checklist
 * and the last Test Connection report, for the pair they were made for, and each side's
 * role (queue manager or client) as the trainer set it.
 *
 * The results are judged again against the stores as they are now: a signer deleted after
 * the exchange turns its step into "Missing now", and a test run before a change is shown
 * as out of date, so the panel never says "Already there" beside a failure it explains.
 */
import { create } from 'zustand';
import type { EntrySummary, ExchangeStep, HandshakeReport, MqRole } from '../../core/api/contract';
import type { OpenStore } from '../app-state';

export interface ExchangeRun {
  aStoreId: string;
  bStoreId: string;
  aLabel: string;
  bLabel: string;
  /** The roles the enable steps were worded for. */
  roles: { a: MqRole; b: MqRole };
  steps: ExchangeStep[];
}

export interface ConnectionTest {
  aStoreId: string;
  bStoreId: string;
  /** Which side played the queue manager (the TLS server). */
  serverSide: 'A' | 'B';
  serverLabel: string;
  clientLabel: string;
  report: HandshakeReport;
  /** The queue manager channel's SSLPEER, when one was given, judged against the client's certificate. */
  sslPeer?: SslPeerVerdict;
  /** Both stores' entries when the test ran (see entriesStamp). */
  stamp: string;
}

export interface SslPeerVerdict {
  filter: string;
  matches: boolean;
  /** Why not: the first mismatch, or why MQ refuses the value itself. */
  reason?: string;
}

interface ExchangeState {
  exchange?: ExchangeRun;
  connection?: ConnectionTest;
  /** Per store id, as the trainer chose; unset, roleOf guesses. */
  roles: Record<string, MqRole>;
}

export const useExchangeState = create<ExchangeState>(() => ({ roles: {} }));

export function forPair<T extends { aStoreId: string; bStoreId: string }>(run: T | undefined, aStoreId: string, bStoreId: string): T | undefined {
  return run && run.aStoreId === aStoreId && run.bStoreId === bStoreId ? run : undefined;
}

/**
 * The role the trainer chose, else a guess: beside a PKCS#12 or JKS store (an application's),
 * a CMS key.kdb is the queue manager's; two of a kind make A the queue manager.
 */
export function roleOf(roles: Record<string, MqRole>, store: OpenStore, side: 'A' | 'B', other?: OpenStore): MqRole {
  const chosen = roles[store.view.storeId];
  if (chosen) return chosen;
  if (other && (store.view.format === 'cms') !== (other.view.format === 'cms')) return store.view.format === 'cms' ? 'queue manager' : 'client';
  return side === 'A' ? 'queue manager' : 'client';
}

export function setRole(storeId: string, role: MqRole): void {
  useExchangeState.setState((s) => ({
    roles: { ...s.roles, [storeId]: role },
  }));
}

export const roleWords: Record<MqRole, string> = {
  'queue manager': 'Queue manager',
  client: 'Client',
};

/** What the stores held, to tell whether a result still describes them. */
export function entriesStamp(a: OpenStore, b: OpenStore): string {
  const one = (s: OpenStore) =>
    s.view.entries
      .map((e) => `${e.kind}:${e.label}:${e.sha256 ?? ''}:${e.trusted === false ? 0 : 1}`)
      .sort()
      .join('|');
  return `${one(a)}#${one(b)}`;
}

/** A step's status now; `missing` when what it did or found is no longer in the store. */
export type LiveStatus = ExchangeStep['status'] | 'missing';

export interface LiveStep extends ExchangeStep {
  live: LiveStatus;
  /** Why the step no longer holds, in the words of the panes. */
  now?: string;
}

const hasSigner = (entries: EntrySummary[], label: string, subject?: string) =>
  entries.some((e) => e.kind === 'signer' && e.label === label && e.trusted !== false && (subject === undefined || e.subject === undefined || e.subject === subject));

export function liveSteps(run: ExchangeRun, a: OpenStore, b: OpenStore, names: { A: string; B: string }): LiveStep[] {
  const store = (side: 'A' | 'B' | undefined) => (side === 'B' ? b : a);
  return run.steps.map((step) => {
    if (step.action === 'add' && step.label && step.status !== 'manual' && !hasSigner(store(step.to).view.entries, step.label, step.subject)) {
      return {
        ...step,
        live: 'missing',
        now: `“${step.label}” is no longer among ${names[step.to ?? 'A']}’s Signer Certificates: run Exchange Signers… again.`,
      };
    }
    if (step.action === 'extract' && step.label && step.status === 'done' && !store(step.from).view.entries.some((e) => e.kind === 'personal' && e.label === step.label)) {
      return {
        ...step,
        live: 'missing',
        now: `“${step.label}” is no longer among ${names[step.from ?? 'A']}’s Personal Certificates.`,
      };
    }
    return { ...step, live: step.status };
  });
}
