import { Page } from 'playwright-core';

export interface FocusRing {
  element: string;
  /** Where the indicator was found: outline or box-shadow; null when there is none. */
  kind: 'outline' | 'box-shadow' | null;
  ring: string | null;
  background: string;
  contrast: number;
}

/**
 * The focused element's focus indicator (its outline, else the first colour of its box-shadow) and the
 * contrast of that colour against the background it is drawn on: outside the element (outline-offset >= 0)
 * the nearest ancestor's background, blended down to the page; inside it, the element's own.
 */
export function focusRing(page: Page): Promise<FocusRing | null> {
  return page.evaluate(() => {
    type FocusRingResult = {
      element: string;
      kind: 'outline' | 'box-shadow' | null;
      ring: string | null;
      background: string;
      contrast: number;
    };
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const parse = (colour: string): [number, number, number, number] | null => {
      const m = colour.match(/rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[, /]+([\d.]+%?))?\)/);
      if (!m) return null;
      const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
      return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
    };
    /** The colour an element's background shows, its own blended over its ancestors' down to white. */
    const backgroundOf = (start: Element | null): [number, number, number] => {
      const layers: [number, number, number, number][] = [];
      for (let at: Element | null = start; at; at = at.parentElement) {
        const c = parse(getComputedStyle(at).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let rgb: [number, number, number] = [255, 255, 255];
      for (const [r, g, b, a] of layers.reverse())
        rgb = [r * a + rgb[0] * (1 - a), g * a + rgb[1] * (1 - a), b * a + rgb[2] * (1 - a)];
      return rgb;
    };
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r, g, b].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const style = getComputedStyle(el);
    let kind: 'outline' | 'box-shadow' | null = null;
    let ring: [number, number, number, number] | null = null;
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
      kind = 'outline';
      ring = parse(style.outlineColor);
    } else if (style.boxShadow && style.boxShadow !== 'none') {
      kind = 'box-shadow';
      ring = parse(style.boxShadow);
    }
    const inside = kind === 'outline' ? parseFloat(style.outlineOffset) < 0 : /inset/.test(style.boxShadow);
    /**
     * What is drawn just beyond the ring on its left, right, top and bottom (the element under that point, as
     * laid out, not as nested: a positioned element may sit over another's background); the darkest or
     * lightest of them, whichever is closest to the ring, is checked.
     */
    const besides = (): [number, number, number][] => {
      const rect = el.getBoundingClientRect();
      const reach = (kind === 'outline' ? parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) : 4) + 2;
      const points: [number, number][] = [
        [rect.left - reach, rect.top + rect.height / 2],
        [rect.right + reach, rect.top + rect.height / 2],
        [rect.left + rect.width / 2, rect.top - reach],
        [rect.left + rect.width / 2, rect.bottom + reach],
      ];
      const found: [number, number, number][] = [];
      for (const [x, y] of points) {
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
        const under = document.elementsFromPoint(x, y).find((e) => e !== el && !el.contains(e));
        if (under) found.push(backgroundOf(under));
      }
      return found.length > 0 ? found : [backgroundOf(el.parentElement)];
    };
    const candidates = inside ? [backgroundOf(el)] : besides();
    const name = `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : ''}${el.id ? `#${el.id}` : ''}${el.getAttribute('class') ? `.${el.getAttribute('class')!.split(' ').join('.')}` : ''} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}"`;
    if (!ring || ring[3] === 0)
      return {
        element: name,
        kind: null,
        ring: null,
        background: `rgb(${candidates[0].map(Math.round).join(', ')})`,
        contrast: 0,
      };
    let worst: FocusRingResult | null = null;
    for (const background of candidates) {
      // A translucent ring shows blended over the background.
      const shown = [0, 1, 2].map((i) => ring![i] * ring![3] + background[i] * (1 - ring![3]));
      const [light, dark] = [luminance(shown), luminance(background)].sort((a, b) => b - a);
      const contrast = Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100;
      if (!worst || contrast < worst.contrast)
        worst = {
          element: name,
          kind,
          ring: `rgb(${shown.map(Math.round).join(', ')})`,
          background: `rgb(${background.map(Math.round).join(', ')})`,
          contrast,
        };
    }
    return worst;
  });
}
