import type { Locator, Page } from 'playwright-core';

/** Whether `target` is the focused element (waits for it to be in the page). */
export const isFocused = (target: Locator) => target.evaluate((element) => element === element.ownerDocument.activeElement);

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would reach it; fails after
 * `limit` presses.
 */
export async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', limit = 60): Promise<void> {
  for (let press = 0; press < limit; press += 1) {
    if (await isFocused(target)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${limit} presses of ${key} never focused ${target.toString()}`);
}

/**
 * What a sighted keyboard user sees of the focus: whether the focused element is `target`, matches
 * :focus-visible and is drawn with an outline (or a box shadow) there.
 */
export async function focusShown(target: Locator): Promise<{ focused: boolean; visible: boolean; drawn: boolean }> {
  return target.evaluate((element) => {
    const style = element.ownerDocument.defaultView?.getComputedStyle(element);
    if (!style) throw new Error('the element is in no window');
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {
      focused: element === element.ownerDocument.activeElement,
      visible: element.matches(':focus-visible'),
      drawn: outline || style.boxShadow !== 'none',
    };
  });
}

/** `target` has the focus, and it shows. */
export async function expectFocusShown(target: Locator): Promise<void> {
  expect(await focusShown(target)).toEqual({ focused: true, visible: true, drawn: true });
}
