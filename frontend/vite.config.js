// One Vite project, two apps: the officials' console (/console/) and the phone app (/m/).
// Assets are served by Django (WhiteNoise) under /static/app/; the HTML entries by lianbang.web.spa.
import { fileURLToPath, URL } from 'node:url'

import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

import mobileServiceWorker from './vite-plugins/mobile-sw.js'

export default defineConfig({
  base: '/static/app/',
  plugins: [vue(), mobileServiceWorker({ base: '/static/app/' })],
  publicDir: "public",
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL('./console/index.html', import.meta.url)),
        mobile: fileURLToPath(new URL('./mobile/index.html', import.meta.url)),
      },
    },
  },
})
