/** "Side by Side": two open stores next to each other, each with its own panes (a trainer's queue manager and client). */
import { useAppState } from '../app-state';

export function SideBySideButton() {
  const count = useAppState((s) => s.stores.length);
  const on = useAppState((s) => Boolean(s.sideBySide));
  const toggle = useAppState((s) => s.toggleSideBySide);
  if (count < 2 && !on) return null;
  return (
    <button type="button" className="secondary" aria-pressed={on} onClick={toggle} title="Show two open key databases next to each other">
      <span aria-hidden="true">◧ </span>Side by Side
    </button>
  );
}
