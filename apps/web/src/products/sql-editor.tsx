import type { Completion } from '@codemirror/autocomplete';
import CodeMirror, { Decoration, EditorView, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { theme } from 'antd';
import { forwardRef, useImperativeHandle, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SqlLocation } from './derive-error';
import { duckdbSql } from './duckdb-sql';
import type { TableCompletion } from './sql-schema';

export interface SqlEditorHandle {
  /** Puts the cursor at a line and column (1-based) and scrolls it into view. */
  goTo(location: SqlLocation): void;
}

const errorLineTheme = EditorView.theme({
  '.civic-sql-error-line': { backgroundColor: 'rgba(255, 77, 79, 0.14)' },
  '&': { fontSize: '13px' },
  '.cm-scroller': { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'PingFang SC', monospace" },
});

/** Marks the line DuckDB reported an error on. */
function errorLine(line: number | null) {
  if (!line) return [];
  return EditorView.decorations.of((view) => {
    const target = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
    return Decoration.set([Decoration.line({ class: 'civic-sql-error-line' }).range(target.from)]);
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
    columns?: readonly Completion[];
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
  const extensions = useMemo(
    () => [
      duckdbSql({ schema: schema ?? {}, columns: columns ?? [], functionDetail: (kind) => t(`products.sql.functionKinds.${kind}`) }),
      EditorView.lineWrapping,
      errorLineTheme,
      errorLine(line),
    ],
    [schema, columns, line, t],
  );

  useImperativeHandle(ref, () => ({
    goTo(location) {
      const view = editor.current?.view;
      if (!view) return;
      const target = view.state.doc.line(Math.min(Math.max(1, location.line), view.state.doc.lines));
      const anchor = Math.min(target.from + Math.max(0, location.column - 1), target.to);
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
