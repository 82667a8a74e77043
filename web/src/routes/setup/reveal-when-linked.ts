/**
 * Brings a section into view when the address names it (`/setup#alarms`, from the wall's setup
 * checklist): a form that appears only once its data has loaded comes after the browser's own jump
 * to the anchor, so it has to scroll itself. Used as an attachment: `{@attach revealWhenLinked}`.
 */
export function revealWhenLinked(element: HTMLElement): void {
  if (element.id && location.hash === `#${element.id}`) element.scrollIntoView({ block: 'start' });
}
