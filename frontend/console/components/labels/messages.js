// The manual-label component's words: { key: [zh-CN, English] }.
export default {
  manualLabels: ['人工标注', 'Manual labels'],
  manualHint: ['网格员或干部掌握、登记数据里没有的情况；点击设置或清除', 'What a grid worker or official knows and the registry does not; click to set or clear'],
  setBy: ['{who} 于 {when} 标注', 'set by {who} on {when}'],
  set: ['设置', 'Set'],
  clear: ['清除', 'Clear'],
  clearConfirm: ['确定清除标签「{name}」？', 'Clear the label {name}?'],
  saved: ['已保存', 'Saved'],
  none: ['暂无人工标注', 'No manual label yet'],
  loading: ['加载中…', 'Loading…'],
  retry: ['重试', 'Retry'],
  unknown: ['未知', 'unknown'],
}
