// The breadcrumb of the lower drill-down levels: the household's unit chain up to the caller's
// own units (a unit above their scope answers 404 and ends the chain), then the household.
import { api } from '@shared/api.js'

// The unit and the units above it, top first, as far up as the caller may see.
export async function unitAncestors(unitId) {
  const chain = []
  let next = unitId
  while (next && chain.length < 8) {
    try {
      const found = await api.get(`/units/${next}`)
      chain.unshift(found.unit)
      next = found.unit.parent_id
    } catch {
      break // above the caller's scope
    }
  }
  return chain
}

export async function unitChain(unitId) {
  return (await unitAncestors(unitId)).map((u) => ({ key: `unit-${u.id}`, label: `${u.level_label} · ${u.name}`, to: { name: 'unit', params: { id: u.id } } }))
}

export function householdCrumb(household, t) {
  return { key: 'household', label: `${t('open_file')} · ${household.household_no}`, to: { name: 'household', params: { id: household.id } } }
}

export function personCrumb(person, t) {
  return { key: 'person', label: `${t('person')} · ${person.name}`, to: { name: 'member', params: { id: person.id } } }
}

// A matter opens on its own page: a risk case as a case, a request or dispute as a matter.
export function matterRoute(matter) {
  return matter.kind === 'risk' ? { name: 'case', params: { id: matter.id } } : { name: 'matter', params: { id: matter.id } }
}

export function matterCrumb(matter, t) {
  return { key: 'matter', label: `${t('matter')} · ${matter.title}`, to: matterRoute(matter) }
}
