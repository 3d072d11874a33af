/** Prints one element and nothing else (see the print rules for body.printing-note in styles.css). */
export function printAlone(element: HTMLElement): void {
  element.classList.add('print-target');
  document.body.classList.add('printing-note');
  const done = () => {
    element.classList.remove('print-target');
    document.body.classList.remove('printing-note');
  };
  window.addEventListener('afterprint', done, { once: true });
  window.print();
}
