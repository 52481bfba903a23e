import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter, nextDiagnostic, type Diagnostic } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useId, useImperativeHandle, useRef, type Ref } from 'react';
import { locateIssue } from './issue-location';

export interface Issue {
  path: string;
  message: string;
}

/** What the page may ask of the editor. */
export interface EditorHandle {
  /** Selects where an issue's path points (a JSON syntax error: the first one) and gives the editor the focus. */
  goTo(path: string): void;
}

interface Props {
  ref?: Ref<EditorHandle>;
  /** The text it opens with (later changes of this prop are ignored: the editor owns its text). */
  initial: string;
  onChange(text: string): void;
  /** The server's issues for a parsed definition; null when it could not be asked. */
  validate(definition: unknown): Promise<Issue[] | null>;
  /** Every lint pass's outcome: JSON syntax errors, or the server's issues. */
  onIssues(issues: Issue[]): void;
}

const LINT_DELAY_MS = 500;
/** Problems from a JSON syntax check rather than the server's validation carry this path. */
export const SYNTAX_PATH = 'JSON';

/**
 * A CodeMirror 6 JSON editor. Its linter (debounced by CodeMirror) reports JSON syntax errors itself and,
 * for text that parses, the server's `validateWorkflowDefinition` issues, each underlined at its JSON path.
 * Tab is left to the browser (no indentWithTab): it moves the focus on out of the editor, as everywhere
 * else on the page, and the hint under the editor says how to indent instead.
 */
export function DefinitionEditor({ ref, initial, onChange, validate, onIssues }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<EditorView | null>(null);
  const hint = useId();
  useImperativeHandle(
    ref,
    () => ({
      goTo(path) {
        const view = editor.current;
        if (!view) return;
        if (path === SYNTAX_PATH) {
          view.dispatch({ selection: { anchor: 0 } });
          nextDiagnostic(view);
        } else {
          const { from, to } = locateIssue(view.state.doc.toString(), path);
          view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
        }
        view.focus();
      },
    }),
    [],
  );
  const latest = useRef({ onChange, validate, onIssues });
  latest.current = { onChange, validate, onIssues };

  useEffect(() => {
    if (!host.current) return;
    const syntax = jsonParseLinter();
    const check = async (view: EditorView): Promise<Diagnostic[]> => {
      const broken = syntax(view);
      if (broken.length > 0) {
        latest.current.onIssues(broken.map((problem) => ({ path: SYNTAX_PATH, message: problem.message })));
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
        EditorView.contentAttributes.of({ 'aria-label': 'Definition (JSON)', 'aria-describedby': hint }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onChange(update.state.doc.toString());
        }),
      ],
    });
    editor.current = view;
    return () => {
      editor.current = null;
      view.destroy();
    };
    // The editor is made once; its text is its own from then on.
  }, []);

  return (
    <div className="definition-editor-box">
      <div ref={host} className="definition-editor" />
      <p id={hint} className="muted editor-keys">
        Keyboard: Tab leaves the editor (Shift+Tab comes back); Ctrl+] and Ctrl+[ indent a line; F8 goes to the next problem.
      </p>
    </div>
  );
}
