import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// In development the Vite server proxies the API and the sync socket to the Node server (npm run server).
export default defineConfig({
  plugins: [
    react(),
    // The app shell (HTML, JS, CSS, the shipped fonts) is precached by a service worker, so the
    // editor opens with no network after one online visit. Flashbook content is not the service
    // worker's business: it lives in IndexedDB (src/local).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Flashbook Studio',
        short_name: 'Flashbooks',
        description: 'Book presentations for Instagram, made together by librarians.',
        theme_color: '#1d2736',
        background_color: '#f4f1ea',
        icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,woff2,wasm,svg,webmanifest}'],
        // Every app route (/, /f/<id>) is the same page.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/sync': { target: 'ws://localhost:8080', ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true },
});
