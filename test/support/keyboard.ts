// Driving the web client with the keyboard alone, as a keyboard user does: Tab and Shift+Tab to move,
// typing, the arrow keys and Space to choose, Enter to open and to send, Escape to close. Nothing here
// clicks or fills an element directly; the only things read from the page are where focus is and what
// the page shows.
import { Locator, Page } from 'playwright-core';
import { FocusRing, focusRing } from './focus-ring';

/** A name to find: equal after trimming (a string) or matching (a RegExp). */
export type Name = string | RegExp;

const matches = (name: Name, seen: string) => (typeof name === 'string' ? seen === name : name.test(seen));

/** The accessible name of the focused element as a screen reader says it: aria-label, aria-labelledby, its label, its text. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    const by = el.getAttribute('aria-labelledby');
    if (by)
      return by
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' ')
        .trim();
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return (labels[0].textContent ?? '').replace(/\s+/g, ' ').trim();
    return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab (or Shift+Tab) until the focused element is called `name`; fails, naming what it passed, when it is not reached in `limit` presses. */
export async function tabTo(
  page: Page,
  name: Name,
  options: { backwards?: boolean; limit?: number } = {},
): Promise<void> {
  const limit = options.limit ?? 120;
  const passed: string[] = [];
  for (let i = 0; i <= limit; i++) {
    const seen = await focusedName(page);
    if (matches(name, seen)) return;
    passed.push(seen);
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(
    `${options.backwards ? 'Shift+Tab' : 'Tab'} never reached ${name} in ${limit} presses; passed: ${JSON.stringify([...new Set(passed)])}`,
  );
}

/** Tabs to the field `label` and types `text` over what it holds (Ctrl+A first, as a user replacing it would). */
export async function typeInto(
  page: Page,
  label: Name,
  text: string,
  options: { backwards?: boolean } = {},
): Promise<void> {
  await tabTo(page, label, options);
  await page.keyboard.press('ControlOrMeta+A');
  if (text === '') await page.keyboard.press('Backspace');
  else await page.keyboard.type(text);
}

/** Tabs to the select `label` and moves through its options with the arrow keys until the one shown as `option` is chosen. */
export async function choose(
  page: Page,
  label: Name,
  option: Name,
  options: { backwards?: boolean } = {},
): Promise<void> {
  await tabTo(page, label, options);
  const state = () =>
    page.evaluate(() => {
      const select = document.activeElement as HTMLSelectElement;
      return {
        index: select.selectedIndex,
        count: select.options.length,
        text: select.options[select.selectedIndex]?.textContent?.trim() ?? '',
        all: [...select.options].map((o) => o.textContent?.trim() ?? ''),
      };
    });
  let now = await state();
  const wanted = now.all.findIndex((text) => matches(option, text));
  if (wanted < 0) throw new Error(`the select ${label} has no option ${option}; it has ${JSON.stringify(now.all)}`);
  for (let i = 0; i < now.count && now.index !== wanted; i++) {
    await page.keyboard.press(now.index < wanted ? 'ArrowDown' : 'ArrowUp');
    now = await state();
  }
  if (!matches(option, now.text))
    throw new Error(`the arrow keys did not choose ${option} in ${label}; it shows ${now.text}`);
}

/** Tabs to the checkbox, radio or button `label` and presses Space. */
export async function toggle(page: Page, label: Name, options: { backwards?: boolean } = {}): Promise<void> {
  await tabTo(page, label, options);
  await page.keyboard.press('Space');
}

export interface FormWalk {
  /** Every control of the form, by accessible name, in the order Tab reached them. */
  forward: string[];
  /** The same, in the order Shift+Tab reached them from the last one. */
  backward: string[];
  /** Controls Tab never reached (should be none). */
  unreached: string[];
  /** The focus ring at every stop with less than 3:1 contrast (should be none). */
  faint: FocusRing[];
}

/**
 * Tabs from where focus is through the form `form` (which focus must already be in or before) and back:
 * every enabled, visible control must be reached by Tab (one stop for a group of radio buttons), and
 * Shift+Tab from the last must go back through the same controls in reverse. The focus ring at each stop
 * is measured. Controls are told apart by a data attribute the walk sets, not by name.
 */
export async function walkForm(page: Page, form: Locator): Promise<FormWalk> {
  const controls = await form.evaluate((el) => {
    const all = [...el.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href], [tabindex]')].filter(
      (c) => {
        if (
          (c as HTMLInputElement).disabled ||
          c.getAttribute('tabindex') === '-1' ||
          (c as HTMLInputElement).type === 'hidden'
        )
          return false;
        const box = c.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(c).visibility !== 'hidden';
      },
    );
    return all.map((c, i) => {
      // One stop for a group of radio buttons: the group is the control.
      const key =
        (c as HTMLInputElement).type === 'radio' && (c as HTMLInputElement).name
          ? `radio:${(c as HTMLInputElement).name}`
          : `kb-${i}`;
      c.setAttribute('data-kb', key);
      const labels = (c as HTMLInputElement).labels;
      const name = c.getAttribute('aria-label') ?? (labels && labels[0] ? labels[0].textContent : c.textContent) ?? '';
      return { key, name: name.replace(/\s+/g, ' ').trim() };
    });
  });
  const keys = [...new Set(controls.map((c) => c.key))];
  const nameOf = new Map(controls.map((c) => [c.key, c.name]));
  const focusedKey = () => page.evaluate(() => document.activeElement?.getAttribute('data-kb') ?? null);
  const faint: FocusRing[] = [];

  const forward: string[] = [];
  const start = await focusedKey();
  if (start !== null) forward.push(start);
  // Up to the form's controls and as many again outside it (a dialog's close button, the page before the form).
  for (let i = 0; i < keys.length * 2 + 150 && forward.length < keys.length; i++) {
    await page.keyboard.press('Tab');
    const key = await focusedKey();
    if (key === null) {
      if (forward.length > 0) break; // left the form
      continue;
    }
    // A date or time field takes a Tab per part (day, month, year) and stays focused meanwhile.
    if (key === forward[forward.length - 1]) continue;
    if (forward.includes(key)) break;
    forward.push(key);
    const ring = await focusRing(page);
    if (ring && ring.contrast < 3) faint.push(ring);
  }
  const backward: string[] = forward.length > 0 ? [forward[forward.length - 1]] : [];
  for (let i = 0; i < forward.length * 4 + 10 && backward.length < forward.length; i++) {
    await page.keyboard.press('Shift+Tab');
    const key = await focusedKey();
    if (key !== null && key === backward[backward.length - 1]) continue;
    if (key === null || backward.includes(key)) break;
    backward.push(key);
  }
  return {
    forward: forward.map((k) => nameOf.get(k)!),
    backward: backward.map((k) => nameOf.get(k)!),
    unreached: keys.filter((k) => !forward.includes(k)).map((k) => nameOf.get(k)!),
    faint,
  };
}
