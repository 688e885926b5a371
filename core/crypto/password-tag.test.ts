import { describe, it, expect } from 'vitest';
import { passwordTag } from './password-tag';

describe('passwordTag', () => {
  it('tells passwords apart, case and all, and is the same for the same password', () => {
    expect(passwordTag('changeit')).toBe(passwordTag('changeit'));
    expect(passwordTag('changeit')).not.toBe(passwordTag('Changeit'));
    expect(passwordTag('')).not.toBe(passwordTag('\u0000'));
  });

  it('does not hold the password in any recoverable form', () => {
    const tag = passwordTag('S3cret-pw');
    expect(tag).not.toContain('S3cret');
    expect(Buffer.from(tag, 'base64').toString('latin1')).not.toContain('S3cret');
  });
});
