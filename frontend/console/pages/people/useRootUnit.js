// The unit a page starts from: the caller's only top unit, or the first of several (a picker);
// or the unit a link asked for (a dashboard's click-through: ?unit_id=), offered beside them.
import { ref } from 'vue'

import { api } from '@shared/api.js'

export function useRootUnit(wanted = null) {
  const units = ref([])
  const unitId = ref(null)
  const error = ref('')

  async function loadUnits() {
    try {
      units.value = await api.get('/units')
      unitId.value = units.value[0]?.id ?? null
      if (wanted && !units.value.some((u) => u.id === wanted)) {
        const { unit } = await api.get(`/units/${wanted}`)  // 404 outside the caller's scope
        units.value = [unit, ...units.value]
      }
      if (wanted) unitId.value = wanted
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
