// A small Vite plugin: writes mobile/sw.js (served at /m/sw.js) with the precache list of the
// phone app's hashed assets, so the app shell opens with no network.
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'

const TEMPLATE = new URL('../mobile/sw-template.js', import.meta.url)

function mobileFiles(bundle) {
  const entry = Object.values(bundle).find(
    (item) => item.type === 'chunk' && item.isEntry && (item.facadeModuleId || '').endsWith('mobile/index.html'),
  )
  if (!entry) return []
  const files = new Set()
  const visit = (name) => {
    const chunk = bundle[name]
    if (!chunk || files.has(name)) return
    files.add(name)
    if (chunk.type !== 'chunk') return
    for (const css of chunk.viteMetadata?.importedCss || []) files.add(css)
    for (const asset of chunk.viteMetadata?.importedAssets || []) files.add(asset)
    for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next)
  }
  visit(entry.fileName)
  return [...files].sort()
}

export default function mobileServiceWorker({ base }) {
  return {
    name: 'lianbang-mobile-sw',
    apply: 'build',
    generateBundle(_options, bundle) {
      const assets = mobileFiles(bundle).map((name) => base + name)
      const urls = ['/m/', '/m/manifest.webmanifest', base + 'mobile/icon.svg', ...assets]
      const version = createHash('sha256').update(urls.join('\n')).digest('hex').slice(0, 12)
      const source = readFileSync(TEMPLATE, 'utf-8')
        .replace('self.__PRECACHE__', JSON.stringify(urls))
        .replace('self.__VERSION__', JSON.stringify(version))
      this.emitFile({ type: 'asset', fileName: 'mobile/sw.js', source })
    },
  }
}
