import { acceptCompletion, currentCompletions, startCompletion, type Completion } from '@codemirror/autocomplete';
import { EditorView } from '@uiw/react-codemirror';
import { waitFor } from '@testing-library/react';
import type { InputColumn } from '../api/schema-types';
import { productInput } from '../test/product-fixtures';
import { renderWithProviders } from '../test/render-with-providers';
import { completionInputs, draftsOf } from './input-drafts';
import { SqlEditor } from './sql-editor';
import { sqlColumnCompletions, sqlCompletionSchema } from './sql-schema';

const traffic = productInput({
  name: 'traffic',
  id: 'd0000000-0000-4000-8000-000000000011',
  columns: [
    { name: 'district', type: 'VARCHAR', sensitivity: 'quasi_identifier', pseudonym: false },
    { name: 'hour', type: 'TIMESTAMP', sensitivity: 'public', pseudonym: false },
    { name: 'vehicles', type: 'BIGINT', sensitivity: 'public', pseudonym: false },
  ],
});
const weather = productInput({
  name: 'weather',
  id: 'd0000000-0000-4000-8000-000000000012',
  position: 1,
  columns: [
    { name: 'district', type: 'VARCHAR', sensitivity: 'quasi_identifier', pseudonym: false },
    { name: '降雨量(mm)', type: 'DOUBLE', sensitivity: 'public', pseudonym: false },
  ],
});

/** Renders the editor over `inputs` with `doc`, the cursor at `|`, and returns the view. */
function editorWith(doc: string, inputs: ReadonlyArray<{ name: string; columns: readonly InputColumn[] }> = [traffic, weather], readOnly = false): EditorView {
  const value = doc.replace('|', '');
  const { container } = renderWithProviders(
    <SqlEditor value={value} onChange={() => undefined} readOnly={readOnly} schema={sqlCompletionSchema(inputs)} columns={sqlColumnCompletions(inputs)} />,
  );
  const view = EditorView.findFromDOM(container.querySelector<HTMLElement>('.cm-editor')!)!;
  view.dispatch({ selection: { anchor: doc.indexOf('|') } });
  return view;
}

/** What Ctrl+Space offers at the cursor. */
async function completionsAt(view: EditorView): Promise<readonly Completion[]> {
  startCompletion(view);
  await waitFor(() => expect(currentCompletions(view.state).length).toBeGreaterThan(0));
  return currentCompletions(view.state);
}

const labels = (options: readonly Completion[]) => options.map((option) => option.label);

/** Accepts the selected completion (the completion list ignores Enter for a moment after it opens). */
async function accept(view: EditorView): Promise<void> {
  await waitFor(() => expect(acceptCompletion(view)).toBe(true));
}

