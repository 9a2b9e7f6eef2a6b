// Pages load lazily: the first screen carries only what it shows.
import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue') },
    // Case board, matters, 公示 and notifications (console-work).
    { path: '/work/cases', name: 'case-board', component: () => import('./pages/work/CaseBoard.vue') },
    { path: '/work/cases/:id(\\d+)', name: 'case', component: () => import('./pages/work/CaseDetail.vue') },
    { path: '/work/matters', name: 'matters', component: () => import('./pages/work/MatterList.vue') },
    { path: '/work/matters/:id(\\d+)', name: 'matter', component: () => import('./pages/work/CaseDetail.vue'), props: { matter: true } },
    { path: '/work/publicity', name: 'publicity', component: () => import('./pages/work/PublicityList.vue') },
    { path: '/work/inbox', name: 'inbox', component: () => import('./pages/work/InboxPage.vue') },
  ],
})
