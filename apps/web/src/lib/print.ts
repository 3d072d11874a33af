/**
 * Prints one element and nothing else (the print rules for body.printing-note in styles.css): a copy of it
 * goes straight under <body>, beside the page, which printing leaves out. A copy, so that an element in a
 * dialog (fixed, and cut to the screen's height) prints as plain pages.
 */
export function printAlone(element: HTMLElement): void {
  const copy = element.cloneNode(true) as HTMLElement;
  copy.classList.add('print-target');
  document.body.append(copy);
  document.body.classList.add('printing-note');
  const done = () => {
    copy.remove();
    document.body.classList.remove('printing-note');
  };
  window.addEventListener('afterprint', done, { once: true });
  window.print();
}
