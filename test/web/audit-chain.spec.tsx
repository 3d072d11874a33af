/** @jest-environment jsdom */
import { screen } from '@testing-library/react';
import { loadLanguage } from '../../apps/web/src/i18n/i18n';
import { AuditHomePage } from '../../apps/web/src/pages/audit-home-page';
import { renderPage } from './render';

const broken = {
  accessLogVerification: {
    ok: false,
    sealed: 40,
    unsealed: 0,
    headSeq: '40',
    headHash: 'ab12',
    problems: [
      { chainSeq: '17', entryId: '17', code: 'ENTRY_CHANGED', params: { at: null, line: null } },
      { chainSeq: '-', entryId: null, code: 'CHECKPOINT_FORGED', params: { at: null, line: 2 } },
    ],
  },
};

// The chain check's problems come as codes; the auditor reads them in their language, never the API's English.
describe('the chain check on the auditor’s home page', () => {
  beforeAll(() => loadLanguage('en'));

  it('words each problem from its code and parameters, in Swedish', async () => {
    renderPage(<AuditHomePage />, { AccessLogVerification: broken }, { staff: { auditor: true, profession: 'OTHER' } });
    expect(await screen.findByText(/Plats 17: raden har ändrats efter försegling/)).toBeInTheDocument();
    expect(screen.getByText(/rad 2 i kontrollpunktsfilen har ändrats eller förfalskats/)).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/changed after sealing|altered or forged/);
  });

  it('and in English when English is chosen', async () => {
    renderPage(
      <AuditHomePage />,
      { AccessLogVerification: broken },
      { language: 'en', staff: { auditor: true, profession: 'OTHER' } },
    );
    expect(await screen.findByText(/Place 17: the entry was changed after sealing/)).toBeInTheDocument();
  });
});
