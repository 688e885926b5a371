/**
 * Exchange mode's results, shown under the two stores: the last Exchange Signers checklist
 * and the last Test Connection report, for the pair they were made for.
 */
import { create } from 'zustand';
import type { ExchangeStep, HandshakeReport } from '../../core/api/contract';

export interface ExchangeRun {
  aStoreId: string;
  bStoreId: string;
  aLabel: string;
  bLabel: string;
  steps: ExchangeStep[];
}

export interface ConnectionTest {
  aStoreId: string;
  bStoreId: string;
  serverLabel: string;
  clientLabel: string;
  report: HandshakeReport;
}

interface ExchangeState {
  exchange?: ExchangeRun;
  connection?: ConnectionTest;
}

export const useExchangeState = create<ExchangeState>(() => ({}));

export function forPair<T extends { aStoreId: string; bStoreId: string }>(run: T | undefined, aStoreId: string, bStoreId: string): T | undefined {
  return run && run.aStoreId === aStoreId && run.bStoreId === bStoreId ? run : undefined;
}
