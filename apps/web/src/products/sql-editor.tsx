import CodeMirror, { Decoration, EditorView, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { theme } from 'antd';
import { forwardRef, useImperativeHandle, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { columnOffset, type SqlLocation } from './derive-error';
import { duckdbSql } from './duckdb-sql';
import type { ColumnCompletion, TableCompletion } from './sql-schema';

export interface SqlEditorHandle {
  /** Puts the cursor at a line and column (1-based) and scrolls it into view. */
  goTo(location: SqlLocation): void;
}

const errorLineTheme = EditorView.theme({
  '.civic-sql-error-line': { backgroundColor: 'rgba(255, 77, 79, 0.14)' },
  '.civic-sql-error-token': { textDecoration: 'underline wavy rgb(255, 77, 79)', textUnderlineOffset: '3px' },
  '&': { fontSize: '13px' },
  '.cm-scroller': { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'PingFang SC', monospace" },
});

/** A word, a quoted name or string, or a single other character: what an error's position points at. */
const TOKEN = /^(?:[\p{L}\p{N}_$]+|"(?:[^"]|"")*"?|'(?:[^']|'')*'?|\S)/u;

/**
 * Marks the line DuckDB reported an error on (syntax and binder errors alike), and underlines the
 * token at its column when the column is on that line.
 */
function errorMarks(line: number | null, column: number | null) {
  if (!line) return [];
  return EditorView.decorations.of((view) => {
    const target = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
    const marks = [Decoration.line({ class: 'civic-sql-error-line' }).range(target.from)];
    if (column !== null && line <= view.state.doc.lines) {
      const offset = columnOffset(target.text, column);
      const token = target.text.slice(offset).match(TOKEN)?.[0] ?? '';
      if (token) marks.push(Decoration.mark({ class: 'civic-sql-error-token' }).range(target.from + offset, target.from + offset + token.length));
    }
    return Decoration.set(marks);
  });
}

/**
 * DuckDB SQL with highlighting and completion (CodeMirror's SQL language with DuckDB's keywords,
 * types and common functions): the input views, their visible columns, keywords and functions.
 * Read-only outside drafts.
 */
export const SqlEditor = forwardRef<
  SqlEditorHandle,
  {
    value: string;
    onChange?: (value: string) => void;
    readOnly?: boolean;
    schema?: Record<string, TableCompletion>;
    /** Columns offered bare, outside `input.`. */
    columns?: readonly ColumnCompletion[];
    errorLocation?: SqlLocation | null;
    minHeight?: string;
    maxHeight?: string;
    testId?: string;
  }
>(function SqlEditor({ value, onChange, readOnly = false, schema, columns, errorLocation = null, minHeight = '220px', maxHeight = '520px', testId = 'sql-editor' }, ref) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const editor = useRef<ReactCodeMirrorRef>(null);
  const line = errorLocation?.line ?? null;
  const column = errorLocation?.column ?? null;
  const extensions = useMemo(
    () => [
      duckdbSql({ schema: schema ?? {}, columns: columns ?? [], functionDetail: (kind) => t(`products.sql.functionKinds.${kind}`) }),
      EditorView.lineWrapping,
      errorLineTheme,
      errorMarks(line, column),
    ],
    [schema, columns, line, column, t],
  );

  useImperativeHandle(ref, () => ({
    goTo(location) {
      const view = editor.current?.view;
      if (!view) return;
      const target = view.state.doc.line(Math.min(Math.max(1, location.line), view.state.doc.lines));
      const anchor = Math.min(target.from + columnOffset(target.text, location.column), target.to);
      view.dispatch({ selection: { anchor }, scrollIntoView: true });
      view.focus();
    },
  }));

  return (
    <div
      data-testid={testId}
      data-readonly={readOnly}
      style={{ border: `1px solid ${token.colorBorder}`, borderRadius: token.borderRadius, overflow: 'hidden', background: readOnly ? token.colorFillQuaternary : undefined }}
    >
      <CodeMirror
        ref={editor}
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        editable={!readOnly}
        extensions={extensions}
        minHeight={minHeight}
        maxHeight={maxHeight}
        basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly, autocompletion: !readOnly }}
        aria-label={t('products.sql.editorLabel')}
      />
    </div>
  );
});
