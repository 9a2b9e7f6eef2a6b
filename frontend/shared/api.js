// The one way both apps talk to /api/v1: same-origin session with CSRF, and the API's error
// shape {code, message, message_en, fields} turned into an ApiError the pages can show.
import { locale } from './i18n.js'

const API_ROOT = '/api/v1'

export class ApiError extends Error {
  constructor(status, body) {
    const english = locale.value === 'en'
    super((english ? body.message_en : body.message) || body.message || `HTTP ${status}`)
    this.status = status
    this.code = body.code || 'error'
    this.fields = body.fields || {}
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : ''
}

function queryString(params) {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== '')
  return entries.length ? '?' + new URLSearchParams(entries).toString() : ''
}

async function errorBody(response) {
  try {
    return await response.json()
  } catch {
    return { code: 'network', message: `服务器返回 ${response.status}`, message_en: `server answered ${response.status}` }
  }
}

export async function request(method, path, { params, body, signal } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': locale.value === 'en' ? 'en' : 'zh-hans' }
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken()
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let response
  try {
    response = await fetch(API_ROOT + path + queryString(params), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
  } catch (error) {
    if (error.name === 'AbortError') throw error
    throw new ApiError(0, { code: 'offline', message: '网络不可用，请稍后重试', message_en: 'the network is unavailable; try again later' })
  }
  if (response.status === 401 && !path.startsWith('/auth')) window.dispatchEvent(new CustomEvent('lianbang:unauthenticated'))
  if (!response.ok) throw new ApiError(response.status, await errorBody(response))
  if (response.status === 204) return null
  return response.json()
}

export const api = {
  get: (path, params, options) => request('GET', path, { ...options, params }),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  put: (path, body, options) => request('PUT', path, { ...options, body }),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
}
