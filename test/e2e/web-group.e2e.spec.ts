import fs from 'node:fs';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import {
  buildWebClient,
  expectText,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/browser';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(180_000);

const PASSWORD = 'samverka-demo';

/**
 * Issue 11, the collaboration group tab in real headless Chromium against the real API (this file's own
 * database with the demo data): a social worker opens her organisation's care episode, adds the nurse
 * from the staff directory (keyboard only), who brings in the region by opening hers; the social worker
 * hands the coordinator's role over, is named a voting representative, enrols the person in the ACT
 * team, changes the case manager and ends the place; on the decisions page she withdraws a proposal, and
 * a discharge request asks for confirmation before it is sent. Each state is checked with axe-core and saved under test-artifacts/web/.
 */
describe('the collaboration group in the browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db, { webClientDir: webDir });
    base = api.url.replace(/\/graphql$/, '');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(`${username}: ${error.message}`));
    // A refused save is an answer the page explains, not an error: any error in the console fails the test.
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${username}: ${m.text()}`));
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    return page;
  }

  async function checkPage(page: Page, name: string): Promise<void> {
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    await screenshot(page, name);
    expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
      page: name,
      violations: [],
    });
  }

  async function call(token: string, query: string, variables: Record<string, unknown> = {}) {
    const result = await api.gql<any>(query, variables, token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  }

  /** The accessible name of the focused element (its label, or its own name). */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.labels?.[0]?.textContent?.trim() ?? el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
    });
  /** Tabs until the focused element is named `name` (at most 15 steps): only the keyboard moves. */
  async function tabTo(page: Page, name: string | RegExp): Promise<void> {
    for (let i = 0; i < 15; i++) {
      const now = await focused(page);
      if (typeof name === 'string' ? now === name : name.test(now)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${name} (focus is on ${await focused(page)})`);
  }
  const dialog = (page: Page) => page.getByRole('dialog');
  const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

  it('a social worker runs the group, the care episode and the ACT place; a proposal is withdrawn; a discharge asks first', async () => {
    const [caseManager, social, nurse] = await Promise.all(
      ['casemanager', 'socialworker', 'nurse'].map((u) => api.login(u, PASSWORD)),
    );
    const ids = Object.fromEntries(
      await Promise.all(
        Object.entries({ caseManager, social, nurse }).map(async ([k, token]) => [
          k,
          (await call(token, `{ me { id } }`)).me.id,
        ]),
      ),
    );

    // Before: the city's ACT case manager registered the person, who consented to sharing within the
    // group; the social worker joined without a vote and took over as coordinator.
    const person = (
      await call(caseManager, `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }`, {
        i: {
          identityKind: 'UNIDENTIFIED',
          givenName: 'Vera',
          familyName: 'Gruppsson',
          birthYear: 1979,
          legalGender: 'FEMALE',
          roleInGroup: 'case manager, Bostad Först',
        },
      })
    ).registerPerson;
    await call(caseManager, `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
      i: { personId: person.id, purpose: 'SHARING', scope: 'WHOLE_GROUP', givenHow: 'WRITTEN' },
    });
    await call(caseManager, `mutation($i: AddGroupMemberInput!) { addGroupMember(input: $i) { id } }`, {
      i: { personId: person.id, staffId: ids.social, role: 'socialsekreterare, beroende' },
    });
    await call(caseManager, `mutation($i: SetCoordinatorInput!) { setCoordinator(input: $i) { id } }`, {
      i: { personId: person.id, staffId: ids.social },
    });

    const page = await signIn('socialworker');
    await page.goto(`${base}/persons/${person.id}`);
    await page.locator('nav.tabs').getByRole('link', { name: 'Samverkansgrupp' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Samverkansgrupp för Vera Gruppsson' }));
    const members = page.getByTestId('member');
    await expectText(members.filter({ hasText: 'Elin Bergkvist' }).locator('th'), /Elin Bergkvist.*Samordnare/);
    await expectVisible(page.getByText('Ingen huvudman har aktualiserat personen ännu.'));
    await expectVisible(page.getByText('Personen är inte inskriven i något ACT-team.'));
    await checkPage(page, '20-group-empty');

    // Aktualisera: the social worker's organisation opens its care episode. A kind it cannot hold is refused at the field.
    await page.getByRole('button', { name: 'Aktualisera' }).click();
    await expectVisible(dialog(page));
    await checkPage(page, '21-group-open-episode-dialog');
    await dialog(page).getByLabel('Verksamhet').selectOption('PSYCHIATRY');
    await dialog(page).getByRole('button', { name: 'Aktualisera' }).click();
    await expectText(dialog(page).locator('.field-error'), 'Din organisation kan inte hålla en sådan aktualitet.');
    expect(await isFocused(dialog(page).getByLabel('Verksamhet'))).toBe(true);
    await checkPage(page, '22-group-open-episode-refused');
    await dialog(page).getByLabel('Verksamhet').selectOption('SOCIAL_SERVICES');
    await dialog(page).getByRole('button', { name: 'Aktualisera' }).click();
    await expectText(page.getByTestId('episode-SOCIAL_SERVICES').locator('.tag'), 'Aktiv');
    await dialog(page).waitFor({ state: 'hidden' });

    // The nurse is added from the staff directory with the keyboard alone, as a voting representative of the region.
    const add = page.getByRole('button', { name: 'Lägg till medlem' });
    await add.focus();
    await page.keyboard.press('Enter');
    await expectVisible(dialog(page));
    await tabTo(page, 'Sök i personalkatalogen (namn)');
    await checkPage(page, '23-group-add-member-dialog');
    // Sent with nothing chosen: both problems are shown, and focus goes back to the search.
    await tabTo(page, 'Lägg till');
    await page.keyboard.press('Enter');
    await expectText(dialog(page).locator('.field-error').first(), 'Välj en medarbetare bland träffarna.');
    await expectText(dialog(page).locator('.field-error').nth(1), 'Obligatoriskt fält');
    expect(await focused(page)).toBe('Sök i personalkatalogen (namn)');
    await checkPage(page, '24-group-add-member-errors');
    await page.keyboard.type('sara holm');
    await expectVisible(
      dialog(page).getByRole('radio', {
        name: /^Sara Holmgren, Sjuksköterska – Psykiatri Södra Stockholm \(Psykosmottagning Söder\) · Regionen$/,
      }),
    );
    await checkPage(page, '25-group-add-member-results');
    await tabTo(page, /^Sara Holmgren/);
    await page.keyboard.press('Space');
    expect(
      await dialog(page)
        .getByRole('radio', { name: /^Sara Holmgren/ })
        .isChecked(),
    ).toBe(true);
    await tabTo(page, 'Roll i gruppen');
    await page.keyboard.type('kontaktsjuksköterska');
    await tabTo(page, 'Röstar för huvudmannen');
    await page.keyboard.press('Space');
    await tabTo(page, 'Lägg till');
    await page.keyboard.press('Enter');
    await expectText(members.filter({ hasText: 'Sara Holmgren' }).locator('td').nth(2), 'kontaktsjuksköterska');
    await dialog(page).waitFor({ state: 'hidden' });
    // Focus is back on the button that opened the dialog.
    expect(await isFocused(add)).toBe(true);
    const nurseRow = members.filter({ hasText: 'Sara Holmgren' });
    await expectText(nurseRow.locator('td').nth(0), /Psykiatri Södra Stockholm/);
    await expectText(nurseRow.locator('td').nth(1), 'Regionen');
    await expectText(nurseRow.locator('th'), /Röstberättigad/);
    await checkPage(page, '26-group-filled');

    // Another principal's vote is not hers to change: refused, in Swedish, above the buttons.
    await nurseRow.getByRole('button', { name: 'Ändra rösträtt: Sara Holmgren' }).click();
    await dialog(page).getByLabel('Röstar för huvudmannen').uncheck();
    await dialog(page).getByRole('button', { name: 'Spara' }).click();
    await expectText(
      dialog(page).getByRole('alert'),
      'Bara medlemmen själv eller personal i medlemmens egen organisation kan ändra vem som röstar för huvudmannen.',
    );
    await checkPage(page, '27-group-voting-refused');
    // Leaving the unsaved change asks first.
    const asked: string[] = [];
    page.once('dialog', (confirm) => {
      asked.push(confirm.message());
      void confirm.accept();
    });
    await dialog(page).getByRole('button', { name: 'Avbryt' }).click();
    expect(asked).toEqual(['Du har ändringar som inte är sparade. Vill du lämna utan att spara?']);
    await dialog(page).waitFor({ state: 'hidden' });

    // She is named the municipality's voting representative (her own organisation may).
    const myRow = members.filter({ hasText: 'Elin Bergkvist' });
    await myRow.getByRole('button', { name: 'Ändra rösträtt: Elin Bergkvist' }).click();
    await dialog(page).getByLabel('Röstar för huvudmannen').check();
    await dialog(page).getByRole('button', { name: 'Spara' }).click();
    await expectText(myRow.locator('th'), /Röstberättigad/);

    // She hands the coordinator's role to the nurse.
    await nurseRow.getByRole('button', { name: 'Gör till samordnare: Sara Holmgren' }).click();
    await expectVisible(dialog(page).getByText('Sara Holmgren blir samordnare för gruppen.'));
    await dialog(page).getByRole('button', { name: 'Gör till samordnare' }).click();
    await expectText(nurseRow.locator('th'), /Samordnare/);
    await expectText(myRow.locator('th'), /^(?!.*Samordnare)/);
    const group = (
      await call(
        social,
        `query($id: ID!) { person(id: $id) { collaborationGroup { coordinatorStaffId members { staffId votingRepresentative } } } }`,
        { id: person.id },
      )
    ).person.collaborationGroup;
    expect(group.coordinatorStaffId).toBe(ids.nurse);
    expect(group.members).toEqual(
      expect.arrayContaining([
        { staffId: ids.social, votingRepresentative: true },
        { staffId: ids.nurse, votingRepresentative: true },
      ]),
    );

    // The region is brought in: the nurse, now in the group, opens her organisation's care episode (aktualiserar psykiatrin).
    const nursePage = await signIn('nurse');
    await nursePage.goto(`${base}/persons/${person.id}/group`);
    await expectVisible(nursePage.getByRole('heading', { level: 1, name: 'Samverkansgrupp för Vera Gruppsson' }));
    await nursePage.getByRole('button', { name: 'Aktualisera' }).click();
    expect(await dialog(nursePage).getByLabel('Verksamhet').inputValue()).toBe('PSYCHIATRY');
    await dialog(nursePage).getByRole('button', { name: 'Aktualisera' }).click();
    await expectText(nursePage.getByTestId('episode-PSYCHIATRY').locator('.tag'), 'Aktiv');
    await expectVisible(nursePage.getByRole('button', { name: 'Avsluta aktualitet' }));

    // ACT: enrolled with the city's case manager, who is then replaced by the region's; then the place ends.
    await page.getByRole('button', { name: 'Skriv in i ACT-team' }).click();
    await checkPage(page, '28-group-act-enrol-dialog');
    await dialog(page)
      .getByLabel('ACT-team', { exact: true })
      .selectOption({ label: 'ACT Stockholm Syd (Psykiatri Södra Stockholm)' });
    await dialog(page)
      .getByLabel('Case manager (ur teamets medlemmar)')
      .selectOption({ label: 'Jonas Ekström, Case manager' });
    await dialog(page).getByRole('button', { name: 'Skriv in i ACT-team' }).click();
    const place = page.getByTestId('act-place');
    await expectText(place.locator('strong'), 'ACT Stockholm Syd');
    await expectVisible(place.getByText('Case manager: Jonas Ekström'));
    await place.getByRole('button', { name: 'Byt case manager' }).click();
    await dialog(page).getByLabel('Ny case manager').selectOption({ label: 'Linnea Björk, Case manager' });
    await dialog(page).getByRole('button', { name: 'Spara' }).click();
    await expectVisible(place.getByText('Case manager: Linnea Björk'));
    await checkPage(page, '29-group-act-place');
    await place.getByRole('button', { name: 'Avsluta platsen' }).click();
    await expectVisible(dialog(page).getByText(/ACT Stockholm Syds ärendelista avslutas i dag/));
    await dialog(page).getByRole('button', { name: 'Avsluta platsen' }).click();
    await expectVisible(page.getByText('Personen är inte inskriven i något ACT-team.'));
    const places = await db.dataSource.query(
      `SELECT case_manager_staff_id, valid_to FROM act_team_client WHERE person_id = $1`,
      [person.id],
    );
    expect(places).toHaveLength(1);
    expect(places[0].valid_to).not.toBeNull();

    // The decisions page: a proposal of hers is withdrawn with a reason.
    await call(social, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
      i: {
        personId: person.id,
        type: 'HOUSING_PLACEMENT',
        title: 'Träningslägenhet',
        rationale: 'Redo för eget boende',
        deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    });
    await page.locator('nav.tabs').getByRole('link', { name: 'Beslut' }).click();
    const proposal = page.getByTestId('proposal').filter({ hasText: 'Träningslägenhet' });
    await proposal.getByRole('button', { name: 'Dra tillbaka förslaget' }).click();
    await dialog(page).getByRole('button', { name: 'Dra tillbaka förslaget' }).click();
    await expectText(dialog(page).locator('.field-error'), 'Obligatoriskt fält');
    await checkPage(page, '30-decisions-withdraw-errors');
    await dialog(page).getByLabel('Skäl').fill('Personen vill vänta till efter sommaren.');
    await dialog(page).getByRole('button', { name: 'Dra tillbaka förslaget' }).click();
    await expectText(proposal.locator('.tag').first(), 'Tillbakadraget');

    // A discharge of her organisation's episode, approved by the group, asks before it is sent.
    const episodeId = (
      await call(social, `query($id: ID!) { person(id: $id) { careEpisodes { id kind status } } }`, { id: person.id })
    ).person.careEpisodes.find((e: any) => e.kind === 'SOCIAL_SERVICES').id;
    const discharge = (
      await call(social, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id electorate { staffId } } }`, {
        i: {
          personId: person.id,
          type: 'DISCHARGE',
          episodeId,
          title: 'Avsluta aktualitet',
          rationale: 'Stabil i sex månader',
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      })
    ).openProposal;
    const electors: Record<string, string> = {
      [ids.social]: social,
      [ids.nurse]: nurse,
      [ids.caseManager]: caseManager,
    };
    for (const e of discharge.electorate)
      await call(electors[e.staffId], `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`, {
        i: { proposalId: discharge.id, choice: 'AGREE' },
      });
    const requests = () =>
      db.dataSource.query(`SELECT status FROM discharge_request WHERE episode_id = $1`, [episodeId]);
    const episode = page.getByTestId('episode-SOCIAL_SERVICES');
    await expectVisible(episode.getByRole('button', { name: 'Avsluta aktualiteten', exact: true }));
    await episode.getByRole('button', { name: 'Avsluta aktualiteten', exact: true }).click();
    await expectVisible(dialog(page).getByText(/Aktualiteten avslutas med samverkansgruppens godkända beslut/));
    await checkPage(page, '31-decisions-discharge-confirm');
    // Cancelled: nothing is sent.
    await dialog(page).getByRole('button', { name: 'Avbryt' }).click();
    await dialog(page).waitFor({ state: 'hidden' });
    expect(await requests()).toEqual([]);
    // Confirmed: the request is sent and, the group's decision being there, executed at once in its own
    // transaction (the worker is needed only for a request that must wait).
    await episode.getByRole('button', { name: 'Avsluta aktualiteten', exact: true }).click();
    await dialog(page).getByRole('button', { name: 'Ja, avsluta aktualiteten' }).click();
    await expectText(episode.locator('.request-executed'), 'Verkställd');
    await expectText(episode.locator('.tag'), 'Avslutad');
    expect(await requests()).toEqual([{ status: 'EXECUTED' }]);
  });
});
