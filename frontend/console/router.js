// Pages load lazily: the first screen carries only what it shows.
import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue') },
    // Drill-down 六提六知, light maps, the household file and the lists (console).
    { path: '/units/:id(\\d+)', name: 'unit', component: () => import('./pages/drill/UnitPage.vue'), props: (r) => ({ unitId: Number(r.params.id) }) },
    { path: '/units/:id(\\d+)/map', name: 'area-map', component: () => import('./pages/drill/LightMapPage.vue'), props: (r) => ({ unitId: Number(r.params.id) }) },
    { path: '/buildings/:id(\\d+)/map', name: 'building-map', component: () => import('./pages/drill/LightMapPage.vue'), props: (r) => ({ buildingId: Number(r.params.id) }) },
    { path: '/households', name: 'households', component: () => import('./pages/drill/HouseholdList.vue') },
    { path: '/households/:id(\\d+)', name: 'household', component: () => import('./pages/drill/HouseholdFile.vue'), props: (r) => ({ householdId: Number(r.params.id) }) },
    { path: '/people', name: 'people', component: () => import('./pages/drill/PeopleList.vue') },
  ],
})
