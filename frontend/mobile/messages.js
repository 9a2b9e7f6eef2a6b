// The phone app's words: { key: [zh-CN, English] }.
export default {
  title: ['链帮 · 网格员', 'Lianbang · grid worker'],
  myGrid: ['我的网格', 'My grid'],
}
