/**
 * What a file named in a dialog holds, read by the server as the path is typed or chosen
 * (nothing is written): the preview Add… and Receive… show before anything is trusted.
 */
import { useEffect, useState } from 'react';
import type { ExaminedFile, StoreRef } from '../../core/api/contract';
import { keydesk } from '../keydesk-client';
import { errorText } from './action-support';

export interface ExaminedState {
  /** The path or text the answer is for (the field may have changed since). */
  path: string;
  examined?: ExaminedFile;
  error?: string;
}

/** Typing a path sends one request per pause, not per key. */
const settleMs = 250;

export function useExaminedFile(path: string, store?: StoreRef): ExaminedState | undefined {
  return useExamined('file', path.trim(), store);
}

/** The same for PEM text pasted into a dialog. */
export function useExaminedText(text: string): ExaminedState | undefined {
  return useExamined('text', text.trim() === '' ? '' : text);
}

function useExamined(kind: 'file' | 'text', wanted: string, store?: StoreRef): ExaminedState | undefined {
  const [state, setState] = useState<ExaminedState>();
  const storeKey = store ? JSON.stringify(store) : '';
  useEffect(() => {
    setState(undefined);
    if (wanted === '') return;
    let current = true;
    const timer = setTimeout(() => {
      keydesk
        .examineFile({ [kind]: wanted, ...(store ? { store } : {}) })
        .then((examined) => current && setState({ path: wanted, examined }))
        .catch((e: unknown) => current && setState({ path: wanted, error: errorText(e) }));
    }, settleMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // storeKey stands for store: a new object each render must not restart the read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, wanted, storeKey]);
  return state?.path === wanted ? state : undefined;
}
