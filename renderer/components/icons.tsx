/** Small inline icons: emoji depend on fonts a server or a locked-down desktop may not have. */

const common = { width: '1em', height: '1em', viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export function KeyIcon() {
  return (
    <svg {...common} fill="none" stroke="currentColor" strokeWidth={2.4} strokeLinecap="round">
      <circle cx="8" cy="12" r="4.5" />
      <path d="M12.5 12H22M18.5 12v4M22 12v3" />
    </svg>
  );
}

export function FolderIcon() {
  return (
    <svg {...common} fill="currentColor">
      <path d="M2.5 5.5A1.5 1.5 0 0 1 4 4h5.2l2 2.2H20a1.5 1.5 0 0 1 1.5 1.5V18a1.5 1.5 0 0 1-1.5 1.5H4A1.5 1.5 0 0 1 2.5 18z" />
    </svg>
  );
}

export function FileIcon() {
  return (
    <svg {...common} fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinejoin="round">
      <path d="M6 2.8h8l4.5 4.5v13.9H6z" />
      <path d="M14 2.8v4.5h4.5" />
    </svg>
  );
}
