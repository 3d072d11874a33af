import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * The text and page count of a PDF, parsed by pdf-parse (pdf.js) in a Node process of its own (see
 * pdf-parse-process.mjs). Whitespace is folded to single spaces: the checks read words, not layout.
 */
export function pdfText(pdf: ArrayBuffer | Buffer): Promise<{ text: string; pages: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(__dirname, 'pdf-parse-process.mjs')],
      { maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`pdf-parse failed: ${stderr || error.message}`));
        const parsed = JSON.parse(stdout) as { text: string; pages: number };
        resolve({ text: parsed.text.replace(/\s+/g, ' '), pages: parsed.pages });
      },
    );
    child.stdin!.end(Buffer.from(pdf instanceof ArrayBuffer ? new Uint8Array(pdf) : pdf));
  });
}
