// The phone app's state: the logged-in worker, their households (from IndexedDB), the queue of
// offline changes and the sync loop. Every change is a queue entry first (IndexedDB), then an
// upload; the server applies each client UUID at most once, so a retry never doubles anything.
import { reactive } from 'vue'

import { api } from '@shared/api.js'

import * as local from './db.js'
import { newUuid } from './uuid.js'

export const LOGIN_URL = '/login/?next=/m/'
const BATCH_ITEMS = 50
const BATCH_BYTES = 2_500_000 // the server takes 5 MB a request; photos make items heavy
const KEEP_DONE = 200
const DONE = new Set(['applied', 'discarded', 'resolved'])

export const state = reactive({
  ready: false,
  user: null, // {username, full_name}
  households: [],
  queue: [],
  tasks: { steps: [], alerts: [], notices: [] },
  employment: { labour: [], wishes: [], follow_ups: [], choices: {} }, // GET /mobile/employment
  care: { items: [] }, // GET /care/tasks: elderly care visits due or overdue
  rules: {},
  online: navigator.onLine,
  syncing: false,
  lastSync: null,
  needsLogin: false,
  error: '',
})

let seq = Date.now()
let running = null
let again = false

function plain(value) {
  return JSON.parse(JSON.stringify(value))
}

export async function start() {
  state.user = (await local.metaGet('user')) || null
  state.lastSync = (await local.metaGet('lastSync')) || null
  state.tasks = (await local.metaGet('tasks')) || state.tasks
  state.rules = (await local.metaGet('rules')) || {}
  state.employment = (await local.metaGet('employment')) || state.employment
  state.care = (await local.metaGet('care')) || state.care
  state.households = await local.householdsAll()
  state.queue = await local.queueAll()
  seq = Math.max(seq, ...state.queue.map((entry) => entry.seq + 1))
  state.ready = true
  window.addEventListener('online', () => {
    state.online = true
    sync()
  })
  window.addEventListener('offline', () => {
    state.online = false
  })
  window.addEventListener('lianbang:unauthenticated', () => {
    state.needsLogin = true
  })
  setInterval(() => state.online && pendingEntries().length && sync(), 60_000)
  if (navigator.onLine) sync()
}

export function goToLogin() {
  window.location.assign(LOGIN_URL)
}

// --- the queue -------------------------------------------------------------------------------

export function pendingEntries() {
  return state.queue.filter((entry) => entry.status === 'pending' || entry.status === 'error')
}

export async function enqueue(item, label) {
  const entry = plain({
    uuid: item.uuid || newUuid(),
    seq: seq++,
    user: state.user?.username || '',
    kind: item.kind,
    household_id: item.household_id ?? null,
    label,
    created_at: new Date().toISOString(),
    status: 'pending',
    item: { ...item, uuid: item.uuid || undefined },
  })
  entry.item.uuid = entry.uuid
  await local.queuePut(entry)
  state.queue.push(entry)
  if (state.online) sync()
  return entry
}

async function saveEntry(entry) {
  await local.queuePut(plain(entry))
}

export async function discard(entry) {
  entry.status = 'discarded'
  await saveEntry(entry)
}

export async function resolveConflict(entry, choices) {
  const conflicts = entry.result?.conflicts || {}
  const changes = {}
  for (const [key, values] of Object.entries(conflicts)) {
    if (choices[key] === 'yours') changes[key] = values.yours
  }
  entry.status = 'resolved'
  await saveEntry(entry)
  if (!Object.keys(changes).length) return null
  const item = { kind: entry.kind, base_version: currentVersion(entry), changes }
  if (entry.kind === 'member_update') item.member_id = entry.item.member_id
  else item.household_id = entry.item.household_id
  return enqueue(item, entry.label)
}

function currentVersion(entry) {
  const household = state.households.find((h) => h.id === entry.household_id)
  let known = household?.version || 0
  if (entry.kind === 'member_update') {
    known = household?.members.find((m) => m.id === entry.item.member_id)?.version || 0
  }
  return Math.max(known, entry.result?.version || 0)
}

async function prune() {
  const done = state.queue.filter((entry) => DONE.has(entry.status))
  const old = done.slice(0, Math.max(0, done.length - KEEP_DONE))
  for (const entry of old) await local.queueDelete(entry.uuid)
  const gone = new Set(old.map((entry) => entry.uuid))
  state.queue = state.queue.filter((entry) => !gone.has(entry.uuid))
}

