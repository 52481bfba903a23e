import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { StartRunDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { buildContext, formFields, validateContext, type FieldValues, type FormField } from './run-form';

function FieldInput({
  field,
  value,
  onChange,
}: {
  field: FormField;
  value: string | boolean | undefined;
  onChange(value: string | boolean): void;
}) {
  const id = `run-field-${field.name}`;
  const common = { id, name: field.name, 'aria-required': field.required, 'aria-describedby': `${id}-error` };
  if (field.kind === 'boolean')
    return <input type="checkbox" {...common} checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
  const text = typeof value === 'string' ? value : '';
  if (field.kind === 'choice') {
    return (
      <select {...common} value={text} onChange={(event) => onChange(event.target.value)}>
        <option value="">—</option>
        {field.options.map((option) => (
          <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
            {typeof option === 'string' ? option : JSON.stringify(option)}
          </option>
        ))}
      </select>
    );
  }
  if (field.kind === 'json')
    return <textarea {...common} rows={3} value={text} placeholder="JSON" onChange={(event) => onChange(event.target.value)} />;
  const numeric = field.kind === 'number' || field.kind === 'integer';
  return (
    <input
      type={numeric ? 'number' : 'text'}
      step={field.kind === 'integer' ? 1 : 'any'}
      {...common}
      value={text}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/**
 * Starts a run: a form generated from the workflow's input schema (or one JSON box when it has none),
 * checked in the browser with the same schema, with an optional idempotency key and priority; then opens the run.
 */
export function RunForm({ workflow, schema }: { workflow: string; schema: unknown }) {
  const fields = useMemo(() => formFields(schema), [schema]);
  const [values, setValues] = useState<FieldValues>({});
  const [json, setJson] = useState('{}');
  const [idempotencyKey, setIdempotencyKey] = useState('');
  // Among runs queued by a concurrency limit, a higher one starts first; empty: the default (0).
  const [priority, setPriority] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [started, start] = useMutation(StartRunDocument);
  const navigate = useNavigate();
  // Opened by "Start a run": the focus goes to its first field, so a keyboard user fills it in at once.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let context: Record<string, unknown>;
    if (fields) {
      const built = buildContext(fields, values);
      context = built.context;
      if (Object.keys(built.errors).length > 0) return setErrors(built.errors);
    } else {
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return setErrors({ '': 'the context must be a JSON object' });
        context = parsed as Record<string, unknown>;
      } catch {
        return setErrors({ '': 'not valid JSON' });
      }
    }
    const problems = validateContext(schema, context);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const result = await start({
      name: workflow,
      context,
      idempotencyKey: idempotencyKey.trim() || null,
      priority: priority.trim() === '' ? null : Number(priority),
    });
    const id = result.data?.executeWorkflow.execution.id;
    if (id) void navigate(`/executions/${id}`);
  };

  return (
    <form ref={form} className="run-form" noValidate onSubmit={(event) => void submit(event)} aria-label="Run this workflow">
      {fields ? (
        fields.map((field) => (
          <div className="form-field" key={field.name}>
            <label htmlFor={`run-field-${field.name}`}>
              {field.name}
              {field.required ? <span aria-hidden="true"> *</span> : null} <span className="muted">{field.kind}</span>
            </label>
            <FieldInput
              field={field}
              value={values[field.name]}
              onChange={(value) => setValues((previous) => ({ ...previous, [field.name]: value }))}
            />
            {field.description ? <small className="muted">{field.description}</small> : null}
            <small id={`run-field-${field.name}-error`} className="field-error" role={errors[field.name] ? 'alert' : undefined}>
              {errors[field.name] ?? ''}
            </small>
          </div>
        ))
      ) : (
        <div className="form-field">
          <label htmlFor="run-context">Context (JSON)</label>
          <textarea id="run-context" rows={5} value={json} onChange={(event) => setJson(event.target.value)} />
        </div>
      )}
      {errors[''] ? (
        <p role="alert" className="field-error">
          {errors['']}
        </p>
      ) : null}
      <div className="form-field">
        <label htmlFor="run-idempotency-key">Idempotency key (optional)</label>
        <input id="run-idempotency-key" value={idempotencyKey} onChange={(event) => setIdempotencyKey(event.target.value)} />
      </div>
      <div className="form-field">
        <label htmlFor="run-priority">Priority (optional, -1000 to 1000: higher starts first when runs wait queued)</label>
        <input
          id="run-priority"
          type="number"
          min={-1000}
          max={1000}
          step={1}
          value={priority}
          onChange={(event) => setPriority(event.target.value)}
        />
      </div>
      <button type="submit" disabled={started.fetching}>
        Run
      </button>
      {started.error ? <ErrorNotice error={started.error} /> : null}
    </form>
  );
}
