// An ApiError as one line for the page: the server's message and each field's reason.
import { locale } from '@shared/i18n.js'

function reason(f) {
  return (locale.value === 'en' ? f.message_en : f.message) || f.message
}

// `placed`: the field paths already shown beside their inputs, left out of the line.
export function problemText(error, placed = []) {
  const fields = Object.entries(error.fields || {})
    .filter(([path]) => !placed.includes(path))
    .map(([, f]) => reason(f))
    .filter(Boolean)
  return fields.length ? `${error.message}：${fields.join('；')}` : error.message
}

// Each field's reason into `fields` ({ name: '', code: '' … }, a reactive object keyed by the
// form's fields: the server's path or its last part, as in "body.floor_count"); the paths placed.
export function placeFieldErrors(error, fields) {
  const placed = []
  for (const [path, f] of Object.entries(error.fields || {})) {
    const key = path.split('.').pop()
    if (key in fields) {
      fields[key] = reason(f)
      placed.push(path)
    }
  }
  return placed
}

// A form's save: `busy` while it runs, and the server's problem (with each field's reason) in the
// form's `error` line rather than thrown; true when it went through. With `fields` (see
// placeFieldErrors) a field's reason goes beside its input instead of into the line.
export async function saveWith({ busy, error, fields }, action) {
  busy.value = true
  error.value = ''
  if (fields) for (const key of Object.keys(fields)) fields[key] = ''
  try {
    await action()
    return true
  } catch (e) {
    error.value = problemText(e, fields ? placeFieldErrors(e, fields) : [])
    return false
  } finally {
    busy.value = false
  }
}