describe('<SqlEditor> completion', () => {
  it('offers the input views, their columns, DuckDB keywords and functions in a SELECT list', async () => {
    const view = editorWith('SELECT |');
    const options = await completionsAt(view);
    expect(labels(options)).toEqual(expect.arrayContaining(['traffic', 'weather', 'district', 'vehicles', '降雨量(mm)', 'FROM', 'QUALIFY', 'avg', 'row_number']));
    // The inputs and their columns come first, then keywords and functions.
    expect(labels(options).slice(0, 6)).toEqual(['district', 'hour', 'traffic', 'vehicles', 'weather', '降雨量(mm)']);
    // A column both inputs have is offered once, naming both.
    expect(options.filter((option) => option.label === 'district')).toEqual([expect.objectContaining({ detail: 'traffic, weather · VARCHAR', type: 'property' })]);
    expect(options.find((option) => option.label === '降雨量(mm)')).toMatchObject({ apply: '"降雨量(mm)"', detail: 'weather · DOUBLE' });
    expect(options.find((option) => option.label === 'avg')).toMatchObject({ type: 'function', detail: 'aggregate' });
    expect(options.find((option) => option.label === 'row_number')).toMatchObject({ type: 'function', detail: 'window function' });
    // Statements the sandbox refuses are not suggested.
    expect(labels(options)).not.toContain('COPY');
    expect(labels(options)).not.toContain('ATTACH');
    expect(labels(options)).not.toContain('PRAGMA');
  });

  it('offers only the columns of the input named before the dot, or of the input an alias stands for', async () => {
    expect(labels(await completionsAt(editorWith('SELECT traffic.|')))).toEqual(['district', 'hour', 'vehicles']);
    expect(labels(await completionsAt(editorWith('SELECT w.| FROM weather w JOIN traffic t USING (district)')))).toEqual(['district', '降雨量(mm)']);
    const quoted = await completionsAt(editorWith('SELECT weather.降|'));
    expect(quoted.find((option) => option.label === '降雨量(mm)')).toMatchObject({ apply: '"降雨量(mm)"' });
  });

  it('inserts a function with its parentheses, count with *', async () => {
    const view = editorWith('SELECT coun|');
    expect(labels(await completionsAt(view))[0]).toBe('count');
    await accept(view);
    expect(view.state.doc.toString()).toBe('SELECT count(*)');

    const average = editorWith('SELECT av|');
    expect(labels(await completionsAt(average))[0]).toBe('avg');
    await accept(average);
    expect(average.state.doc.toString()).toBe('SELECT avg()');
    expect(average.state.selection.main.head).toBe('SELECT avg('.length);
  });

  it('completes the inputs being edited: a renamed input by its new name with its saved columns, a new one by its name', async () => {
    const drafts = draftsOf([traffic, weather]).map((draft) => (draft.name === 'weather' ? { ...draft, name: 'rain' } : draft));
    const inputs = completionInputs([...drafts, { key: 'new', source: 'dataset:d0000000-0000-4000-8000-000000000099', name: 'air', weight: 1, nameSuggested: true }], [traffic, weather]);
    expect(inputs.map((input) => [input.name, input.columns.length])).toEqual([
      ['traffic', 3],
      ['rain', 2],
      ['air', 0],
    ]);
    const options = await completionsAt(editorWith('SELECT * FROM |', inputs));
    expect(labels(options)).toEqual(expect.arrayContaining(['traffic', 'rain', 'air']));
    expect(labels(options)).not.toContain('weather');
  });

  it('completes a Chinese column name as typed, with or without an opening quote, replacing the typed name', async () => {
    const bare = editorWith('SELECT 降|');
    expect(labels(await completionsAt(bare))[0]).toBe('降雨量(mm)');
    await accept(bare);
    expect(bare.state.doc.toString()).toBe('SELECT "降雨量(mm)"');

    // An opening quote (and the closing one the editor adds) is replaced too.
    const quoted = editorWith('SELECT "降|" FROM weather');
    expect(labels(await completionsAt(quoted))[0]).toBe('降雨量(mm)');
    await accept(quoted);
    expect(quoted.state.doc.toString()).toBe('SELECT "降雨量(mm)" FROM weather');

    const unclosed = editorWith('SELECT "降雨|');
    expect(labels(await completionsAt(unclosed))[0]).toBe('降雨量(mm)');
    await accept(unclosed);
    expect(unclosed.state.doc.toString()).toBe('SELECT "降雨量(mm)"');

    // A plain name typed in quotes is inserted bare.
    const plain = editorWith('SELECT "veh|');
    await completionsAt(plain);
    await accept(plain);
    expect(plain.state.doc.toString()).toBe('SELECT vehicles');
  });

  it('offers completions while a Chinese name is typed, without Ctrl+Space', async () => {
    const view = editorWith('SELECT |');
    view.dispatch({ changes: { from: view.state.selection.main.head, insert: '降' }, selection: { anchor: 'SELECT 降'.length }, userEvent: 'input.type' });
    await waitFor(() => expect(labels(currentCompletions(view.state))).toContain('降雨量(mm)'));
  });

  it('ranks the inputs first after FROM or JOIN, and the columns of the inputs read above others elsewhere', async () => {
    const hospital = productInput({
      name: 'hospital_outpatient',
      id: 'd0000000-0000-4000-8000-000000000013',
      columns: [{ name: 'visits', type: 'BIGINT', sensitivity: 'public', pseudonym: false }],
    });
    const clinics = productInput({
      name: 'clinics',
      id: 'd0000000-0000-4000-8000-000000000014',
      columns: [{ name: 'hospital_name', type: 'VARCHAR', sensitivity: 'public', pseudonym: false }],
    });
    expect(labels(await completionsAt(editorWith('SELECT * FROM hos|', [clinics, hospital])))[0]).toBe('hospital_outpatient');
    expect(labels(await completionsAt(editorWith('SELECT * FROM traffic JOIN |', [traffic, weather, hospital]))).slice(0, 3)).toEqual(['hospital_outpatient', 'traffic', 'weather']);
    // In WHERE: the columns of weather (read) before the other inputs' columns.
    const where = labels(await completionsAt(editorWith('SELECT * FROM weather WHERE |', [traffic, weather])));
    expect(where.slice(0, 2)).toEqual(['district', '降雨量(mm)']);
    expect(where.indexOf('vehicles')).toBeGreaterThan(where.indexOf('降雨量(mm)'));
    // The FROM after the cursor counts too, and an alias is offered.
    const select = await completionsAt(editorWith('SELECT | FROM traffic t', [traffic, weather]));
    expect(labels(select).slice(0, 4)).toEqual(['district', 'hour', 't', 'vehicles']);
  });

  it('offers nothing in a read-only editor', async () => {
    const view = editorWith('SELECT |', [traffic], true);
    startCompletion(view);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(currentCompletions(view.state)).toEqual([]);
  });
});

describe('<SqlEditor> error marks', () => {
  /** The marked line and token of the editor's text when DuckDB reported an error at `location`. */
  function marks(doc: string, location: { line: number; column: number }) {
    const { container } = renderWithProviders(<SqlEditor value={doc} onChange={() => undefined} errorLocation={location} />);
    return {
      line: container.querySelector('.civic-sql-error-line')?.textContent ?? null,
      token: container.querySelector('.civic-sql-error-token')?.textContent ?? null,
    };
  }

  it('marks the line and underlines the token of a binder error as of a syntax error', () => {
    // Wrong arguments (DuckDB's binder): the call.
    expect(marks('SELECT district,\n  abs(vehicles, 2) AS a\nFROM traffic', { line: 2, column: 3 })).toEqual({ line: '  abs(vehicles, 2) AS a', token: 'abs' });
    // A syntax error near a quoted name: the name with its quotes.
    expect(marks('SELECT vehicles "a" "b" FROM traffic', { line: 1, column: 21 })).toEqual({ line: 'SELECT vehicles "a" "b" FROM traffic', token: '"b"' });
    // The column counts characters: after an emoji, still the right token.
    expect(marks("SELECT '🚗' AS icon, nope FROM traffic", { line: 1, column: 21 })).toEqual({ line: "SELECT '🚗' AS icon, nope FROM traffic", token: 'nope' });
    // The end of the input: the line only.
    expect(marks('SELECT vehicles FROM traffic WHERE', { line: 1, column: 35 })).toEqual({ line: 'SELECT vehicles FROM traffic WHERE', token: null });
  });
});
