import { csvCell, toCsv } from '../../apps/web/src/lib/csv';

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const formula of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvCell(formula).startsWith(`"'`)).toBe(true);
    }
    expect(csvCell('Anna Andersson')).toBe('"Anna Andersson"');
    expect(csvCell('Region "Syd"')).toBe('"Region ""Syd"""');
    expect(csvCell(null)).toBe('""');
  });

  it('writes a header, semicolon-separated quoted cells, CRLF lines and a byte-order mark', () => {
    expect(
      toCsv(
        ['När', 'Vem'],
        [
          ['2026-12-07', "=cmd|' /C calc'!A0"],
          ['2026-12-06', 'Åsa; Öberg'],
        ],
      ),
    ).toBe('\uFEFF"När";"Vem"\r\n"2026-12-07";"\'=cmd|\' /C calc\'!A0"\r\n"2026-12-06";"Åsa; Öberg"\r\n');
  });
});
