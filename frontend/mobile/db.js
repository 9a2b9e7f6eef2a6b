// The phone's own storage (IndexedDB): who is logged in, the households it downloaded, the
// sync cursor, and the queue of changes made offline. Nothing here is ever lost on a reload.
import { openDB } from 'idb'

const NAME = 'lianbang-m'

let opened = null

export function db() {
  opened ||= openDB(NAME, 1, {
    upgrade(database) {
      database.createObjectStore('meta')
      database.createObjectStore('households', { keyPath: 'id' })
      const queue = database.createObjectStore('queue', { keyPath: 'uuid' })
      queue.createIndex('seq', 'seq')
    },
  })
  return opened
}

export async function metaGet(key) {
  return (await db()).get('meta', key)
}

export async function metaSet(key, value) {
  return (await db()).put('meta', value, key)
}

export async function householdsAll() {
  return (await db()).getAll('households')
}

export async function householdsSave(rows, removed = []) {
  const tx = (await db()).transaction('households', 'readwrite')
  for (const row of rows) tx.store.put(row)
  for (const id of removed) tx.store.delete(id)
  await tx.done
}

export async function householdsClear() {
  return (await db()).clear('households')
}

export async function queueAll() {
  return (await db()).getAllFromIndex('queue', 'seq')
}

export async function queuePut(entry) {
  return (await db()).put('queue', entry)
}

export async function queueDelete(uuid) {
  return (await db()).delete('queue', uuid)
}
