// The client's entry. This script holds only the session check and the first reads (boot.ts); React, the frame
// and the pages are a second script, which index.html has the browser fetch and compile alongside this one
// (a modulepreload link, see vite.config.mts), so the first request is on its way while they compile.
import { boot } from './boot';
import './styles.css';

const started = boot();

import('./render').then(
  ({ render }) => render(started),
  () => {
    // Offline or a new release half-deployed: say so instead of a blank page.
    document.getElementById('root')!.textContent = 'Samverka kunde inte laddas. Ladda om sidan.';
  },
);
