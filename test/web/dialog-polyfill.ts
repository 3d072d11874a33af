// jsdom has <dialog> but not its modal methods: opening sets `open`, closing removes it, which is what the
// pages' dialogs (apps/web/src/components/dialog.tsx) rely on. Real Chromium runs the real ones (test/e2e/web-*.e2e.spec.ts).
const proto = (globalThis as { HTMLDialogElement?: { prototype: HTMLDialogElement } }).HTMLDialogElement?.prototype;
if (proto && typeof proto.showModal !== 'function') {
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
}
export {};
