// The server's field errors ({fields: {"places[0]": {message, message_en}}}) by form field, so
// that each form item shows its own reason under the field ("places[0]" belongs to "places").
import { locale } from '@shared/i18n.js'

export function fieldErrors(error) {
  const english = locale.value === 'en'
  const found = {}
  for (const [key, value] of Object.entries(error?.fields || {})) {
    const name = key.split(/[.[]/)[0]
    const text = (english ? value.message_en : value.message) || value.message || ''
    found[name] = found[name] ? `${found[name]}；${text}` : text
  }
  return found
}
