import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Locator, Page } from 'playwright-core';
import { expectText, expectVisible } from '../support/browser';
import { choose, focusedName, Name, tabTo, toggle, typeInto, walkForm } from '../support/keyboard';
import { webClientForms } from '../support/web-forms';
import { useWebScene } from '../support/web-scene';

jest.setTimeout(300_000);

/**
 * Every form of the web client, by keyboard alone, in real headless Chromium against the real API with the
 * demo data. For each form: its dialog opens with Enter on its button (found by Tab from the top of the
 * page); Tab reaches every control of the form and its submit button, and Shift+Tab goes back through them in
 * reverse; each stop shows a focus ring of at least 3:1; Escape closes the dialog and focus returns to the
 * button; a refused save (sent with Enter) puts focus on the first field in error; and, where the scene
 * allows, a save typed and sent from the keyboard is taken, the dialog closes and focus returns to its button.
 *
 * The forms are read from the client's source (test/support/web-forms.ts): a form added to the client fails
 * the first test, by name, until a walk for it is added here.
 */

/** The forms this file walks, as test/support/web-forms.ts names them ("<file>#<Component>"). */
const WALKED = [
  'pages/login-page.tsx#LoginPage',
  'pages/find-person-page.tsx#FindPersonPage',
  'pages/register-person-page.tsx#RegisterPersonPage',
  'pages/person-details-page.tsx#EditPersonForm',
  'pages/person-details-page.tsx#ReidentifyForm',
  'pages/person-details-page.tsx#ChildrenForm',
  'pages/person-details-page.tsx#RelativeForm',
  'pages/person-details-page.tsx#EndRelativeForm',
  'pages/person-details-page.tsx#MoveForm',
  'pages/person-details-page.tsx#ProtectionForm',
  'pages/group-page.tsx#AddMemberForm',
  'pages/group-page.tsx#VotingForm',
  'pages/group-page.tsx#CoordinatorForm',
  'pages/group-page.tsx#EndMembershipForm',
  'pages/group-page.tsx#OpenEpisodeForm',
  'pages/group-page.tsx#EndEpisodeForm',
  'pages/group-page.tsx#EnrolForm',
  'pages/group-page.tsx#CaseManagerForm',
  'pages/group-page.tsx#EndPlaceForm',
  'pages/decisions-page.tsx#ProposeForm',
  'pages/decisions-page.tsx#VoteForm',
  'pages/decisions-page.tsx#WithdrawForm',
  'pages/decisions-page.tsx#ConfirmDischarge',
  'pages/plan-page.tsx#PlanEditor',
  'pages/plan-page.tsx#InterventionStatusForm',
  'pages/plan-page.tsx#FollowUpDateForm',
  'pages/plan-page.tsx#RecordFollowUpForm',
  'pages/plan-page.tsx#RecordApprovalForm',
  'pages/sip-meetings.tsx#PlanMeetingForm',
  'pages/sip-meetings.tsx#RescheduleForm',
  'pages/sip-meetings.tsx#HeldForm',
  'pages/consent-card.tsx#RecordConsentForm',
  'pages/reminders-card.tsx#RecordCheckForm',
  'pages/person-page.tsx#RecordContactForm',
  'pages/settings-page.tsx#PreferencesForm',
  'pages/admin-staff-page.tsx#OrganisationForm',
  'pages/admin-staff-page.tsx#UnitForm',
  'pages/admin-staff-page.tsx#StaffForm',
  'pages/admin-staff-page.tsx#RolesForm',
  'pages/admin-act-teams-page.tsx#TeamForm',
  'pages/admin-act-teams-page.tsx#MemberForm',
  'pages/admin-act-teams-page.tsx#ShiftForm',
  'pages/team-page.tsx#NoContactAlertForm',
  'pages/admin-integrations-page.tsx#ClientForm',
  'pages/admin-integrations-page.tsx#ScopesForm',
  'pages/admin-integrations-page.tsx#SecretForm',
  'pages/admin-integrations-page.tsx#PublicKeyForm',
  'pages/admin-webhooks-page.tsx#SubscriptionForm',
  'pages/audit-log-pages.tsx#AuditPersonLogPage',
  'pages/audit-log-pages.tsx#AuditStaffLogPage',
  'pages/audit-sample-page.tsx#AuditSamplePage',
  'pages/audit-sample-page.tsx#SampleReview',
  'pages/audit-reviews-page.tsx#ReviewForm',
];

/**
 * Forms walked by keyboard in a browser test of their own, because the demo data has no scene for them (the
 * file named calls walkForm on the form): a member of the group without consent opening emergency access.
 */
const WALKED_ELSEWHERE: Record<string, string> = {
  'pages/limited-access.tsx#EmergencyAccessForm': 'web-emergency.e2e.spec.ts',
};

const matches = (name: Name, seen: string) => (typeof name === 'string' ? seen === name : name.test(seen));

