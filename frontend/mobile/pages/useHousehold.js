import { computed } from 'vue'

import { state } from '../store.js'

export function useHousehold(props) {
  return computed(() => state.households.find((h) => String(h.id) === String(props.id)) || null)
}
