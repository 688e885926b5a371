/**
 * The fields New Self-Signed… and New Request… share: the MQ helper and the label, the
 * subject, the key and the names. Laid out in iKeyman's order, two columns where a
 * projector has the room.
 */
import type { KeyForm, KeyFormErrors, KeyType } from '../forms/key-form';
import { keySizes, mqLabelFor, signatureAlgorithms, withKeyType } from '../forms/key-form';
import { CheckboxField, SelectField, TextField } from '../components/FormFields';

export interface KeyFieldsProps {
  form: KeyForm;
  errors: KeyFormErrors;
  onChange: (form: KeyForm) => void;
  withValidity: boolean;
  withCa: boolean;
}

export function KeyFields({ form, errors, onChange, withValidity, withCa }: KeyFieldsProps) {
  const set = <K extends keyof KeyForm>(field: K) => (value: KeyForm[K]) => onChange({ ...form, [field]: value });
  return (
    <>
      <div className="field-row">
        <TextField
          label="Queue manager or user name"
          value={form.mqName}
          onChange={(mqName) => onChange({ ...form, mqName, label: mqLabelFor(mqName) || form.label })}
          error={errors.mqName}
          hint="Fills Key label with the name IBM MQ looks for: ibmwebspheremq + the name in lower case."
          autoFocus
        />
        <TextField label="Key label" value={form.label} onChange={set('label')} error={errors.label} mono />
      </div>
      <fieldset className="field-group">
        <legend>Subject</legend>
        <div className="field-row">
          <TextField label="Common name (CN)" value={form.cn} onChange={set('cn')} error={errors.cn} />
          <TextField label="Organization (O)" value={form.o} onChange={set('o')} error={errors.o} />
        </div>
        <div className="field-row">
          <TextField label="Organizational unit (OU)" value={form.ou} onChange={set('ou')} error={errors.ou} />
          <TextField label="Locality (L)" value={form.l} onChange={set('l')} error={errors.l} />
        </div>
        <div className="field-row">
          <TextField label="State or province (ST)" value={form.st} onChange={set('st')} error={errors.st} />
          <TextField label="Country (C)" value={form.c} onChange={set('c')} error={errors.c} placeholder="GB" className="narrow" />
        </div>
      </fieldset>
      <fieldset className="field-group">
        <legend>Key</legend>
        <div className="field-row three">
          <SelectField
            label="Key type"
            value={form.keyType}
            options={[
              { value: 'RSA', text: 'RSA' },
              { value: 'EC', text: 'EC (elliptic curve)' },
            ]}
            onChange={(v) => onChange(withKeyType(form, v as KeyType))}
          />
          <SelectField label="Key size" value={form.keySize} options={keySizes[form.keyType]} onChange={set('keySize')} />
          <SelectField label="Signature algorithm" value={form.sigAlg} options={signatureAlgorithms[form.keyType].map((a) => ({ value: a, text: a }))} onChange={set('sigAlg')} />
        </div>
        {withValidity && (
          <TextField
            label="Validity period (days)"
            value={form.validityDays}
            onChange={set('validityDays')}
            error={errors.validityDays}
            inputMode="numeric"
            className="narrow"
          />
        )}
      </fieldset>
      <TextField
        label="Subject alternative names"
        value={form.sans}
        onChange={set('sans')}
        error={errors.sans}
        hint="Host names, IP addresses or email addresses, separated by commas or spaces. MQ does not need them; TLS clients that check host names do."
        multiline
        mono
      />
      {withCa && (
        <CheckboxField
          label="Certificate authority (CA): this certificate signs other certificates"
          checked={form.ca}
          onChange={set('ca')}
          hint="For a class or test CA. A queue manager's own certificate is not a CA."
        />
      )}
    </>
  );
}
