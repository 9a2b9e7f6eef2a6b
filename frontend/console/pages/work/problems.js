// An ApiError as one line for the page: the server's message and each field's reason.
import { locale } from '@shared/i18n.js'

export function problemText(error) {
  const english = locale.value === 'en'
  const fields = Object.values(error.fields || {})
    .map((f) => (english ? f.message_en : f.message) || f.message)
    .filter(Boolean)
  return fields.length ? `${error.message}：${fields.join('；')}` : error.message
}
