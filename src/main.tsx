import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './slide/themes/fonts.ts';
import './i18n/index.ts';
import './ui/styles.css';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app/App.tsx';

// Precaches the app shell for offline use and keeps it up to date (vite-plugin-pwa).
if ('serviceWorker' in navigator) registerSW({ immediate: true });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
