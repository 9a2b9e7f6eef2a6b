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
    // Administration screens (console-work).
    { path: '/admin', redirect: '/admin/rules' },
    { path: '/admin/rules', name: 'admin-rules', component: () => import('./pages/admin/AdminRules.vue') },
    { path: '/admin/users', name: 'admin-users', component: () => import('./pages/admin/AdminUsers.vue') },
    { path: '/admin/units', name: 'admin-units', component: () => import('./pages/admin/AdminUnits.vue') },
    { path: '/admin/grids', name: 'admin-grids', component: () => import('./pages/admin/AdminGrids.vue') },
    { path: '/admin/labels', name: 'admin-labels', component: () => import('./pages/admin/AdminLabels.vue') },
    { path: '/admin/settings', name: 'admin-settings', component: () => import('./pages/admin/AdminSettings.vue') },
    // Employment, care and policies (console-work; the API comes with issues 10 and 11).
    { path: '/people/employment', name: 'employment', component: () => import('./pages/people/EmploymentPage.vue') },
    { path: '/people/employment/members/:id(\\d+)', name: 'member-employment', component: () => import('./pages/people/MemberEmployment.vue'), props: (r) => ({ memberId: Number(r.params.id) }) },
    { path: '/people/care', name: 'care', component: () => import('./pages/people/CarePage.vue') },
    { path: '/people/policies', name: 'policies', component: () => import('./pages/people/PoliciesPage.vue') },
    // Drill-down 六提六知, light maps, the household file and the lists (console).
    { path: '/units/:id(\\d+)', name: 'unit', component: () => import('./pages/drill/UnitPage.vue'), props: (r) => ({ unitId: Number(r.params.id) }) },
    { path: '/units/:id(\\d+)/map', name: 'area-map', component: () => import('./pages/drill/LightMapPage.vue'), props: (r) => ({ unitId: Number(r.params.id) }) },
    { path: '/buildings/:id(\\d+)/map', name: 'building-map', component: () => import('./pages/drill/LightMapPage.vue'), props: (r) => ({ buildingId: Number(r.params.id) }) },
    { path: '/households', name: 'households', component: () => import('./pages/drill/HouseholdList.vue') },
    { path: '/households/:id(\\d+)', name: 'household', component: () => import('./pages/drill/HouseholdFile.vue'), props: (r) => ({ householdId: Number(r.params.id) }) },
    { path: '/people', name: 'people', component: () => import('./pages/drill/PeopleList.vue') },
    // 提户知人 → 提人知事 → 提事知情 → 提情知策 (console-drill).
    { path: '/members/:id(\\d+)', name: 'member', component: () => import('./pages/drill/MemberPage.vue'), props: (r) => ({ memberId: Number(r.params.id) }) },
    { path: '/members/:id(\\d+)/matters/:caseId(\\d+)', name: 'member-situation', component: () => import('./pages/drill/SituationPage.vue'), props: (r) => ({ memberId: Number(r.params.id), caseId: Number(r.params.caseId) }) },
    { path: '/members/:id(\\d+)/matters/:caseId(\\d+)/policies', name: 'member-policies', component: () => import('./pages/drill/PolicyFitPage.vue'), props: (r) => ({ memberId: Number(r.params.id), caseId: Number(r.params.caseId) }) },
  ],
})