// --- sync ------------------------------------------------------------------------------------

export function sync() {
  if (running) {
    again = true // a change queued while a sync runs goes up right after it
    return running
  }
  running = runSync().finally(() => {
    running = null
    if (again) {
      again = false
      sync()
    }
  })
  return running
}

async function runSync() {
  document.documentElement.dataset.sync = 'busy' // for the browser tests: wait until idle
  state.syncing = true
  state.error = ''
  try {
    if (!(await checkUser())) return
    await pushQueue()
    await pull()
    await refreshExtras()
    state.lastSync = new Date().toISOString()
    await local.metaSet('lastSync', state.lastSync)
    await prune()
  } catch (error) {
    if (error.status === 401) state.needsLogin = true
    else state.error = error.message
    if (error.status === 0) state.online = navigator.onLine
  } finally {
    state.syncing = false
    document.documentElement.dataset.sync = 'idle'
  }
}

async function checkUser() {
  let me
  try {
    me = await api.get('/me')
  } catch (error) {
    if (error.status !== 401) throw error
    state.needsLogin = true
    if (!state.user) goToLogin() // never logged in on this phone: the login page it is
    return false
  }
  state.needsLogin = false
  if (state.user?.username !== me.username) {
    // Another worker on this phone: their households go; queued changes stay with their author.
    await local.householdsClear()
    await local.metaSet('cursor', null)
    state.households = []
  }
  state.user = { username: me.username, full_name: me.full_name }
  await local.metaSet('user', plain(state.user))
  return true
}

function batches(entries) {
  const out = []
  let current = []
  let bytes = 0
  for (const entry of entries) {
    const size = JSON.stringify(entry.item).length
    if (current.length && (current.length >= BATCH_ITEMS || bytes + size > BATCH_BYTES)) {
      out.push(current)
      current = []
      bytes = 0
    }
    current.push(entry)
    bytes += size
  }
  if (current.length) out.push(current)
  return out
}

async function pushQueue() {
  const mine = pendingEntries().filter((entry) => entry.user === state.user.username)
  for (const batch of batches(mine)) {
    let results
    try {
      ;({ results } = await api.post('/sync/push', { items: batch.map((entry) => entry.item) }))
    } catch (error) {
      if (error.status === 0 || error.status === 401 || error.status === 429) throw error
      for (const entry of batch) await markError(entry, error.message)
      continue
    }
    for (const [index, entry] of batch.entries()) await record(entry, results[index])
  }
}

async function markError(entry, message) {
  entry.status = 'error'
  entry.error = message
  await saveEntry(entry)
}

async function record(entry, result) {
  entry.result = result
  entry.status = result.status
  entry.replayed = Boolean(result.replayed)
  entry.synced_at = new Date().toISOString()
  entry.error = result.error ? result.error.message : ''
  if (entry.kind === 'visit_photo' && result.status === 'applied') entry.item.data.base64 = '' // kept by the server
  await saveEntry(entry)
}

async function pull() {
  const cursor = await local.metaGet('cursor')
  const data = await api.get('/sync/pull', cursor ? { cursor } : {})
  if (data.full) await local.householdsClear()
  await local.householdsSave(data.households, data.removed)
  await local.metaSet('cursor', data.cursor)
  state.households = await local.householdsAll()
}

// Reads the phone caches in IndexedDB's meta store; a role without the permission keeps its empty default.
const EXTRAS = [
  ['tasks', '/mobile/tasks', {}],
  ['employment', '/mobile/employment', {}],
  ['care', '/care/tasks', { within_days: 7 }],
]

async function refreshExtras() {
  for (const [key, path, query] of EXTRAS) {
    try {
      state[key] = await api.get(path, query)
      await local.metaSet(key, plain(state[key]))
    } catch (error) {
      if (error.status === 0 || error.status === 401) throw error
    }
  }
  if (Object.keys(state.rules).length) return
  try {
    const ruleSet = await api.get('/rule-sets/active')
    state.rules = Object.fromEntries(ruleSet.rules.map((rule) => [rule.code, rule.name]))
    await local.metaSet('rules', plain(state.rules))
  } catch (error) {
    if (error.status === 0 || error.status === 401) throw error
  }
}
