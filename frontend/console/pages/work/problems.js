// An ApiError as one line for the page: the server's message and each field's reason.
import { locale } from '@shared/i18n.js'

export function problemText(error) {
  const english = locale.value === 'en'
  const fields = Object.values(error.fields || {})
    .map((f) => (english ? f.message_en : f.message) || f.message)
    .filter(Boolean)
  return fields.length ? `${error.message}：${fields.join('；')}` : error.message
}

// A form's save: `busy` while it runs, and the server's problem (with each field's reason) in the
// form's `error` line rather than thrown; true when it went through.
export async function saveWith({ busy, error }, action) {
  busy.value = true
  error.value = ''
  try {
    await action()
    return true
  } catch (e) {
    error.value = problemText(e)
    return false
  } finally {
    busy.value = false
  }
}
