/**
 * The key database's own actions (Change Password…, Stash Password…, Save As / Convert…,
 * Export List…) behind one button: side by side, half a projector's width has no room for
 * a row of them above each store. A menu button as WAI-ARIA describes it: arrows move,
 * Escape and a click elsewhere close.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export interface MenuAction {
  text: string;
  run: () => void;
  /** Why the item is off now: shown on hover, and the item stays in the arrow keys' path (WAI-ARIA's disabled menu item). */
  refusal?: string;
}

/** `label`: the button's words; `menuLabel`: the menu's name, when the button's words alone do not say whose it is. */
export function StoreActionsMenu({ actions, label, menuLabel = label }: { actions: MenuAction[]; label: string; menuLabel?: string }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<CSSProperties>();

  // Drawn over the page, not inside the store's panel: a side-by-side panel clips what
  // overflows it, and a pane's More menu is longer than the room under a 700-pixel toolbar.
  // Below the button when there is room, else above it; scrolling within what is left.
  useLayoutEffect(() => {
    if (!open || !buttonRef.current) return setPlace(undefined);
    const r = buttonRef.current.getBoundingClientRect();
    const below = window.innerHeight - r.bottom - 12;
    const above = r.top - 12;
    const right = Math.max(8, window.innerWidth - r.right);
    setPlace(
      below >= 240 || below >= above
        ? { position: 'fixed', top: r.bottom + 4, right, maxHeight: below, overflowY: 'auto' }
        : { position: 'fixed', top: 'auto', bottom: window.innerHeight - r.top + 4, right, maxHeight: above, overflowY: 'auto' },
    );
  }, [open]);

  useEffect(() => {
    if (!open || !place) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    // The page moving under a fixed menu would leave it beside nothing: close it.
    const moved = () => setOpen(false);
    document.addEventListener('pointerdown', away);
    window.addEventListener('resize', moved);
    return () => {
      document.removeEventListener('pointerdown', away);
      window.removeEventListener('resize', moved);
    };
  }, [open, place]);

  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onMenuKey(event: KeyboardEvent) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => {
      event.preventDefault();
      items[(i + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') go(at + 1);
    else if (event.key === 'ArrowUp') go(at - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(items.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      close();
    }
  }

  return (
    <div className="menu-anchor">
      <button
        ref={buttonRef}
        type="button"
        className="secondary small"
        aria-haspopup="menu"
        aria-label={menuLabel === label ? undefined : menuLabel}
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open &&
        place &&
        createPortal(
          <div className="menu" role="menu" id={menuId} aria-label={menuLabel} ref={menuRef} onKeyDown={onMenuKey} style={place}>
            {actions.map((a) => (
              <button
                key={a.text}
                type="button"
                role="menuitem"
                tabIndex={-1}
                aria-disabled={a.refusal ? true : undefined}
                title={a.refusal}
                onClick={() => {
                  if (a.refusal) return;
                  setOpen(false);
                  a.run();
                }}
              >
                {a.text}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </div>
  );
}
