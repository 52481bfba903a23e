import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { useCan } from '../auth/ViewerProvider';
import {
  CreateWorkflowFromEditorDocument,
  SaveWorkflowVersionDocument,
  ValidateDefinitionDocument,
  WorkflowSourceDocument,
} from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { WorkflowGraph } from '../workflow/WorkflowGraph';
import { DefinitionEditor, type EditorHandle, type Issue } from './DefinitionEditor';
import { SimulatePanel } from './SimulatePanel';

const STARTER = { steps: [{ name: 'hello', type: 'transform', output: { greeting: 'Hello, ${context.name}' } }] };
const NO_FAILURES = new Map<string, number>();

function parsed(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * `/workflows/new` and `/workflows/:name/edit`: a definition in a JSON editor beside its graph, a dry run of
 * it on a context with mocked calls; saving makes a workflow or a version.
 */
export function EditorPage() {
  const { name } = useParams();
  const canEdit = useCan('WORKFLOW_CREATE');
  const [{ data, error }] = useQuery({
    query: WorkflowSourceDocument.toString(),
    variables: { name: name ?? '' },
    pause: !name,
    requestPolicy: 'network-only',
  });
  if (!canEdit) return <p className="notice">Editing workflows needs the WORKFLOW_CREATE permission.</p>;
  if (!name) return <Editor key="new" existing={null} initial={STARTER} />;
  if (error) return <ErrorNotice error={error} />;
  const workflow = data?.workflow;
  if (!workflow) return <p className="muted">Loading…</p>;
  return <Editor key={workflow.name} existing={{ name: workflow.name, version: workflow.version }} initial={workflow.definition} />;
}

interface EditorProps {
  /** The workflow a version is being made of; null for a new workflow. */
  existing: { name: string; version: number } | null;
  initial: Record<string, unknown>;
}

function Editor({ existing, initial }: EditorProps) {
  const client = useClient();
  const navigate = useNavigate();
  const opening = useMemo(() => JSON.stringify(initial, null, 2), [initial]);
  const [text, setText] = useState(opening);
  const [name, setName] = useState(existing?.name ?? '');
  const [label, setLabel] = useState('');
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [validationError, setValidationError] = useState<CombinedError | null>(null);
  const [created, create] = useMutation(CreateWorkflowFromEditorDocument.toString());
  const [updated, update] = useMutation(SaveWorkflowVersionDocument.toString());
  const editor = useRef<EditorHandle>(null);
  const definition = useMemo(() => parsed(text), [text]);
  // While the text does not parse, the graph keeps the last definition that did.
  const lastParsed = useRef(initial);
  if (definition) lastParsed.current = definition;
  const preview = definition ?? lastParsed.current;

  const subject = existing?.name ?? (name.trim() || 'new_workflow');
  const validate = useCallback(
    async (candidate: unknown): Promise<Issue[] | null> => {
      const result = await client.mutation(ValidateDefinitionDocument.toString(), { name: subject, definition: candidate }).toPromise();
      setValidationError(result.error ?? null);
      return result.data ? result.data.validateWorkflowDefinition.issues : null;
    },
    [client, subject],
  );

  const save = async () => {
    if (!definition) return;
    const input = { name: existing?.name ?? name.trim(), definition, ...(label.trim() ? { version: label.trim() } : {}) };
    const result = existing ? await update({ input }) : await create({ input });
    if (!result.error) void navigate(`/workflows/${encodeURIComponent(input.name)}`);
  };
  const saving = created.fetching || updated.fetching;
  const saveError = created.error ?? updated.error;

  return (
    <section className="editor-page">
      <p>
        <Link to={existing ? `/workflows/${encodeURIComponent(existing.name)}` : '/workflows'}>
          ← {existing ? existing.name : 'Workflows'}
        </Link>
      </p>
      <h1>{existing ? `New version of ${existing.name}` : 'New workflow'}</h1>
      <div className="filters">
        {existing ? (
          <span className="muted">Saving makes v{existing.version + 1} (if the definition changed); runs in progress keep theirs.</span>
        ) : (
          <label className="filter">
            Name
            <input value={name} onChange={(event) => setName(event.target.value)} placeholder="lower_snake_case" />
          </label>
        )}
        <label className="filter">
          Version label
          <input value={label} onChange={(event) => setLabel(event.target.value)} placeholder="optional, e.g. 1.1.0" />
        </label>
        <button type="button" disabled={saving || !definition || (!existing && !name.trim())} onClick={() => void save()}>
          Save
        </button>
      </div>
      {saveError ? <ErrorNotice error={saveError} /> : null}
      {validationError ? <ErrorNotice error={validationError} /> : null}
      <div className="editor-body">
        <DefinitionEditor ref={editor} initial={opening} onChange={setText} validate={validate} onIssues={setIssues} />
        <WorkflowGraph definition={preview} failures={NO_FAILURES} />
      </div>
      <section aria-label="Problems" className="problems">
        {issues === null ? (
          <p className="muted">Checking…</p>
        ) : issues.length === 0 ? (
          <p className="muted">No problems.</p>
        ) : (
          <ul>
            {issues.map((issue, index) => (
              <li key={index} data-path={issue.path}>
                <button type="button" className="link" title="Show it in the editor" onClick={() => editor.current?.goTo(issue.path)}>
                  <code>{issue.path}</code>
                </button>{' '}
                {issue.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <SimulatePanel definition={definition} />
    </section>
  );
}
