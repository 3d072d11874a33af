// React and the whole signed-in client, started by main.tsx with the reads it has begun. When the API rendered
// the first screen into the page (boot.server), React takes that markup over (hydrates it) instead of drawing
// the page again: the first render must give exactly the server's markup, from the server's answers.
import { StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App } from './app';
import type { Boot } from './boot';
import { PageLoadError } from './components/lazy-page';

// A page that could not be fetched says so on screen (components/lazy-page.tsx); that is no error to log.
const onCaughtError = (error: unknown, info: { componentStack?: string }) => {
  if (!(error instanceof PageLoadError)) console.error(error, info.componentStack);
};

export function render(started: Boot | null): void {
  const root = document.getElementById('root')!;
  const app = (
    <StrictMode>
      <App boot={started} />
    </StrictMode>
  );
  if (started?.server) hydrateRoot(root, app, { onCaughtError });
  else createRoot(root, { onCaughtError }).render(app);
}
