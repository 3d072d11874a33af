// A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it, and the
// page behind is inert. Forms open here, behind a button, rather than inline on the page.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { mayLeave } from '../router';

export function Dialog({
  open,
  title,
  onClose,
  children,
  wide,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useI18n();
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Focus goes back to the button that opened the dialog. When the save took that button away (an ended
  // relative, a withdrawn proposal), to the heading of the card it was in, so focus is not lost to the page.
  // The button may also go a moment later, with the dialog, when the page shows the saved answer.
  const lastOpener = useRef<HTMLElement | null>(null);
  const openerPlace = useRef<Element | null>(null);
  useEffect(() => {
    if (open) {
      lastOpener.current = opener.current as HTMLElement | null;
      openerPlace.current = opener.current?.closest('section, article, main') ?? null;
      return;
    }
    const element = opener.current as HTMLElement | null;
    opener.current = null;
    if (element?.isConnected) element.focus();
    else if (element) focusHeadingOf(openerPlace.current);
  }, [open]);
  useEffect(
    () => () => {
      const element = lastOpener.current;
      if (
        element &&
        !element.isConnected &&
        (document.activeElement === document.body || document.activeElement === null)
      )
        focusHeadingOf(openerPlace.current);
    },
    [],
  );

  /** Escape, the close button and "Cancel" all ask first when a form in the dialog has unsaved edits. */
  const requestClose = () => {
    if (mayLeave()) onClose();
  };

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        requestClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button
              type="button"
              className="button secondary dialog-close"
              onClick={requestClose}
              aria-label={t('common.close')}
            >
              ×
            </button>
          </header>
          {children}
        </>
      )}
    </dialog>
  );
}

/** Focuses the first heading in `place` (focusable from script only), or the place itself. */
function focusHeadingOf(at: Element | null) {
  const place = at?.isConnected ? at : document.querySelector('main');
  const heading = place?.querySelector<HTMLElement>('h1, h2, h3') ?? (place as HTMLElement | null);
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** A button that opens a dialog with a form; the form gets `close` to call when it is done. */
export function DialogButton({
  label,
  title,
  children,
  className,
  wide,
}: {
  label: string;
  title?: string;
  className?: string;
  wide?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className ?? 'button secondary'}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
      <Dialog open={open} title={title ?? label} onClose={() => setOpen(false)} wide={wide}>
        {children(() => setOpen(false))}
      </Dialog>
    </>
  );
}
