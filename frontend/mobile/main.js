import './mobile.css'

import { createApp } from 'vue'

import App from './App.vue'
import { router } from './router.js'
import { start } from './store.js'

createApp(App).use(router).mount('#app')
start()

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch(() => {})
}
