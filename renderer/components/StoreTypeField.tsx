/**
 * The key-store type of a file being written (New…, Export…, Save As / Convert…), with the
 * file name's extension kept in step with the choice.
 */
import type { WritableFormat } from '../../core/api/contract';
import { SelectField } from './FormFields';

export const storeTypeOptions: { value: WritableFormat; text: string; extension: string }[] = [
  { value: 'pkcs12', text: 'PKCS#12 (.p12)', extension: '.p12' },
  { value: 'cms', text: 'CMS key database (.kdb)', extension: '.kdb' },
  { value: 'jks', text: 'JKS (.jks)', extension: '.jks' },
  { value: 'jceks', text: 'JCEKS (.jceks)', extension: '.jceks' },
];

export function extensionOf(format: WritableFormat): string {
  return storeTypeOptions.find((o) => o.value === format)!.extension;
}

/** Keeps a path's extension in step with the chosen type, when it is one of ours. */
export function retype(path: string, to: WritableFormat): string {
  const known = storeTypeOptions.find((o) => path.toLowerCase().endsWith(o.extension));
  return known ? path.slice(0, -known.extension.length) + extensionOf(to) : path;
}

export function StoreTypeField({
  label,
  format,
  onFormat,
  onFile,
  hint,
}: {
  label: string;
  format: WritableFormat;
  onFormat: (format: WritableFormat) => void;
  onFile: (update: (file: string) => string) => void;
  hint?: string;
}) {
  return (
    <SelectField
      label={label}
      value={format}
      options={storeTypeOptions}
      onChange={(v) => {
        onFormat(v as WritableFormat);
        onFile((f) => retype(f, v as WritableFormat));
      }}
      hint={hint}
    />
  );
}
