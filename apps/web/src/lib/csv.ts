// CSV for spreadsheets, made in the browser from rows already fetched (and so already logged as read).
// Safe against formula injection: a cell that a spreadsheet would read as a formula (starting with =, +, -, @,
// a tab or a carriage return) is prefixed with an apostrophe, and every cell is quoted.

/** Characters that make Excel, LibreOffice and Google Sheets treat a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-neutralised, quoted, inner quotes doubled. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A whole file: a header row and the rows, separated by semicolons (what Excel expects with Swedish settings),
 * lines ending CRLF (RFC 4180), with a byte-order mark so Excel reads å, ä and ö as UTF-8.
 */
export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** Offers the text as a file to save. */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
