// React and the whole signed-in client, started by main.tsx with the reads it has begun.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import type { Boot } from './boot';
import { PageLoadError } from './components/lazy-page';

export function render(started: Boot | null): void {
  createRoot(document.getElementById('root')!, {
    // A page that could not be fetched says so on screen (components/lazy-page.tsx); that is no error to log.
    onCaughtError: (error, info) => {
      if (!(error instanceof PageLoadError)) console.error(error, info.componentStack);
    },
  }).render(
    <StrictMode>
      <App boot={started} />
    </StrictMode>,
  );
}
