import { createRouter, createWebHistory } from 'vue-router'

import GridPage from './pages/GridPage.vue'

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/', name: 'grid', component: GridPage },
    { path: '/h/:id', name: 'household', component: () => import('./pages/HouseholdPage.vue'), props: true },
    { path: '/h/:id/visit', name: 'visit', component: () => import('./pages/VisitPage.vue'), props: true },
    { path: '/h/:id/event', name: 'event', component: () => import('./pages/EventPage.vue'), props: true },
    { path: '/h/:id/declare', name: 'declare', component: () => import('./pages/DeclarePage.vue'), props: true },
    { path: '/h/:id/edit', name: 'edit', component: () => import('./pages/EditPage.vue'), props: true },
    { path: '/h/:id/m/:member/work', name: 'work', component: () => import('./pages/WorkPage.vue'), props: true },
    { path: '/h/:id/m/:member/care', name: 'care', component: () => import('./pages/CareVisitPage.vue'), props: true },
    { path: '/tasks', name: 'tasks', component: () => import('./pages/TasksPage.vue') },
    { path: '/sync', name: 'sync', component: () => import('./pages/SyncPage.vue') },
    { path: '/sync/:uuid', name: 'conflict', component: () => import('./pages/ConflictPage.vue'), props: true },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})
