import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

interface Labelled {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  id?: string;
}

type FieldProps = Labelled & InputHTMLAttributes<HTMLInputElement>;
type TextAreaFieldProps = Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>;

/** The label, hint and error around one control, tied to it for screen readers. */
function FieldFrame({
  id,
  label,
  error,
  hint,
  control,
}: Omit<Labelled, 'name'> & {
  id: string;
  control: (aria: { 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {control({ 'aria-invalid': error ? true : undefined, 'aria-describedby': described || undefined })}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input whose error and hint are tied to it for screen readers. */
export function Field({ name, label, error, hint, id = `field-${name}`, ...input }: FieldProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      hint={hint}
      control={(aria) => <input id={id} name={name} {...aria} {...input} />}
    />
  );
}

/** The same for several lines of text. */
export function TextAreaField({
  name,
  label,
  error,
  hint,
  id = `field-${name}`,
  ...area
}: TextAreaFieldProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      hint={hint}
      control={(aria) => <textarea id={id} name={name} {...aria} {...area} />}
    />
  );
}
