import { Page } from 'playwright-core';
import { expectText, expectVisible } from '../support/browser';
import { Fixtures, TestStaff } from '../support/fixtures';
import { walkForm } from '../support/keyboard';
import { useWebScene } from '../support/web-scene';

jest.setTimeout(300_000);

/**
 * A member of the group without the person's consent, in the browser: the limited view (whom to contact,
 * whether a plan exists) instead of a bare refusal, and emergency access (nödåtkomst) from it, by keyboard.
 */
describe('limited access and emergency access in the web client', () => {
  const scene = useWebScene();
  let f: Fixtures;

  beforeAll(() => {
    f = new Fixtures(scene.db.dataSource);
  });

  /** Signs in as a staff member the fixtures made (not a demo login). */
  async function signIn(staff: TestStaff): Promise<Page> {
    const page = await scene.newPage(staff.username);
    await page.getByLabel('Användarnamn').fill(staff.username);
    await page.getByLabel('Lösenord').fill(staff.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    return page;
  }

  it('shows whom to contact instead of a refusal, and opens the person with a reason, by keyboard alone', async () => {
    const s = await f.careSetting({ consent: false });
    const page = await signIn(s.psychiatrist);
    await page.goto(`${scene.base}/persons/${s.person.id}`);
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Begränsad åtkomst' }));
    const coordinator = page.getByRole('listitem').filter({ hasText: 'samordnare' });
    await expectText(coordinator, new RegExp(`${s.socialWorker.staff.givenName} ${s.socialWorker.staff.familyName}`));
    await expectVisible(page.getByText('Personen har ingen SIP-plan.'));
    // The reader is a voting representative too, but not someone to contact about the person.
    expect(await page.getByRole('listitem').filter({ hasText: s.psychiatrist.staff.familyName }).count()).toBe(0);
    // Nothing of the person's own data is on the page.
    expect(await page.locator('main').textContent()).not.toContain(s.person.familyName);
    await scene.checkPage(page, 'emergency-1-limited-view');

    // Keyboard alone: reach the button, open the dialog, a too short reason is refused at its field.
    const open = page.getByRole('button', { name: 'Öppna med nödåtkomst' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Öppna med nödåtkomst' });
    await expectVisible(dialog);
    // Tab reaches every control of the form and its button, Shift+Tab goes back through them, each with a visible ring.
    const walk = await walkForm(page, dialog.locator('form'));
    expect({ unreached: walk.unreached, faint: walk.faint, backward: walk.backward }).toEqual({
      unreached: [],
      faint: [],
      backward: [...walk.forward].reverse(),
    });
    expect(walk.forward).toEqual(expect.arrayContaining(['Varför uppgifterna behövs nu', 'Öppna med nödåtkomst']));
    const reason = dialog.getByLabel('Varför uppgifterna behövs nu');
    await reason.focus();
    await page.keyboard.type('Akut');
    await dialog.getByRole('button', { name: 'Öppna med nödåtkomst' }).focus();
    await page.keyboard.press('Enter');
    await expectVisible(dialog.locator('.field-error'));
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await scene.checkPage(page, 'emergency-2-reason-refused');
    await page.keyboard.type(': personen hittad medvetslös, läkemedelslista behövs');
    await dialog.getByRole('button', { name: 'Öppna med nödåtkomst' }).focus();
    await page.keyboard.press('Enter');

    // Opened: the overview replaces the limited view.
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Läget just nu' }));
    await expectText(page.getByRole('heading', { level: 1 }), `${s.person.givenName} ${s.person.familyName}`);
    await scene.checkPage(page, 'emergency-3-opened');

    // Logged with the ground EMERGENCY, and the coordinator is told.
    const grounds: Array<{ ground: string }> = await scene.db.dataSource.query(
      `SELECT DISTINCT ground FROM access_log WHERE person_id = $1 AND staff_id = $2`,
      [s.person.id, s.psychiatrist.staff.id],
    );
    expect(grounds.map((g) => g.ground)).toContain('EMERGENCY');
    const told: Array<{ kind: string }> = await scene.db.dataSource.query(
      `SELECT kind FROM notification WHERE recipient_staff_id = $1 AND person_id = $2`,
      [s.socialWorker.staff.id, s.person.id],
    );
    expect(told.map((n) => n.kind)).toContain('EMERGENCY_ACCESS');
  });

  it('tells someone with no relation to the person nothing, not even that the person exists', async () => {
    const s = await f.careSetting({ consent: false });
    const page = await signIn(s.outsider);
    await page.goto(`${scene.base}/persons/${s.person.id}`);
    await expectText(page.getByRole('alert'), /Hittades inte/);
    expect(await page.getByRole('heading', { name: 'Begränsad åtkomst' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Öppna med nödåtkomst' }).count()).toBe(0);
    await scene.checkPage(page, 'emergency-4-no-relation');
  });
});
