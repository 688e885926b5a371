/**
 * The columns an entry table can show, which ones the user chose and how wide they made
 * them (kept in localStorage, per pane, so a help desk's "SHA-256 and Serial" choice is
 * there the next day), and the arithmetic that lays them out in the window's width.
 */
import { create } from 'zustand';
import { compactExpiryText, type EntryRow, type SortColumn } from '../entry-rows';

export type EntryColumnId = SortColumn;

export interface EntryColumn {
  id: EntryColumnId;
  title: string;
  /** What the cell shows as text (badges aside): measured for auto-fit, shown in full on focus. */
  text: (row: EntryRow) => string;
  /** A badge beside the text, measured with it. */
  badge?: (row: EntryRow) => string;
  /** Shown unless the user turns it off. */
  standard: boolean;
  /** Takes the width left over when the window is wider than the content. */
  grows?: boolean;
  /** Monospaced (serials, fingerprints). */
  mono?: boolean;
  /** Widest the default layout makes it, in rem; auto-fit and dragging may go wider. */
  capRem?: number;
}

/** Expiry right after the label: it is what an operator scans for, and it must stay in view
 * when a zoomed window shows only the first columns. */
export const allEntryColumns: readonly EntryColumn[] = [
  { id: 'label', title: 'Label', text: (r) => r.label, standard: true },
  { id: 'expiry', title: 'Expires', text: (r) => r.expiry.date, badge: (r) => compactExpiryText(r.expiry), standard: true },
  { id: 'subject', title: 'Subject CN', text: (r) => r.subjectCn, standard: true, grows: true, capRem: 22 },
  { id: 'issuer', title: 'Issuer CN', text: (r) => r.issuerCn || (r.kind === 'request' ? 'not issued yet' : ''), standard: true, grows: true, capRem: 22 },
  { id: 'key', title: 'Key', text: (r) => r.keyText, standard: true, capRem: 10 },
  { id: 'status', title: 'Status', text: (r) => r.status, badge: (r) => r.weakness?.words ?? '', standard: true, capRem: 24 },
  { id: 'signatureAlgorithm', title: 'Signature algorithm', text: (r) => r.signatureAlgorithm, standard: false },
  { id: 'keySize', title: 'Key size', text: (r) => r.keySize, standard: false },
  { id: 'serial', title: 'Serial', text: (r) => r.serial, standard: false, mono: true, capRem: 20 },
  { id: 'sha256', title: 'SHA-256', text: (r) => r.sha256, standard: false, mono: true, capRem: 24 },
  { id: 'notBefore', title: 'Not before', text: (r) => r.notBeforeDate, standard: false },
];

export const columnById = new Map(allEntryColumns.map((c) => [c.id, c]));
export const standardColumnIds: readonly EntryColumnId[] = allEntryColumns.filter((c) => c.standard).map((c) => c.id);

export interface ColumnChoice {
  /** Shown columns; the label is always first and always shown. */
  shown: EntryColumnId[];
  /** Widths the user dragged or auto-fitted, in rem (so they follow the zoom). */
  widths: Partial<Record<EntryColumnId, number>>;
}

const storageKey = 'keydesk.entryColumns';

function loadChoices(): Record<string, ColumnChoice> {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Record<string, Partial<ColumnChoice>>;
    const choices: Record<string, ColumnChoice> = {};
    for (const [key, value] of Object.entries(saved)) {
      const shown = Array.isArray(value.shown) ? value.shown.filter((id): id is EntryColumnId => columnById.has(id as EntryColumnId)) : [...standardColumnIds];
      const widths: ColumnChoice['widths'] = {};
      for (const [id, w] of Object.entries(value.widths ?? {})) if (columnById.has(id as EntryColumnId) && typeof w === 'number' && w > 0) widths[id as EntryColumnId] = w;
      choices[key] = { shown, widths };
    }
    return choices;
  } catch {
    // A hand-edited or foreign value: start from the defaults rather than fail to show the table.
    return {};
  }
}

interface ColumnChoices {
  choices: Record<string, ColumnChoice>;
  setShown(key: string, id: EntryColumnId, shown: boolean): void;
  setWidth(key: string, id: EntryColumnId, rem: number | undefined): void;
  resetWidths(key: string): void;
}

/** One object, so a selector reading a pane nobody has customised returns the same value each time. */
const defaultChoice: ColumnChoice = { shown: [...standardColumnIds], widths: {} };

export function choiceOf(choices: Record<string, ColumnChoice>, key: string): ColumnChoice {
  return choices[key] ?? defaultChoice;
}

export const useColumnChoices = create<ColumnChoices>((set, get) => {
  const update = (key: string, change: (c: ColumnChoice) => ColumnChoice) => {
    const choices = { ...get().choices, [key]: change(choiceOf(get().choices, key)) };
    set({ choices });
    try {
      localStorage.setItem(storageKey, JSON.stringify(choices));
    } catch {
      // Storage full or refused (private window): the choice holds for this session.
    }
  };
  return {
    choices: loadChoices(),
    setShown: (key, id, shown) =>
      update(key, (c) => {
        if (id === 'label') return c;
        const next = new Set(c.shown);
        if (shown) next.add(id);
        else next.delete(id);
        return { ...c, shown: allEntryColumns.map((col) => col.id).filter((i) => i === 'label' || next.has(i)) };
      }),
    setWidth: (key, id, rem) =>
      update(key, (c) => {
        const widths = { ...c.widths };
        if (rem === undefined) delete widths[id];
        else widths[id] = Math.round(rem * 1000) / 1000;
        return { ...c, widths };
      }),
    resetWidths: (key) => update(key, (c) => ({ ...c, widths: {} })),
  };
});