interface Exercise {
  /** The form's name in WALKED. */
  form: string;
  /** The button that opens the form's dialog; none for a form on the page (then `inPage` finds it). */
  opener?: Name;
  inPage?: Locator;
  /** The submit button's name. */
  submit: Name;
  /** Keyboard steps that make a save the API or the form refuses, and the field that must then have focus. */
  refused?: { steps?: () => Promise<void>; focus: Name };
  /** The submit button is disabled until a choice is made (the vote): the walk does not look for it. */
  submitDisabledAtFirst?: boolean;
  /**
   * Keyboard steps for a save that is taken, and what shows it was. `openerGone`: the save takes the button
   * away (an ended relative), and focus goes to the heading of its card, named so.
   */
  saved?: { steps?: () => Promise<void>; shows?: () => Promise<void>; openerGone?: Name };
}

describe('every form of the web client by keyboard alone', () => {
  const scene = useWebScene();
  const walked = new Set<string>();
  /** The person the social worker registers with the keyboard, and then works with. */
  let personId: string;

  /** Waits until the page has its heading and nothing is loading. */
  const settled = (page: Page) =>
    page.waitForFunction(
      () => document.querySelector('main h1') !== null && document.querySelector('.status-loading') === null,
    );

  /** Starts from the top of the page, as after loading it: nothing focused. */
  const fromTop = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  async function exercise(page: Page, x: Exercise): Promise<void> {
    expect(WALKED).toContain(x.form);
    await settled(page);
    const dialog = page.locator('dialog[open]');
    const open = async () => {
      await fromTop(page);
      await tabTo(page, x.opener!, { limit: 250 });
      await page.keyboard.press('Enter');
      await expectVisible(dialog);
    };
    let form: Locator;
    if (x.opener) {
      await open();
      form = dialog.locator('form');
    } else {
      form = x.inPage!;
      await fromTop(page);
    }
    await expectVisible(form);

    const walk = await walkForm(page, form);
    expect({ form: x.form, unreached: walk.unreached, faint: walk.faint }).toEqual({
      form: x.form,
      unreached: [],
      faint: [],
    });
    expect({ form: x.form, backward: walk.backward }).toEqual({ form: x.form, backward: [...walk.forward].reverse() });
    if (!x.submitDisabledAtFirst)
      expect({ form: x.form, submitReached: walk.forward.some((name) => matches(x.submit, name)) }).toEqual({
        form: x.form,
        submitReached: true,
      });

    if (x.opener) {
      // Escape with nothing changed closes at once; focus is back on the button, and Enter opens it again.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(matches(x.opener, await focusedName(page))).toBe(true);
      await page.keyboard.press('Enter');
      await expectVisible(dialog);
    } else {
      await fromTop(page);
    }

    if (x.refused) {
      await x.refused.steps?.();
      await tabTo(page, x.submit);
      await page.keyboard.press('Enter');
      await expectVisible(form.locator('[aria-invalid="true"]').first());
      // Focus moves there as the answer is shown (when it does not, the expectation below names where it is).
      await page
        .waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true', undefined, {
          timeout: 3_000,
        })
        .catch(() => undefined);
      expect({ form: x.form, focus: await focusedName(page) }).toEqual({
        form: x.form,
        focus: expect.stringMatching(
          typeof x.refused.focus === 'string' ? `^${escape(x.refused.focus)}$` : x.refused.focus,
        ),
      });
    }

    if (x.saved) {
      await x.saved.steps?.();
      await tabTo(page, x.submit);
      await page.keyboard.press('Enter');
      if (x.opener) {
        await dialog.waitFor({ state: 'hidden' }).catch(async () => {
          const said = await dialog.locator('.field-error, .form-problem, [role="alert"]').allTextContents();
          throw new Error(`${x.form}: the save was not taken; the dialog says ${JSON.stringify(said)}`);
        });
        await x.saved.shows?.();
        // Focus is on the button again, or, when the save took it away, on the heading of its card: never lost to the page.
        const back = x.saved.openerGone ?? x.opener;
        await page
          .waitForFunction(
            () => document.activeElement !== document.body && document.activeElement !== null,
            undefined,
            { timeout: 3_000 },
          )
          .catch(() => undefined);
        expect({ form: x.form, focus: await focusedName(page) }).toEqual({
          form: x.form,
          focus: expect.stringMatching(typeof back === 'string' ? `^${escape(back)}$` : back),
        });
      } else {
        await x.saved.shows?.();
      }
    } else if (x.opener) {
      // Leaving a changed form asks first; the test says yes. A form left unchanged asks nothing: the answer is
      // then taken back, so that it cannot answer (a second time) the question of a later form on this page.
      const yes = (confirm: { accept(): Promise<void> }) => void confirm.accept();
      page.once('dialog', yes);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      page.off('dialog', yes);
    }
    walked.add(x.form);
  }

  /**
   * A dialog that asks before acting (no form): Enter on its button opens it, Tab reaches each of its
   * buttons, Escape closes it and focus is back on the button that opened it.
   */
  async function confirmDialog(page: Page, opener: Name, buttons: Name[]): Promise<void> {
    await settled(page);
    await fromTop(page);
    await tabTo(page, opener, { limit: 250 });
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    await expectVisible(dialog);
    for (const button of buttons) await tabTo(page, button, { limit: 10 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect({ opener, focus: await focusedName(page) }).toEqual({
      opener,
      focus: expect.stringMatching(typeof opener === 'string' ? `^${escape(opener)}$` : opener),
    });
  }

  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('has a keyboard walk for every form in the web client', () => {
    const forms = webClientForms();
    expect(forms.length).toBeGreaterThan(30);
    // A form in the client that no walk here covers: add an exercise for it below and its name to WALKED.
    expect({ formsWithoutKeyboardWalk: forms.filter((f) => !WALKED.includes(f) && !(f in WALKED_ELSEWHERE)) }).toEqual({
      formsWithoutKeyboardWalk: [],
    });
    for (const [form, file] of Object.entries(WALKED_ELSEWHERE)) {
      expect({
        form,
        walkedIn: file,
        callsWalkForm: fs.readFileSync(path.join(__dirname, file), 'utf8').includes('walkForm('),
      }).toEqual({ form, walkedIn: file, callsWalkForm: true });
      expect(forms).toContain(form);
    }
    expect({ walkedButNotInClient: WALKED.filter((f) => !forms.includes(f)) }).toEqual({ walkedButNotInClient: [] });
  });

  it('names each form in the source by file and component, and is not fooled by a comment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-forms-'));
    try {
      fs.mkdirSync(path.join(dir, 'pages'));
      fs.writeFileSync(
        path.join(dir, 'pages', 'x-page.tsx'),
        [
          '// A <form> in a comment is none.',
          'export function XPage() {',
          '  return <form onSubmit={save}><input /></form>;',
          '}',
          '/* nor <form here */',
          'const Other = () => (',
          '  <div><form noValidate></form><form></form></div>',
          ');',
        ].join('\n'),
      );
      fs.writeFileSync(path.join(dir, 'pages', 'notes.ts'), 'const f = "<form>";');
      expect(webClientForms(dir)).toEqual([
        'pages/x-page.tsx#Other',
        'pages/x-page.tsx#Other#2',
        'pages/x-page.tsx#XPage',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs in with the keyboard: a wrong password is told, the right one opens the caseload', async () => {
    const page = await scene.newPage('login');
    const form = page.locator('form');
    await exercise(page, {
      form: 'pages/login-page.tsx#LoginPage',
      inPage: form,
      submit: 'Logga in',
      // Sent empty: both fields are refused, and focus goes to the first.
      refused: { focus: 'Användarnamn' },
    });
    // Wrong: said in an alert; the user is still in the form.
    await typeInto(page, 'Användarnamn', 'socialworker');
    await typeInto(page, 'Lösenord', 'fel-lösenord');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('alert'), 'Fel användarnamn eller lösenord, eller kontot är tillfälligt låst.');
    await typeInto(page, 'Lösenord', 'samverka-demo', { backwards: true });
    await page.keyboard.press('Enter');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
  });

  it("finds nobody, registers a person in English, and keeps the person's details", async () => {
    const page = await scene.signIn('socialworker');
    await page.goto(`${scene.base}/find`);
    await exercise(page, {
      form: 'pages/find-person-page.tsx#FindPersonPage',
      inPage: page.getByRole('form', { name: 'Sök person' }),
      submit: 'Sök',
      refused: { focus: 'Person-, samordnings- eller reservnummer' },
      saved: {
        steps: async () => {
          await tabTo(page, 'Person-, samordnings- eller reservnummer', { backwards: true });
          // The way to search is a group of radio buttons: the arrow keys move within it.
          await page.keyboard.press('Shift+Tab');
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('ArrowDown');
          expect(await focusedName(page)).toBe('Namn och födelseår');
          await typeInto(page, 'Förnamn', 'Tangent');
          await typeInto(page, 'Efternamn', 'Provsson');
          await typeInto(page, 'Födelseår', '1984');
        },
        shows: () => expectVisible(page.getByText('Ingen person hittades bland dem du har tillgång till.')),
      },
    });

    await page.goto(`${scene.base}/persons/new`);
    await exercise(page, {
      form: 'pages/register-person-page.tsx#RegisterPersonPage',
      inPage: page.getByRole('form', { name: 'Registrera en person' }),
      submit: 'Registrera personen',
      refused: { focus: 'Förnamn' },
      saved: {
        steps: async () => {
          await typeInto(page, 'Förnamn', 'Tangent', { backwards: true });
          await typeInto(page, 'Efternamn', 'Provsson');
          await typeInto(page, 'Födelseår', '1984');
          await choose(page, 'Juridiskt kön', 'Kvinna');
          await typeInto(page, 'Din roll i samverkansgruppen', 'socialsekreterare');
          await choose(page, 'Språk i meddelanden till personen', 'Engelska');
        },
        shows: () => expectVisible(page.getByRole('heading', { level: 1, name: 'Uppgifter om Tangent Provsson' })),
      },
    });
    personId = page.url().split('/')[4];
    const language = () =>
      scene
        .call('socialworker', `query($id: ID!) { person(id: $id) { preferredLanguage } }`, { id: personId })
        .then((d) => d.person.preferredLanguage);
    expect(await language()).toBe('EN');
    const identity = page.getByRole('region', { name: 'Person och identitet' });
    await expectText(identity.locator('dt', { hasText: 'Språk i meddelanden' }).locator('+ dd'), 'Engelska');

    await exercise(page, {
      form: 'pages/person-details-page.tsx#EditPersonForm',
      opener: 'Ändra uppgifter',
      submit: 'Spara',
      refused: { steps: () => typeInto(page, 'Förnamn', ''), focus: 'Förnamn' },
      saved: {
        steps: async () => {
          await typeInto(page, 'Förnamn', 'Tangenta', { backwards: true });
          await choose(page, 'Språk i meddelanden till personen', 'Svenska');
        },
        shows: () => expectText(identity.locator('dt', { hasText: 'Språk i meddelanden' }).locator('+ dd'), 'Svenska'),
      },
    });
    expect(await language()).toBe('SV');
    await scene.checkPage(page, 'keyboard-01-details-language');

    await exercise(page, {
      form: 'pages/person-details-page.tsx#ReidentifyForm',
      opener: 'Identifiera personen',
      submit: 'Spara identiteten',
      refused: { steps: () => typeInto(page, 'Nummer', '19840101-0000'), focus: 'Nummer' },
      saved: {
        // A valid personnummer of a woman born 1984-01-01: the button goes (the person is identified), focus goes to the card.
        openerGone: 'Person och identitet',
        steps: () => typeInto(page, 'Nummer', '19840101-0023'),
        shows: () => expectVisible(identity.getByText('19840101-0023')),
      },
    });

    await exercise(page, {
      form: 'pages/person-details-page.tsx#ChildrenForm',
      opener: 'Besvara frågan om barn',
      submit: 'Spara',
      refused: {
        steps: async () => {
          await tabTo(page, 'Ej utrett');
          await page.keyboard.press('ArrowUp');
          await page.keyboard.press('ArrowUp');
          expect(await focusedName(page)).toBe('Har barn');
          await tabTo(page, 'Lägg till ett barn');
          await page.keyboard.press('Enter');
        },
        focus: 'Barn 1: Barnets födelseår',
      },
      saved: {
        steps: () => typeInto(page, 'Barn 1: Barnets födelseår', '2015', { backwards: true }),
        shows: () => expectVisible(page.getByRole('region', { name: 'Barn' }).getByText(/Barn 1: 2015/)),
      },
    });

    await exercise(page, {
      form: 'pages/person-details-page.tsx#RelativeForm',
      opener: 'Lägg till en anhörig',
      submit: 'Spara',
      refused: { focus: 'Namn' },
      saved: {
        steps: async () => {
          await typeInto(page, 'Namn', 'Kim Provsson', { backwards: true });
          await typeInto(page, 'Relation', 'bror');
          await toggle(page, 'Får delta i SIP-möten');
        },
        shows: () =>
          expectVisible(page.getByRole('region', { name: 'Anhöriga' }).locator('strong', { hasText: 'Kim Provsson' })),
      },
    });
    await exercise(page, {
      form: 'pages/person-details-page.tsx#RelativeForm',
      opener: 'Ändra Kim Provsson',
      submit: 'Spara',
      saved: {
        steps: () => typeInto(page, 'Relation', 'kusin'),
        shows: () =>
          expectVisible(page.getByRole('region', { name: 'Anhöriga' }).getByText('(kusin)', { exact: false })),
      },
    });
    await exercise(page, {
      form: 'pages/person-details-page.tsx#MoveForm',
      opener: 'Registrera en flytt',
      submit: 'Spara flytten',
      saved: {
        steps: () => choose(page, 'Boendeform', /Träningslägenhet|Försökslägenhet/),
        shows: () =>
          expectVisible(page.getByRole('region', { name: 'Boende' }).locator('strong', { hasText: /lägenhet/ })),
      },
    });
    await exercise(page, {
      form: 'pages/person-details-page.tsx#EndRelativeForm',
      opener: 'Avsluta Kim Provsson som anhörig',
      submit: 'Avsluta den anhöriga',
      saved: { openerGone: 'Anhöriga', shows: () => expectVisible(page.getByText('Inga anhöriga registrerade.')) },
    });
    await scene.checkPage(page, 'keyboard-02-details-done');
  });
  it("runs the person's group, care episode and ACT place from the keyboard", async () => {
    const page = await scene.signIn('socialworker');
    await page.goto(`${scene.base}/persons/${personId}/group`);
    const members = page.getByTestId('member');
    await exercise(page, {
      form: 'pages/group-page.tsx#AddMemberForm',
      opener: 'Lägg till medlem',
      submit: 'Lägg till',
      refused: { focus: 'Sök i personalkatalogen (namn)' },
      saved: {
        steps: async () => {
          await page.keyboard.type('sara holm');
          await expectVisible(page.locator('dialog[open]').getByRole('radio', { name: /^Sara Holmgren/ }));
          await toggle(page, /^Sara Holmgren/);
          await typeInto(page, 'Roll i gruppen', 'kontaktsjuksköterska');
          await toggle(page, 'Röstar för huvudmannen');
        },
        shows: () => expectVisible(members.filter({ hasText: 'Sara Holmgren' })),
      },
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#VotingForm',
      opener: 'Ändra rösträtt: Sara Holmgren',
      submit: 'Spara',
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#EndMembershipForm',
      opener: 'Avsluta medlemskap: Sara Holmgren',
      submit: 'Avsluta',
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#OpenEpisodeForm',
      opener: 'Aktualisera',
      submit: 'Aktualisera',
      refused: { steps: () => choose(page, 'Verksamhet', 'Psykiatri'), focus: 'Verksamhet' },
      saved: {
        // The same button, now for ending the episode just opened.
        openerGone: 'Avsluta aktualitet',
        steps: () => choose(page, 'Verksamhet', 'Socialtjänst', { backwards: true }),
        shows: () => expectText(page.getByTestId('episode-SOCIAL_SERVICES').locator('.tag'), 'Aktiv'),
      },
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#EndEpisodeForm',
      opener: 'Avsluta aktualitet',
      submit: 'Avsluta aktualitet',
      refused: { focus: 'Underlag' },
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#EnrolForm',
      opener: 'Skriv in i ACT-team',
      submit: 'Skriv in i ACT-team',
      refused: { focus: 'ACT-team' },
      saved: {
        steps: () => choose(page, 'ACT-team', /\(/, { backwards: true }),
        shows: () => expectVisible(page.getByTestId('act-place')),
      },
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#CaseManagerForm',
      opener: 'Byt case manager',
      submit: 'Spara',
      refused: { focus: 'Ny case manager' },
      saved: {
        steps: () => choose(page, 'Ny case manager', /,/, { backwards: true }),
        shows: () => expectText(page.getByTestId('act-place'), /Case manager: \S/),
      },
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#EndPlaceForm',
      opener: 'Avsluta platsen',
      submit: 'Avsluta platsen',
      saved: {
        openerGone: 'ACT-team',
        shows: () => expectVisible(page.getByText('Personen är inte inskriven i något ACT-team.')),
      },
    });
    await exercise(page, {
      form: 'pages/group-page.tsx#CoordinatorForm',
      opener: 'Gör till samordnare: Sara Holmgren',
      submit: 'Gör till samordnare',
      saved: {
        openerGone: 'Medlemmar',
        shows: () => expectText(members.filter({ hasText: 'Sara Holmgren' }).locator('th'), /Samordnare/),
      },
    });
    await scene.checkPage(page, 'keyboard-03-group-done');
  });

  it('proposes, withdraws, votes and ends the care episode on the decisions page from the keyboard', async () => {
    // The person consents to sharing within the group (so the region's nurse sees them), and a proposal to withdraw is laid, through the API.
    await scene.call('socialworker', `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
      i: { personId, purpose: 'SHARING', scope: 'WHOLE_GROUP', givenHow: 'WRITTEN' },
    });
    await scene.call('socialworker', `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
      i: {
        personId,
        type: 'CHANGE_OVERALL_RESPONSIBILITY',
        title: 'Byt ansvar',
        rationale: 'Prov',
        deadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      },
    });
    const page = await scene.signIn('socialworker');
    await page.goto(`${scene.base}/persons/${personId}/decisions`);
    await exercise(page, {
      form: 'pages/decisions-page.tsx#WithdrawForm',
      opener: 'Dra tillbaka förslaget',
      submit: 'Dra tillbaka förslaget',
      refused: { focus: 'Skäl' },
      saved: {
        openerGone: /^Byt ansvar/,
        steps: () => page.keyboard.type('Lades av misstag.'),
        shows: () => expectVisible(page.getByText(/Lades av misstag/)),
      },
    });
    await exercise(page, {
      form: 'pages/decisions-page.tsx#ProposeForm',
      inPage: page.getByRole('region', { name: 'Nytt förslag' }).locator('form'),
      submit: 'Lägg förslaget',
      refused: { focus: 'Rubrik' },
      saved: {
        steps: async () => {
          await page.keyboard.type('Målen är nådda');
          await typeInto(page, 'Motivering', 'Personen har eget boende och behöver inte längre socialtjänstens stöd.');
        },
        shows: () => expectVisible(page.getByRole('heading', { name: /Målen är nådda/ })),
      },
    });
    const voteForm = page.locator('form.vote-form').first();
    await exercise(page, {
      form: 'pages/decisions-page.tsx#VoteForm',
      inPage: voteForm,
      submit: 'Rösta',
      submitDisabledAtFirst: true,
      refused: {
        steps: async () => {
          await tabTo(page, 'Instämmer', { limit: 250 });
          await page.keyboard.press('ArrowDown');
          expect(await focusedName(page)).toBe('Instämmer inte');
        },
        focus: 'Kommentar (krävs om du inte instämmer)',
      },
      saved: {
        steps: async () => {
          await page.keyboard.press('Shift+Tab');
          await page.keyboard.press('ArrowUp');
          expect(await focusedName(page)).toBe('Instämmer');
        },
        shows: () => expectVisible(page.getByText(/^1 för, 0 emot, 1 har inte röstat$/)),
      },
    });
    // The region's representative agrees too (through the API): the proposal is approved.
    const proposals = await scene.call(
      'socialworker',
      `query($p: ID!) { person(id: $p) { proposals { id title status } } }`,
      { p: personId },
    );
    const approving = proposals.person.proposals.find(
      (x: { title: string; status: string }) => x.title === 'Målen är nådda' && x.status === 'OPEN',
    );
    await scene.call('nurse', `mutation($i: CastVoteInput!) { castVote(input: $i) { id } }`, {
      i: { proposalId: approving.id, choice: 'AGREE' },
    });
    await page.reload();
    await exercise(page, {
      form: 'pages/decisions-page.tsx#ConfirmDischarge',
      opener: 'Avsluta aktualiteten',
      submit: 'Ja, avsluta aktualiteten',
      saved: {
        openerGone: 'Aktualiteter',
        shows: () =>
          expectText(
            page.getByTestId('episode-SOCIAL_SERVICES').locator('.requests strong'),
            /^(Väntar på beslut|Verkställd)$/,
          ),
      },
    });
    await scene.checkPage(page, 'keyboard-04-decisions-done');
  });

  it('starts a SIP plan and edits it from the keyboard', async () => {
    const page = await scene.signIn('socialworker');
    await page.goto(`${scene.base}/persons/${personId}/plan`);
    await settled(page);
    await fromTop(page);
    await tabTo(page, 'Starta en plan', { limit: 250 });
    await page.keyboard.press('Enter');
    const editor = page.locator('form[aria-labelledby="editor-heading"]');
    await expectVisible(editor);
    await exercise(page, {
      form: 'pages/plan-page.tsx#PlanEditor',
      inPage: editor,
      submit: 'Spara ändringar',
      saved: {
        steps: () => typeInto(page, 'Personens egna mål (med personens ord)', 'Ha ett eget boende och ett arbete.'),
        shows: async () => {
          await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);
          const plan = await scene.call(
            'socialworker',
            `query($p: ID!) { person(id: $p) { currentSipPlan { personGoals } } }`,
            { p: personId },
          );
          expect(plan.person.currentSipPlan.personGoals).toBe('Ha ett eget boende och ett arbete.');
        },
      },
    });
  });

  it("follows up Lena's plan and her SIP meetings from the keyboard", async () => {
    const page = await scene.signIn('socialworker');
    const lena = (await page.getByRole('link', { name: 'Lena Sandberg' }).first().getAttribute('href'))!.split('/')[2];
    await page.goto(`${scene.base}/persons/${lena}/plan`);
    await exercise(page, {
      form: 'pages/plan-page.tsx#InterventionStatusForm',
      inPage: page.getByRole('form', { name: 'Era insatser' }),
      submit: 'Spara status',
      saved: { shows: () => expectVisible(page.getByRole('status').filter({ hasText: 'Status sparad.' })) },
    });
    await exercise(page, {
      form: 'pages/plan-page.tsx#FollowUpDateForm',
      opener: 'Ändra datum för nästa uppföljning',
      submit: 'Spara datumet',
      saved: {},
    });
    await exercise(page, {
      form: 'pages/plan-page.tsx#RecordFollowUpForm',
      opener: 'Registrera hållen uppföljning',
      submit: 'Registrera uppföljningen',
      // Saving needs the next date, whose parts' order follows the machine's locale: test/e2e/web-plan.e2e.spec.ts saves it.
      refused: { focus: 'Vad uppföljningen kom fram till' },
    });
    await exercise(page, {
      form: 'pages/plan-page.tsx#RecordApprovalForm',
      opener: /^Registrera personens godkännande av version \d+$/,
      submit: 'Registrera godkännandet',
      // A verbal approval without its witness is refused at the witness's field.
      refused: {
        steps: () => choose(page, 'Hur personen godkände planen', 'Muntligt, med vittne'),
        focus: 'Vittnets namn',
      },
      // Approved, the version no longer offers the button: focus goes to the revision history's heading.
      saved: {
        steps: () => typeInto(page, 'Vittnets namn', 'Kim Vittne'),
        shows: () => expectVisible(page.getByText(/Godkänd av personen: muntligt, med vittne/).first()),
        openerGone: 'Versionshistorik',
      },
    });
    await exercise(page, {
      form: 'pages/sip-meetings.tsx#PlanMeetingForm',
      opener: 'Planera ett möte',
      submit: 'Planera mötet',
      refused: { focus: 'Datum och tid' },
    });
    await exercise(page, {
      form: 'pages/sip-meetings.tsx#RescheduleForm',
      opener: 'Flytta eller ändra',
      submit: 'Spara ändringen',
      saved: {},
    });
    await confirmDialog(page, 'Ställ in mötet', ['Ställ in mötet', 'Behåll mötet']);
    await exercise(page, {
      form: 'pages/sip-meetings.tsx#HeldForm',
      opener: 'Registrera som hållet',
      submit: 'Spara anteckningar och närvaro',
      saved: { steps: () => typeInto(page, 'Minnesanteckningar', 'Planen gicks igenom.'), openerGone: 'SIP-möten' },
    });
  });

  it("records a consent, a check and a contact on Lena's overview from the keyboard", async () => {
    const page = await scene.signIn('socialworker');
    await page.getByRole('link', { name: 'Lena Sandberg' }).first().click();
    await confirmDialog(page, 'Återkalla samtycket', [/^Hur personen återkallade det/, 'Återkalla', 'Avbryt']);
    await exercise(page, {
      form: 'pages/consent-card.tsx#RecordConsentForm',
      opener: 'Registrera ett samtycke',
      submit: 'Spara samtycket',
      saved: {},
    });
    await exercise(page, {
      form: 'pages/reminders-card.tsx#RecordCheckForm',
      opener: 'Registrera en kontroll',
      submit: 'Spara kontrollen',
      saved: {},
    });
    await exercise(page, {
      form: 'pages/person-page.tsx#RecordContactForm',
      opener: 'Registrera en kontakt',
      submit: 'Registrera',
      refused: { focus: 'Vad hände' },
      saved: {
        steps: () => page.keyboard.type('Ringde om mötet.'),
        shows: () => expectVisible(page.getByText(/Ringde om mötet\./).first()),
      },
    });
  });

  it("changes Jessica's protection level from the keyboard, as staff authorised for protected whereabouts", async () => {
    const page = await scene.signIn('protectedidentity');
    const jessica = (await page.getByRole('link', { name: 'Jessica Nordin' }).first().getAttribute('href'))!.split(
      '/',
    )[2];
    await page.goto(`${scene.base}/persons/${jessica}/details`);
    await exercise(page, {
      form: 'pages/person-details-page.tsx#ProtectionForm',
      opener: 'Ändra skyddsnivå',
      submit: 'Spara skyddsnivån',
      refused: { focus: 'Ny skyddsnivå' },
      saved: {
        steps: async () => {
          await choose(page, 'Ny skyddsnivå', 'Sekretessmarkering', { backwards: true });
          await typeInto(page, 'Skäl till ändringen', 'Skatteverkets beslut om ändrat skydd.');
        },
        shows: () => expectText(page.getByTestId('protection-level'), 'Sekretessmarkering'),
      },
    });
  });

  it('changes my notification settings from the keyboard', async () => {
    const page = await scene.signIn('socialworker');
    await page.goto(`${scene.base}/settings`);
    const form = page.locator('main form');
    await exercise(page, {
      form: 'pages/settings-page.tsx#PreferencesForm',
      inPage: form,
      submit: 'Spara inställningarna',
      saved: {
        steps: () => toggle(page, 'SMS'),
        shows: () => expectVisible(page.getByRole('status').filter({ hasText: 'Sparat' })),
      },
    });
  });

  it('runs the directory, the ACT teams and the integrations of the administration from the keyboard', async () => {
    const page = await scene.signIn('admin', 'Administration');
    await page.goto(`${scene.base}/admin/staff`);
    await exercise(page, {
      form: 'pages/admin-staff-page.tsx#OrganisationForm',
      opener: 'Ny organisation',
      submit: 'Skapa',
      refused: { focus: 'Organisationens namn' },
    });
    await exercise(page, {
      form: 'pages/admin-staff-page.tsx#UnitForm',
      opener: 'Ny enhet',
      submit: 'Skapa',
      refused: { focus: 'Enhetens namn' },
      saved: {
        steps: () => page.keyboard.type('Tangentenheten'),
        shows: () => expectVisible(page.getByText('Tangentenheten').first()),
      },
    });
    await exercise(page, {
      form: 'pages/admin-staff-page.tsx#StaffForm',
      opener: 'Ny personal',
      submit: 'Skapa',
      refused: { focus: 'Förnamn' },
      saved: {
        steps: async () => {
          await page.keyboard.type('Tove');
          await typeInto(page, 'Efternamn', 'Tangentsson');
        },
        shows: () => expectVisible(page.getByText('Tove Tangentsson').first()),
      },
    });
    await exercise(page, {
      form: 'pages/admin-staff-page.tsx#RolesForm',
      opener: 'Roller',
      submit: 'Spara',
      saved: { steps: () => toggle(page, 'Behörig till skyddad vistelseort') },
    });
    await page.goto(`${scene.base}/admin/act-teams`);
    await exercise(page, {
      form: 'pages/admin-act-teams-page.tsx#TeamForm',
      opener: 'Nytt ACT-team',
      submit: 'Skapa',
      refused: { focus: 'Teamets namn' },
      saved: {
        steps: async () => {
          await page.keyboard.type('Tangentteamet');
          await choose(page, 'Organisation', /^(?!Välj)/);
        },
        shows: () => expectVisible(page.getByRole('heading', { name: /Tangentteamet/ })),
      },
    });
    await exercise(page, {
      form: 'pages/admin-act-teams-page.tsx#MemberForm',
      opener: 'Lägg till medlem',
      submit: 'Lägg till',
      refused: { focus: 'Medlem' },
      saved: {
        steps: async () => {
          await choose(page, 'Medlem', /^(?!Välj)/);
          await typeInto(page, 'Roll', 'case manager');
          await typeInto(page, 'Tjänstgöringsgrad i teamet (procent)', '50');
        },
      },
    });
    await exercise(page, {
      form: 'pages/admin-act-teams-page.tsx#ShiftForm',
      opener: 'Lägg till jourpass',
      submit: 'Lägg till',
      refused: { focus: 'Medlem' },
    });
    await exercise(page, {
      form: 'pages/team-page.tsx#NoContactAlertForm',
      opener: 'Ändra antal dagar utan kontakt',
      submit: 'Spara antal dagar',
      // Under the API's bound: refused at the field.
      refused: { steps: () => typeInto(page, 'Antal dagar utan kontakt', '0'), focus: 'Antal dagar utan kontakt' },
      saved: {
        steps: () => typeInto(page, 'Antal dagar utan kontakt', '10', { backwards: true }),
        shows: () => expectVisible(page.getByText(/inte har haft kontakt på 10 dagar/).first()),
      },
    });
    // A client whose OAuth credentials the next forms manage (the demo data has none).
    await scene.call(
      'admin',
      `mutation($i: CreateIntegrationClientInput!) { createIntegrationClient(input: $i) { clientId } }`,
      {
        i: {
          organisationId: (await scene.call('admin', `{ me { organisation { id } } }`)).me.organisation.id,
          name: 'Tangentklienten',
          scopes: ['PERSON_READ'],
        },
      },
    );
    await page.goto(`${scene.base}/admin/integrations`);
    await exercise(page, {
      form: 'pages/admin-integrations-page.tsx#ClientForm',
      opener: 'Ny integrationsklient',
      submit: 'Skapa',
      refused: { focus: 'Klientens namn' },
    });
    await exercise(page, {
      form: 'pages/admin-integrations-page.tsx#ScopesForm',
      opener: 'Ändra behörigheter för Tangentklienten',
      submit: 'Spara behörigheter',
      saved: {},
    });
    await exercise(page, {
      form: 'pages/admin-integrations-page.tsx#SecretForm',
      opener: 'Ny klienthemlighet för Tangentklienten',
      submit: 'Skapa hemlighet',
      refused: { focus: 'Gäller till och med' },
    });
    await exercise(page, {
      form: 'pages/admin-integrations-page.tsx#PublicKeyForm',
      opener: 'Registrera publik nyckel för Tangentklienten',
      submit: 'Registrera nyckel',
      // A symmetric key is refused by the API, at its field.
      refused: {
        steps: () => typeInto(page, 'Publik nyckel (JWK)', '{"kty":"oct","k":"c2FtdmVya2E"}'),
        focus: 'Publik nyckel (JWK)',
      },
    });
    await page.goto(`${scene.base}/admin/webhooks`);
    await exercise(page, {
      form: 'pages/admin-webhooks-page.tsx#SubscriptionForm',
      opener: 'Ny prenumeration',
      submit: 'Skapa',
      refused: { focus: 'Klient' },
    });
  });

  it("walks the auditor's forms: a person's extract, a staff member's log, the sample and its review, an ending's review", async () => {
    // An episode ended without the group's decision, for the endings review (through the API).
    const ended = await scene.call(
      'socialworker',
      `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }`,
      {
        i: {
          identityKind: 'UNIDENTIFIED',
          givenName: 'Flytt',
          familyName: 'Tangentsson',
          birthYear: 1970,
          legalGender: 'MALE',
          roleInGroup: 'socialsekreterare',
        },
      },
    );
    await scene.call('socialworker', `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
      i: { personId: ended.registerPerson.id, kind: 'SOCIAL_SERVICES' },
    });
    await scene.call(
      'socialworker',
      `mutation($i: RecordEpisodeEndingInput!) { recordEpisodeEnding(input: $i) { id } }`,
      {
        i: {
          personId: ended.registerPerson.id,
          reason: 'MOVED_OUT_OF_AREA',
          evidence: 'Flyttat till Göteborg enligt folkbokföringen.',
        },
      },
    );
    const page = await scene.signIn('auditor', 'Granskning');
    await page.goto(`${scene.base}/audit/person`);
    await exercise(page, {
      form: 'pages/audit-log-pages.tsx#AuditPersonLogPage',
      inPage: page.getByRole('form', { name: 'Loggutdrag för en person' }),
      submit: 'Visa',
      refused: {
        steps: () => typeInto(page, 'Person-, samordnings- eller reservnummer', '19800101-0000'),
        focus: 'Person-, samordnings- eller reservnummer',
      },
    });
    await page.goto(`${scene.base}/audit/staff`);
    await exercise(page, {
      form: 'pages/audit-log-pages.tsx#AuditStaffLogPage',
      inPage: page.getByRole('form', { name: 'Vad en anställd har tagit del av' }),
      submit: 'Visa',
    });
    await page.goto(`${scene.base}/audit/sample`);
    await exercise(page, {
      form: 'pages/audit-sample-page.tsx#AuditSamplePage',
      inPage: page.getByRole('form', { name: 'Dra nytt stickprov' }),
      submit: 'Dra nytt stickprov',
      refused: { steps: () => typeInto(page, 'Antal rader', '0'), focus: 'Antal rader' },
      saved: {
        steps: () => typeInto(page, 'Antal rader', '3', { backwards: true }),
        shows: () => expectVisible(page.locator('form.review-form').first()),
      },
    });
    await exercise(page, {
      form: 'pages/audit-sample-page.tsx#SampleReview',
      inPage: page.locator('form.review-form').first(),
      submit: 'Markera som granskad',
    });
    await page.goto(`${scene.base}/audit/endings`);
    await exercise(page, {
      form: 'pages/audit-reviews-page.tsx#ReviewForm',
      inPage: page.locator('form.review-form').first(),
      submit: 'Markera som granskad',
    });
  });

  it('walked every form it lists', () => {
    expect(WALKED.filter((f) => !walked.has(f))).toEqual([]);
  });
});
