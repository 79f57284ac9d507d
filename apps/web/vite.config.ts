import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API serves /api, /health and the Bull Board UI under /admin; the browser only ever
// talks to the web origin, so the refresh cookie stays first-party.
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
const proxy = {
  '/api': { target: apiUrl, changeOrigin: false },
  '/health': { target: apiUrl, changeOrigin: false },
  '/admin': { target: apiUrl, changeOrigin: false },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 5173, strictPort: true, proxy },
  build: {
    // antd's shared core is ~700 kB minified (~230 kB gzip) and lands in the entry chunk;
    // console pages are already split out with React.lazy, so the default 500 kB warning is noise.
    chunkSizeWarningLimit: 800,
  },
});
