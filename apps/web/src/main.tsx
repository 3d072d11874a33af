import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { boot } from './boot';
import { PageLoadError } from './components/lazy-page';
import { prepareDateFormats } from './i18n/i18n';
import './styles.css';

// Before rendering: the session check and this page's first reads are on their way while React starts.
const started = boot();
// Then, while the answers are on their way, what the first dates shown would otherwise wait for.
setTimeout(prepareDateFormats, 0);

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
