// Who is logged in (GET /api/v1/me), shared by every page.
import { ref } from 'vue'

import { api } from '@shared/api.js'

export const me = ref(null)

export async function loadMe() {
  me.value = await api.get('/me')
  return me.value
}

export function can(permission) {
  return Boolean(me.value && me.value.permissions.includes(permission))
}

window.addEventListener('lianbang:unauthenticated', () => {
  window.location.href = '/login/?next=' + encodeURIComponent(window.location.pathname)
})
