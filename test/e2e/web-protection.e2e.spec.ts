import { Page } from 'playwright-core';
import { expectText, expectVisible } from '../support/browser';
import { choose, focusedName, tabTo, typeInto } from '../support/keyboard';
import { useWebScene } from '../support/web-scene';

jest.setTimeout(240_000);

/**
 * Issue 11, the two settings that had no screen, in real headless Chromium against the real API and the demo
 * data. A social worker authorised for protected whereabouts changes a person's protection level from the
 * keyboard (the API refuses a too short reason at its field), sees the new level, and the change is recorded
 * for the auditors; a colleague in the same group without that authorisation sees the level but is offered no
 * change; with the authorisation withdrawn while still signed in, the API's refusal is shown in Swedish. The
 * administrator changes an ACT team's no-contact reminder (a value outside the API's bounds refused at the
 * field), and the team's case manager sees the new value on the team page, without a way to change it.
 */
describe('protection level and no-contact reminder in the browser', () => {
  const scene = useWebScene();

  const dialog = (page: Page) => page.locator('dialog[open]');
  const protection = (page: Page) => page.getByRole('region', { name: 'Skyddade personuppgifter' });
  /** Jessica Nordin (skyddad folkbokföring in the demo data), as the signed-in page's caseload links her. */
  const openJessica = async (page: Page): Promise<string> => {
    const href = (await page.getByRole('link', { name: 'Jessica Nordin' }).first().getAttribute('href'))!;
    const personId = href.split('/')[2];
    await page.goto(`${scene.base}/persons/${personId}/details`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Uppgifter om Jessica Nordin' }));
    return personId;
  };
  const fromTop = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  it('lets staff authorised for protected whereabouts change the level by keyboard, with a reason, and shows it', async () => {
    const page = await scene.signIn('protectedidentity');
    const personId = await openJessica(page);
    await expectText(protection(page).getByTestId('protection-level'), 'Skyddad folkbokföring');
    await expectVisible(protection(page).getByText(/folkbokförd på annan ort/));
    // Authorised, she is shown the address, and told so (not that it is hidden).
    await expectVisible(
      page.getByRole('region', { name: 'Boende' }).getByText(/adressen visas för dig eftersom du är behörig/),
    );

    await fromTop(page);
    await tabTo(page, 'Ändra skyddsnivå', { limit: 250 });
    await page.keyboard.press('Enter');
    await expectVisible(dialog(page));
    await expectVisible(
      dialog(page).getByText(
        /loggas med ditt namn och skälet, samverkansgruppen får en notis och en logggranskare granskar/,
      ),
    );
    // The level the person has is not offered again.
    const offered = await dialog(page).getByLabel('Ny skyddsnivå').locator('option').allTextContents();
    expect(offered).toEqual(['Välj skyddsnivå', 'Ingen', 'Sekretessmarkering', 'Fingerade personuppgifter']);

    // Nothing chosen: refused at the level, which gets focus.
    await tabTo(page, 'Spara skyddsnivån');
    await page.keyboard.press('Enter');
    await expectText(dialog(page).locator('.field-error').first(), 'Obligatoriskt fält');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    expect(await focusedName(page)).toBe('Ny skyddsnivå');

    // A reason shorter than the API's ten characters: the API refuses it at the reason.
    await choose(page, 'Ny skyddsnivå', 'Sekretessmarkering');
    await typeInto(page, 'Skäl till ändringen', 'Beslut');
    await tabTo(page, 'Spara skyddsnivån');
    await page.keyboard.press('Enter');
    await expectText(dialog(page).locator('.field-error'), 'Minst 10 tecken.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    expect(await focusedName(page)).toBe('Skäl till ändringen');
    await scene.checkPage(page, 'protection-01-dialog-refused');

    await typeInto(
      page,
      'Skäl till ändringen',
      'Skatteverkets beslut den 1 december: skyddad folkbokföring upphör, sekretessmarkering kvarstår.',
    );
    await tabTo(page, 'Spara skyddsnivån');
    await page.keyboard.press('Enter');
    await dialog(page).waitFor({ state: 'hidden' });
    await expectText(protection(page).getByTestId('protection-level'), 'Sekretessmarkering');
    await expectVisible(protection(page).getByText(/sekretesspröva alltid/));
    await scene.checkPage(page, 'protection-02-changed');

    // The API holds the new level, and the change waits for an auditor with its reason.
    const person = await scene.call('protectedidentity', `query($id: ID!) { person(id: $id) { protectedIdentity } }`, {
      id: personId,
    });
    expect(person.person.protectedIdentity).toBe('SEKRETESSMARKERING');
    const changes = await scene.call(
      'auditor',
      `{ protectedIdentityChanges(first: 10, unreviewedOnly: true) { edges { node { personId fromLevel toLevel reason } } } }`,
    );
    expect(changes.protectedIdentityChanges.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      personId,
      fromLevel: 'SKYDDAD_FOLKBOKFORING',
      toLevel: 'SEKRETESSMARKERING',
      reason: 'Skatteverkets beslut den 1 december: skyddad folkbokföring upphör, sekretessmarkering kvarstår.',
    });
  });

  it('shows the level to a colleague in the group without the authorisation, and offers no change', async () => {
    const page = await scene.signIn('psychiatrist');
    await openJessica(page);
    await expectText(protection(page).getByTestId('protection-level'), 'Sekretessmarkering');
    await expectVisible(
      protection(page).getByText('Skyddsnivån ändras av personal som är behörig till skyddad vistelseort.'),
    );
    expect(await page.getByRole('button', { name: 'Ändra skyddsnivå' }).count()).toBe(0);
    await expectVisible(
      page.getByRole('region', { name: 'Boende' }).getByText('Adressen visas inte (skyddad identitet).'),
    );
    await scene.checkPage(page, 'protection-03-not-authorised');
  });

  it("shows the API's refusal in Swedish when the authorisation is withdrawn while signed in", async () => {
    const page = await scene.signIn('protectedidentity');
    const personId = await openJessica(page);
    const me = await scene.call('protectedidentity', `{ me { id } }`);
    // The organisation's administrator would do this; the global administrator may too.
    await scene.call(
      'admin',
      `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { id whereaboutsAuthorised } }`,
      { i: { staffId: me.me.id, whereaboutsAuthorised: false } },
    );

    await page.getByRole('button', { name: 'Ändra skyddsnivå' }).click();
    await dialog(page).getByLabel('Ny skyddsnivå').selectOption({ label: 'Ingen' });
    await dialog(page).getByLabel('Skäl till ändringen').fill('Skyddet har upphört enligt Skatteverket.');
    await dialog(page).getByRole('button', { name: 'Spara skyddsnivån' }).click();
    await expectText(
      dialog(page).locator('.form-problem'),
      'Bara personal hos personens egen huvudman, i personens samverkansgrupp eller ACT-team och behörig till skyddad vistelseort, får ändra skyddsnivån.',
    );
    await scene.checkPage(page, 'protection-04-refused');
    const person = await scene.call('psychiatrist', `query($id: ID!) { person(id: $id) { protectedIdentity } }`, {
      id: personId,
    });
    expect(person.person.protectedIdentity).toBe('SEKRETESSMARKERING');
  });

  it("lets the administrator change an ACT team's no-contact reminder by keyboard, and the team sees it", async () => {
    const { actTeams } = await scene.call<{
      actTeams: Array<{ id: string; name: string; noContactAlertDays: number }>;
    }>('admin', `{ actTeams { id name noContactAlertDays } }`);
    const team = actTeams[0];
    expect(team.noContactAlertDays).toBe(7);

    const admin = await scene.signIn('admin', 'Administration');
    await admin.goto(`${scene.base}/admin/act-teams`);
    const section = admin.getByRole('region', { name: new RegExp(`^${team.name}`) });
    await expectText(
      section.getByTestId('no-contact-alert'),
      'Teamet påminns när en person i teamet inte har haft kontakt på 7 dagar.',
    );
    await fromTop(admin);
    await tabTo(admin, 'Ändra antal dagar utan kontakt', { limit: 250 });
    await admin.keyboard.press('Enter');
    await expectVisible(dialog(admin));
    await expectVisible(dialog(admin).getByText('Från 1 till 90 dagar. Gäller alla personer i teamet.'));

    // Over the API's bound: refused at the field, with the bound.
    await typeInto(admin, 'Antal dagar utan kontakt', '91');
    await admin.keyboard.press('Enter');
    await expectText(dialog(admin).locator('.field-error'), 'Högst 90.');
    await admin.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    expect(await focusedName(admin)).toBe('Antal dagar utan kontakt');
    await scene.checkPage(admin, 'alert-days-01-refused');

    await typeInto(admin, 'Antal dagar utan kontakt', '14');
    await admin.keyboard.press('Enter');
    await dialog(admin).waitFor({ state: 'hidden' });
    await expectText(
      section.getByTestId('no-contact-alert'),
      'Teamet påminns när en person i teamet inte har haft kontakt på 14 dagar.',
    );
    expect(await focusedName(admin)).toBe('Ändra antal dagar utan kontakt');

    const after = await scene.call<{ actTeam: { noContactAlertDays: number } }>(
      'admin',
      `query($id: ID!) { actTeam(id: $id) { noContactAlertDays } }`,
      { id: team.id },
    );
    expect(after.actTeam.noContactAlertDays).toBe(14);

    // The team's case manager sees the new value on the team page, and is told who changes it.
    const member = await scene.signIn('casemanager');
    await member.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'ACT-team' }).click();
    const own = member.getByRole('region', { name: new RegExp(`^${team.name}`) });
    await expectText(
      own.getByTestId('no-contact-alert'),
      'Teamet påminns när en person i teamet inte har haft kontakt på 14 dagar.',
    );
    await expectVisible(own.getByText('Antalet dagar ändras av systemförvaltaren.'));
    expect(await member.getByRole('button', { name: 'Ändra antal dagar utan kontakt' }).count()).toBe(0);
    await scene.checkPage(member, 'alert-days-02-team-page');
  });
});
