/** Tests assert which KeyDeskError an operation refuses with; anything else is a bug. */
import { isKeyDeskError } from '../errors';

/** The code and message `fn` was refused with, or code 'no error' when it was not. */
export function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isKeyDeskError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  return { code: 'no error', message: '' };
}

export const codeOf = (fn: () => unknown): string => errorOf(fn).code;
