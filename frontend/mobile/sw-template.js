/* The phone app's service worker (built by vite-plugins/mobile-sw.js into /m/sw.js). The app shell is
 * precached; pages under /m/ are fetched from the network first and fall back to the cached
 * shell; hashed assets come from the cache. API calls are never cached: data lives in IndexedDB. */
const PRECACHE = self.__PRECACHE__
const VERSION = self.__VERSION__
const CACHE = 'lianbang-m-' + VERSION

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: 'same-origin' }))))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('lianbang-m-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  )
})

async function shell(request) {
  try {
    const response = await fetch(request)
    if (response.ok && !response.redirected) {
      const cache = await caches.open(CACHE)
      await cache.put('/m/', response.clone())
    }
    return response
  } catch {
    const cached = await caches.match('/m/')
    return cached || Response.error()
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.mode === 'navigate' && url.pathname.startsWith('/m/')) {
    event.respondWith(shell(request))
    return
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached || fetch(request)))
  }
})
