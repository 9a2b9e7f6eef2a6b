// What needs doing in my grid: each household's light, why, whether a visit is overdue and which
// case steps are due; the list is sorted red first, then overdue steps, overdue visits, steps due.

// Days between routine visits by light (DOMAIN: red households are seen weekly, yellow twice a
// month, green monthly).
export const VISIT_DAYS = { red: 7, yellow: 15, green: 30 }
const COLOR_RANK = { red: 0, yellow: 1, green: 2 }
const DAY = 86_400_000

export function colorOf(household) {
  return household.light?.color || 'green'
}

export function headOf(household) {
  const head = household.members.find((m) => m.relation === '户主') || household.members[0]
  return head ? head.name : household.household_no
}

export function addressOf(household) {
  const a = household.address || {}
  return [a.building && `${a.building}栋`, a.unit && `${a.unit}单元`, a.room].filter(Boolean).join('')
}

export function lastVisit(household, queue) {
  const mine = queue
    .filter((e) => e.kind === 'visit' && e.household_id === household.id && e.status !== 'rejected' && e.status !== 'discarded')
    .map((e) => e.item.data.visited_at)
  const all = [household.last_visit_at, ...mine].filter(Boolean).map((t) => new Date(t).getTime())
  return all.length ? Math.max(...all) : null
}

export function assess(household, { queue, tasks, rules, now = Date.now(), t }) {
  const color = colorOf(household)
  const reasons = (household.light?.rules || []).map((code) => rules[code] || code)
  if (household.light?.income_missing) reasons.push(t('incomeMissing'))
  const last = lastVisit(household, queue)
  const interval = VISIT_DAYS[color] || 30
  const visitOverdueDays = last === null ? interval : Math.floor((now - last) / DAY) - interval
  const visitOverdue = last === null || visitOverdueDays > 0
  const steps = (tasks.steps || []).filter((s) => s.household_id === household.id)
  const stepsOverdue = steps.filter((s) => new Date(s.due_at).getTime() < now)
  const stepsDue = steps.filter((s) => new Date(s.due_at).getTime() - now < 3 * DAY)
  const notes = []
  if (stepsOverdue.length) notes.push(t('stepsOverdue', { n: stepsOverdue.length }))
  else if (stepsDue.length) notes.push(t('stepsDue', { n: stepsDue.length }))
  if (last === null) notes.push(t('neverVisited'))
  else if (visitOverdue) notes.push(t('visitOverdue', { n: visitOverdueDays }))
  const key = [COLOR_RANK[color] ?? 3, stepsOverdue.length ? 0 : 1, visitOverdue ? 0 : 1, stepsDue.length ? 0 : 1]
  return { color, reasons, notes, visitOverdue, last, steps, key }
}

export function byNeed(rows) {
  return rows.sort((a, b) => {
    for (let i = 0; i < a.assessment.key.length; i++) {
      const d = a.assessment.key[i] - b.assessment.key[i]
      if (d) return d
    }
    return a.household.household_no.localeCompare(b.household.household_no)
  })
}

export function ageOf(member, today = new Date()) {
  const year = parseInt(String(member.birth_date || '').slice(0, 4), 10)
  return Number.isFinite(year) ? today.getFullYear() - year : null
}

// Which questions of the visit form fit this household.
export function questionsFor(household) {
  const members = household.members.filter((m) => m.status === 'active' || !m.status)
  const ages = members.map((m) => ageOf(m)).filter((a) => a !== null)
  const questions = []
  if (ages.some((a) => a >= 60)) questions.push('elderly_health')
  if (ages.some((a) => a >= 16 && a < 60)) questions.push('employment')
  if (ages.some((a) => a >= 6 && a <= 18)) questions.push('schooling')
  questions.push('income')
  return questions
}

export const ROUTINE = { elderly_health: 'stable', employment: 'stable', schooling: 'in_school', income: 'same' }
export const ANSWERS = {
  elderly_health: ['stable', 'worse', 'hospital'],
  employment: ['stable', 'lost', 'new'],
  schooling: ['in_school', 'dropout'],
  income: ['same', 'up', 'down'],
}
