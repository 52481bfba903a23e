import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { StartRunDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { buildContext, formFields, problemSummary, problemsInOrder, validateContext, type FieldValues, type FormField } from './run-form';

const fieldId = (name: string) => `run-field-${name}`;
const CONTEXT_ID = 'run-context';
const SUMMARY_ID = 'run-form-problems';

function FieldInput({
  field,
  value,
  invalid,
  onChange,
}: {
  field: FormField;
  value: string | boolean | undefined;
  invalid: boolean;
  onChange(value: string | boolean): void;
}) {
  const id = fieldId(field.name);
  const common = { id, name: field.name, 'aria-required': field.required, 'aria-invalid': invalid, 'aria-describedby': `${id}-error` };
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
  const [started, start] = useMutation(StartRunDocument.toString());
  const navigate = useNavigate();
  // Opened by "Start a run": the focus goes to its first field, so a keyboard user fills it in at once.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  const problems = problemsInOrder(fields, errors);
  /** Shows the problems and moves the focus to the first: its field (which reads out its error), else the summary. */
  const refuse = (found: Record<string, string>) => {
    flushSync(() => setErrors(found));
    const [first] = problemsInOrder(fields, found);
    if (!first) return;
    const target = fields?.some((field) => field.name === first[0]) ? fieldId(first[0]) : fields ? SUMMARY_ID : CONTEXT_ID;
    document.getElementById(target)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let context: Record<string, unknown>;
    if (fields) {
      const built = buildContext(fields, values);
      context = built.context;
      if (Object.keys(built.errors).length > 0) return refuse(built.errors);
    } else {
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return refuse({ '': 'the context must be a JSON object' });
        context = parsed as Record<string, unknown>;
      } catch {
        return refuse({ '': 'not valid JSON' });
      }
    }
    const found = validateContext(schema, context);
    if (Object.keys(found).length > 0) return refuse(found);
    setErrors({});
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
              invalid={errors[field.name] !== undefined}
              onChange={(value) => setValues((previous) => ({ ...previous, [field.name]: value }))}
            />
            {field.description ? <small className="muted">{field.description}</small> : null}
            <small id={`${fieldId(field.name)}-error`} className="field-error">
              {errors[field.name] ?? ''}
            </small>
          </div>
        ))
      ) : (
        <div className="form-field">
          <label htmlFor={CONTEXT_ID}>Context (JSON)</label>
          <textarea
            id={CONTEXT_ID}
            rows={5}
            value={json}
            aria-invalid={problems.length > 0}
            aria-describedby={SUMMARY_ID}
            onChange={(event) => setJson(event.target.value)}
          />
        </div>
      )}
      {/* Read out as it appears (each field's own error is its description, read as the field gets the focus). */}
      {problems.length > 0 ? (
        <p id={SUMMARY_ID} role="alert" tabIndex={-1} className="field-error">
          {problemSummary(problems)}
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
