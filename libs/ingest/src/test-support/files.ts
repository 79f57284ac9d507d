import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IngestOptions } from '../types.js';

let gb18030Table: Map<string, [number, number]> | null = null;

/**
 * Encodes text as GB18030 (two-byte characters only, which covers common Chinese), using a table
 * built from Node's own GB18030 decoder.
 */
export function encodeGb18030(text: string): Buffer {
  if (!gb18030Table) {
    gb18030Table = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && char !== '\uFFFD' && !gb18030Table.has(char)) gb18030Table.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gb18030Table.get(char);
      if (!pair) throw new Error(`no two-byte GB18030 code for ${char}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

export const SURVEY_CSV = [
  '年份,城市建设中渠道建设占比(%),渠道综合应用率(%),渠道建设形式创新率(%),城市整体建设优化率(%)',
  '2011,39,33,20,36',
  '2012,40,37,23,45',
  '2013,44,45,23,55',
  '2014,46,47,26,65',
  '2015,48,50,29,70',
  '',
].join('\n');

/** A temporary directory with an upload folder, an output folder and a work folder. */
export class Sandbox {
  private constructor(readonly root: string) {}

  static async create(): Promise<Sandbox> {
    return new Sandbox(await mkdtemp(path.join(os.tmpdir(), 'civic-ingest-test-')));
  }

  get workDir(): string {
    return path.join(this.root, 'work');
  }

  output(name = 'out.parquet'): string {
    return path.join(this.root, 'out', name);
  }

  async file(name: string, content: string | Uint8Array): Promise<string> {
    const filePath = path.join(this.root, name);
    await writeFile(filePath, content);
    return filePath;
  }

  /** Options for ingesting `name` (written with `content`) into a fresh output file. */
  async upload(name: string, content: string | Uint8Array, extra: Partial<IngestOptions> = {}): Promise<IngestOptions> {
    const sourcePath = await this.file(name, content);
    return { sourcePath, filename: name, outputPath: this.output(`${name}.parquet`), workDir: this.workDir, threads: 1, memoryLimit: '256MB', ...extra };
  }

  /** Files left in the work directory (it should be empty after every ingest). */
  async leftovers(): Promise<string[]> {
    return readdir(this.workDir).catch(() => []);
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
