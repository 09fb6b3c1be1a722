import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './ui/themes/fonts.ts';
import './i18n/index.ts';
import './ui/styles.css';
import { App } from './app/App.tsx';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
