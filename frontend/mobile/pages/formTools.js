// Small helpers the forms share.
export function localMinute(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

export function today() {
  return localMinute().slice(0, 10)
}

export function isoOf(localValue) {
  return new Date(localValue).toISOString()
}
