/**
 * iKeyman's “Set expiration time? N days” on New and Change Password, shown and turned off,
 * with the reason in view. GSKit can keep a password expiry inside a .kdb (runmqakm's
 * -expire, iKeyman's box, gskkyman's 0–9999 days on z/OS), but where in the file is not
 * documented: the shared format notes (../shared/FORMATS.md) name 4 bytes at 0x04 as 0, and every native
 * sample has 0 there, none having been made with an expiry. KeyDesk writes no byte it
 * cannot check against a real file, so the password it sets does not expire — as its CLI
 * says when asked (-keydb -expiry prints 0).
 * https://www.ibm.com/support/knowledgecenter/SSFKSJ_9.1.0/com.ibm.mq.sec.doc/q083830_.htm
 * https://www.ibm.com/support/knowledgecenter/SSLTBW_2.3.0/com.ibm.zos.v2r3.gska100/sssl2gsk1756415.htm
 */
import { useId } from 'react';

export const passwordExpiryReason =
  'Not available: where GSKit records a password expiry inside a .kdb file is not documented, and KeyDesk writes nothing into the file it cannot check. The password does not expire.';

export function PasswordExpiryField() {
  const id = useId();
  return (
    <div className="field password-expiry" title={passwordExpiryReason}>
      <div className="password-expiry-row">
        <label className="checkbox" htmlFor={`${id}-on`}>
          <input id={`${id}-on`} type="checkbox" checked={false} disabled aria-describedby={`${id}-hint`} onChange={() => undefined} />
          Set expiration time?
        </label>
        <label className="password-expiry-days" htmlFor={`${id}-days`}>
          <input id={`${id}-days`} type="number" value={60} disabled readOnly aria-describedby={`${id}-hint`} />
          <span>days</span>
        </label>
      </div>
      <p className="hint" id={`${id}-hint`}>
        {passwordExpiryReason}
      </p>
    </div>
  );
}
