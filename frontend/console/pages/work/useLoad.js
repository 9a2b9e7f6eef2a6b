// Loading, error and data of one request, the same way on every page of the case board.
import { ref } from 'vue'

// `loading` may start true: a page that loads on mount shows its skeleton, not its empty content.
export function useLoad(fetcher, { loading: startLoading = false } = {}) {
  const data = ref(null)
  const loading = ref(startLoading)
  const error = ref('')

  async function load(...args) {
    loading.value = true
    error.value = ''
    try {
      data.value = await fetcher(...args)
    } catch (e) {
      error.value = e.message
    } finally {
      loading.value = false
    }
    return data.value
  }

  return { data, loading, error, load }
}

export function formatTime(value) {
  if (!value) return '—'
  const d = new Date(value)
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function formatDate(value) {
  return value ? String(value).slice(0, 10) : '—'
}

export function levelTag(level) {
  return level === 'red' ? 'danger' : level === 'yellow' ? 'warning' : 'info'
}

// The risk case states of DOMAIN §5, in the order the board shows them.
export const CASE_STATES = [
  ['discovered', '发现', 'discovered'],
  ['verifying', '入户核实', 'verifying'],
  ['identification', '认定', 'identification'],
  ['assistance', '帮扶', 'assistance'],
  ['tracking', '跟踪', 'tracking'],
  ['elimination_requested', '申请消除', 'elimination requested'],
  ['review', '审核', 'under review'],
  ['eliminated', '已消除', 'eliminated'],
  ['not_identified', '不予认定', 'not identified'],
]

export const RISK_TYPES = [
  ['illness', '因病'], ['disability', '因残'], ['education', '因学'], ['disaster', '因自然灾害'],
  ['accident', '因意外事故'], ['industry_failure', '因产业项目失败'], ['employment', '因务工就业不稳'],
  ['labour_shortage', '缺劳动力'], ['housing', '住房安全'], ['water', '饮水安全'], ['other', '其他'],
]

export const MEASURE_TYPES = [
  ['industry', '产业帮扶'], ['employment', '就业帮扶'], ['finance', '金融帮扶（小额信贷）'],
  ['public_welfare_job', '公益岗位帮扶'], ['health', '健康帮扶'], ['compulsory_education', '义务教育保障'],
  ['other_education', '其他教育帮扶'], ['housing', '住房安全保障'], ['water', '饮水安全保障'],
  ['social_security', '综合保障（低保 特困 临时救助）'], ['social', '社会帮扶'], ['relocation', '搬迁'],
  ['living_conditions', '生产生活条件改善'],
]
