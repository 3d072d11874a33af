// Reads a PDF from standard input with pdf-parse and prints { text, pages } as JSON. Run as its own Node
// process (test/support/pdf-text.ts): pdf.js loads its worker by a dynamic import, which Jest's module
// sandbox does not allow.
import { PDFParse } from 'pdf-parse';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
try {
  const result = await parser.getText();
  process.stdout.write(JSON.stringify({ text: result.text, pages: result.total }));
} finally {
  await parser.destroy();
}
