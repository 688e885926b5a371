/** What crosses from main to the page and back is checked, not trusted. */
import { describe, it, expect } from 'vitest';
import { isFileChoiceRequest, isShellCommand } from './shell-api';

describe('isShellCommand', () => {
  it('accepts the commands the menu sends', () => {
    expect(isShellCommand({ type: 'open-store' })).toBe(true);
    expect(isShellCommand({ type: 'open-path', path: '/k.kdb' })).toBe(true);
    expect(isShellCommand({ type: 'show-pane', pane: 'request' })).toBe(true);
    expect(isShellCommand({ type: 'entry-action', action: 'set-default' })).toBe(true);
    expect(isShellCommand({ type: 'exchange-action', action: 'compare' })).toBe(true);
    expect(isShellCommand({ type: 'show-tool', tool: 'timeline' })).toBe(true);
  });
  it('refuses anything else', () => {
    for (const bad of [
      null,
      'open-store',
      {},
      { type: 'eval' },
      { type: 'open-path' },
      { type: 'open-path', path: '' },
      { type: 'show-pane', pane: 'secret' },
      { type: 'entry-action' },
      { type: 'entry-action', action: 'export-private-key' },
      { type: 'exchange-action', action: 'rm' },
      { type: 'show-tool', tool: 'console' },
    ]) {
      expect(isShellCommand(bad)).toBe(false);
    }
  });
});

describe('isFileChoiceRequest', () => {
  it('accepts open and save by kind', () => {
    expect(isFileChoiceRequest({ mode: 'save', title: 'Extract', kind: 'certificate', defaultPath: '/tmp/a.arm' })).toBe(true);
  });
  it('refuses oversized or unknown fields', () => {
    expect(isFileChoiceRequest({ mode: 'open', title: 'x'.repeat(201), kind: 'any' })).toBe(false);
    expect(isFileChoiceRequest({ mode: 'open', title: 't', kind: 'any', defaultPath: 5 })).toBe(false);
  });
});