/** The columns to draw, in their fixed order: the user's choice less what the caller hides. */
export function shownColumns(choice: ColumnChoice, hidden: readonly EntryColumnId[] = []): EntryColumn[] {
  return allEntryColumns.filter((c) => c.id === 'label' || (choice.shown.includes(c.id) && !hidden.includes(c.id)));
}

/** Narrowest a column is drawn, in rem, whoever sizes it. */
export const minimumRem = (id: EntryColumnId) => (id === 'label' ? 6 : 4);

/** What a column needs: its widest cell with its header, and its header alone. */
export interface NaturalWidth {
  width: number;
  header: number;
}

/**
 * Widths in pixels for the window's width. Columns the user sized keep their width. The
 * label gets its whole content if the window allows it once every other column is at its
 * narrowest (5 rem; the expiry date and badge, and the optional columns, in full); a CA
 * name is what the help desk reads. The others start from their floor (their content for the expiry and key, up to
 * 10 rem for the status, their header for the names), give way toward their narrowest if
 * the label needs it (what they cut short shows in full on focus), then grow toward their
 * content: the short facts first, then the names, which also take what is left.
 */
export function layoutColumns(
  columns: readonly EntryColumn[],
  natural: ReadonlyMap<EntryColumnId, NaturalWidth>,
  userRem: ColumnChoice['widths'],
  available: number,
  rem: number,
): number[] {
  const fixed = (c: EntryColumn) => userRem[c.id] !== undefined;
  const naturalOf = (c: EntryColumn) => natural.get(c.id)?.width ?? 8 * rem;
  const headerOf = (c: EntryColumn) => natural.get(c.id)?.header ?? 6 * rem;
  const wanted = (c: EntryColumn) => (c.capRem ? Math.min(naturalOf(c), Math.max(c.capRem * rem, headerOf(c))) : naturalOf(c));
  const floorOf = (c: EntryColumn) => {
    // The columns chosen for comparing stores field by field are read, not skimmed: whole.
    if (c.id === 'expiry' || c.id === 'key' || !c.standard) return wanted(c);
    if (c.id === 'status') return Math.min(wanted(c), Math.max(headerOf(c), 10 * rem));
    return Math.min(wanted(c), Math.max(headerOf(c), 5 * rem));
  };
  // The badge stays whole in its cell: the expiry column never gives way.
  const narrowest = (c: EntryColumn) => (c.id === 'expiry' || !c.standard ? floorOf(c) : Math.min(floorOf(c), 5 * rem));
  const widths = columns.map((c) => (fixed(c) ? Math.max(minimumRem(c.id), userRem[c.id]!) * rem : c.id === 'label' ? 0 : floorOf(c)));
  const labelIndex = columns.findIndex((c) => c.id === 'label');
  const label = columns[labelIndex]!;
  if (!fixed(label)) {
    const othersAtNarrowest = columns.reduce((sum, c, i) => (i === labelIndex ? sum : sum + (fixed(c) ? widths[i]! : narrowest(c))), 0);
    // With many chosen columns the table scrolls sideways; the label, which stays put, then
    // keeps at least a third of the window.
    widths[labelIndex] = Math.max(minimumRem('label') * rem, Math.min(naturalOf(label), Math.max(available - othersAtNarrowest, available / 3)));
  }
  // Giving way, names first, then the rest, the key last (its few characters say most).
  // Only when that makes the table fit: with many chosen columns it scrolls sideways anyway,
  // and squeezing the rest would only cut them short for nothing.
  const atNarrowest = columns.reduce((sum, c, i) => sum + (fixed(c) || c.id === 'label' ? widths[i]! : narrowest(c)), 0);
  let excess = atNarrowest <= available ? widths.reduce((a, b) => a + b, 0) - available : 0;
  for (const group of [(c: EntryColumn) => Boolean(c.grows), (c: EntryColumn) => !c.grows && c.id !== 'key', (c: EntryColumn) => c.id === 'key']) {
    if (excess <= 0) break;
    const give = columns.map((c, i) => (fixed(c) || c.id === 'label' || !group(c) ? 0 : Math.max(0, widths[i]! - narrowest(c))));
    const canGive = give.reduce((a, b) => a + b, 0);
    if (canGive > 0) {
      const take = Math.min(canGive, excess);
      columns.forEach((_, i) => (widths[i] = widths[i]! - (give[i]! / canGive) * take));
      excess -= take;
    }
  }
  // Grow toward what each column wants while room lasts: the short facts (status, key,
  // dates) first, then the names, each group in proportion to what it lacks.
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (const group of [(c: EntryColumn) => !c.grows, (c: EntryColumn) => Boolean(c.grows)]) {
    if (spare <= 0) break;
    const lack = columns.map((c, i) => (fixed(c) || c.id === 'label' || !group(c) ? 0 : Math.max(0, wanted(c) - widths[i]!)));
    const totalLack = lack.reduce((a, b) => a + b, 0);
    if (totalLack > 0) {
      const give = Math.min(spare, totalLack);
      columns.forEach((_, i) => (widths[i] = widths[i]! + (lack[i]! / totalLack) * give));
      spare -= give;
    }
  }
  if (spare > 0) {
    const growing = columns.map((c, i) => (c.grows && !fixed(c) ? i : -1)).filter((i) => i >= 0);
    const targets = growing.length > 0 ? growing : columns.map((c, i) => (fixed(c) || c.id === 'label' ? -1 : i)).filter((i) => i >= 0);
    for (const i of targets) widths[i] = widths[i]! + spare / targets.length;
  }
  // Sized by the user: their pixel exactly (rem kept to 1/1000 would drift by one); the rest
  // rounded down so the sum never exceeds the room and forces a needless scroll bar.
  return widths.map((w, i) => (fixed(columns[i]!) ? Math.round(w) : Math.floor(w)));
}
