import 'element-plus/dist/index.css'
import './console.css'

import ElementPlus from 'element-plus'
import { createApp } from 'vue'

import App from './App.vue'
import { router } from './router.js'

createApp(App).use(router).use(ElementPlus).mount('#app')
