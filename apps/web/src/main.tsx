import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { boot } from './boot';
import './styles.css';

// Before rendering: the session check and this page's first reads are on their way while React starts.
const started = boot();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App boot={started} />
  </StrictMode>,
);
