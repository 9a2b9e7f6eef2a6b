// zh-CN first, English second: a reactive locale kept in localStorage and a t() over each app's
// own message table ({ key: [zh, en] }). Small on purpose: no runtime message compiler (CSP).
import { ref } from 'vue'

const STORAGE_KEY = 'lianbang.locale'

export const locale = ref(localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh')

export function setLocale(value) {
  locale.value = value === 'en' ? 'en' : 'zh'
  localStorage.setItem(STORAGE_KEY, locale.value)
  document.documentElement.lang = locale.value === 'en' ? 'en' : 'zh-CN'
}

export function makeTranslator(messages) {
  return function t(key, values = {}) {
    const pair = messages[key]
    const text = pair ? pair[locale.value === 'en' ? 1 : 0] : key
    return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''))
  }
}
