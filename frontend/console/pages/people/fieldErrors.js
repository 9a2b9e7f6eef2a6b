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

// One day as YYYY-MM-DD in the browser's time zone (the date pickers' value format).
export function today() {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

// The same day ``months`` calendar months later, clamped to the shorter month (as the server).
export function addMonths(iso, months) {
  const [y, m, d] = iso.split('-').map(Number)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index % 12
  const last = new Date(year, month + 1, 0).getDate()
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}
