/** Renders the open dialogs, bottom first, so the newest is on top. */
import { Fragment } from 'react';
import { useDialogStack } from '../dialog-stack';

export function DialogHost() {
  const dialogs = useDialogStack((s) => s.dialogs);
  return (
    <>
      {dialogs.map((d) => (
        <Fragment key={d.id}>{d.element}</Fragment>
      ))}
    </>
  );
}
