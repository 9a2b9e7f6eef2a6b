// The console's words: { key: [zh-CN, English] }.
export default {
  title: ['链帮 · 监测帮扶工作台', 'Lianbang · monitoring console'],
  home: ['首页', 'Home'],
  logout: ['退出', 'Log out'],
  scope: ['管辖范围', 'Scope'],
  loading: ['加载中…', 'Loading…'],
  retry: ['重试', 'Retry'],
  empty: ['暂无数据', 'Nothing here yet'],
  households: ['户数', 'Households'],
  people: ['人数', 'People'],
  red: ['红色', 'Red'],
  yellow: ['黄色', 'Yellow'],
  green: ['绿色', 'Green'],
  children: ['下级单位', 'Units below'],
  unit: ['单位', 'Unit'],
}
