// The head of the person-level drill-down pages (人员档案, 提事知情, 提情知策): load the person and,
// on a matter's pages, the matter's situation — refused when the matter is another household's
// (the URL names the person and the matter apart: never mix two households on one page) — then
// whatever else the page needs (`more`), and the breadcrumb: the household's unit chain up to the
// caller's own units, the household, the person, the matter, and the page's own `tail`.
import { computed, onMounted, ref } from 'vue'

import { api } from '@shared/api.js'

import { useLoad } from '../work/useLoad.js'
import { householdCrumb, matterCrumb, personCrumb, unitChain } from './crumbs.js'

export function useDrillLoad({ memberId, caseId = null, t, more = null, tail = () => [] }) {
  const person = ref(null)
  const situation = ref(null)
  const units = ref([])
  const { loading, error, load } = useLoad(
    async () => {
      person.value = await api.get(`/members/${memberId()}`)
      if (caseId) {
        const found = await api.get(`/cases/${caseId()}/situation`)
        if (found.case.household_id !== person.value.household.id) {
          situation.value = null
          throw new Error(t('not_this_household'))
        }
        situation.value = found
      }
      if (more) await more(person.value, situation.value)
      units.value = await unitChain(person.value.household.unit_id)
    },
    { loading: true },
  )

  const crumbs = computed(() => {
    if (!person.value || (caseId && !situation.value)) return []
    const trail = [...units.value, householdCrumb(person.value.household, t), personCrumb(person.value, t)]
    if (caseId) trail.push(matterCrumb(situation.value.case, t))
    return [...trail, ...tail()]
  })

  onMounted(load)
  return { person, situation, crumbs, loading, error, load }
}
