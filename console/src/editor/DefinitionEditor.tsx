import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import { locateIssue } from './issue-location';

export interface Issue {
  path: string;
  message: string;
}

interface Props {
  /** The text it opens with (later changes of this prop are ignored: the editor owns its text). */
  initial: string;
  onChange(text: string): void;
  /** The server's issues for a parsed definition; null when it could not be asked. */
  validate(definition: unknown): Promise<Issue[] | null>;
  /** Every lint pass's outcome: JSON syntax errors, or the server's issues. */
  onIssues(issues: Issue[]): void;
}

const LINT_DELAY_MS = 500;

/**
 * A CodeMirror 6 JSON editor. Its linter (debounced by CodeMirror) reports JSON syntax errors itself and,
 * for text that parses, the server's `validateWorkflowDefinition` issues, each underlined at its JSON path.
 */
export function DefinitionEditor({ initial, onChange, validate, onIssues }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ onChange, validate, onIssues });
  latest.current = { onChange, validate, onIssues };

  useEffect(() => {
    if (!host.current) return;
    const syntax = jsonParseLinter();
    const check = async (view: EditorView): Promise<Diagnostic[]> => {
      const broken = syntax(view);
      if (broken.length > 0) {
        latest.current.onIssues(broken.map((problem) => ({ path: 'JSON', message: problem.message })));
        return broken;
      }
      const text = view.state.doc.toString();
      const issues = await latest.current.validate(JSON.parse(text) as unknown);
      // Typed on meanwhile: the next pass will say.
      if (issues === null || view.state.doc.toString() !== text) return [];
      latest.current.onIssues(issues);
      return issues.map((issue) => ({ ...locateIssue(text, issue.path), severity: 'error', source: issue.path, message: issue.message }));
    };
    const view = new EditorView({
      doc: initial,
      parent: host.current,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        linter(check, { delay: LINT_DELAY_MS }),
        EditorView.contentAttributes.of({ 'aria-label': 'Definition (JSON)' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onChange(update.state.doc.toString());
        }),
      ],
    });
    return () => view.destroy();
    // The editor is made once; its text is its own from then on.
  }, []);

  return <div ref={host} className="definition-editor" />;
}
