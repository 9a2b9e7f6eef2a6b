// The unit a page starts from: the caller's only top unit, or the first of several (a picker).
import { ref } from 'vue'

import { api } from '@shared/api.js'

export function useRootUnit() {
  const units = ref([])
  const unitId = ref(null)
  const error = ref('')

  async function loadUnits() {
    try {
      units.value = await api.get('/units')
      unitId.value = units.value[0]?.id ?? null
    } catch (e) {
      error.value = e.message
    }
  }

  return { units, unitId, error, loadUnits }
}

// Rates and coverage come as percentages with two decimals ("91.60").
export function percent(value) {
  return value === null || value === undefined ? '—' : `${Number(value).toFixed(2)}%`
}
