/** Renders the open dialogs, bottom first, so the newest is on top. */
import { DialogIdContext, useDialogStack } from '../dialog-stack';

export function DialogHost() {
  const dialogs = useDialogStack((s) => s.dialogs);
  return (
    <>
      {dialogs.map((d) => (
        <DialogIdContext.Provider key={d.id} value={d.id}>
          {d.element}
        </DialogIdContext.Provider>
      ))}
    </>
  );
}
