import { readFile } from 'node:fs/promises';
import { HushError } from '../errors/index.js';

/** A NAB-style CSV file (no quoting): the header's column positions and the data rows, split. */
export interface CsvTable {
  file: string;
  columns: ReadonlyMap<string, number>;
  rows: string[][];
}

/** Reads a CSV file whose header must name every one of `required`; rows must have the header's width. */
export async function readCsvTable(file: string, required: readonly string[]): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (thrown) {
    throw new HushError('HUSH_ERR_VALIDATION', `cannot read ${file}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
  }
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const header = (lines[0] ?? '').split(',').map((name) => name.trim());
  const columns = new Map(header.map((name, index) => [name, index]));
  const missing = required.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new HushError('HUSH_ERR_VALIDATION', `${file}:1: header "${lines[0] ?? ''}" lacks column ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const fields = (lines[i] as string).split(',');
    if (fields.length !== header.length) {
      throw new HushError('HUSH_ERR_VALIDATION', `${file}:${i + 1}: expected ${header.length} fields, got ${fields.length}: "${lines[i]}"`);
    }
    rows.push(fields);
  }
  return { file, columns, rows };
}

/** The field of `column` in data row `index` (0-based), as a finite number, or a validation error naming file and line. */
export function numberField(table: CsvTable, index: number, column: string): number {
  const raw = field(table, index, column);
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new HushError('HUSH_ERR_VALIDATION', `${table.file}:${index + 2}: ${column} "${raw}" is not a finite number`);
  }
  return value;
}

/** The raw text of `column` in data row `index` (0-based). */
export function field(table: CsvTable, index: number, column: string): string {
  return (table.rows[index] as string[])[table.columns.get(column) as number] as string;
}
