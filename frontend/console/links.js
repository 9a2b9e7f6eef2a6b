// Where a dashboard number clicks through to: the console's own list pages.
export function linkTo(link) {
  if (!link) return null
  const query = { ...link.query }
  if (link.list === 'households') return { name: 'households', query }
  if (link.list === 'people') return { name: 'people', query }
  if (link.list === 'care') return { name: 'care', query }
  return { path: '/work/cases', query }
}

export const LIGHT_COLORS = { red: '#d03050', yellow: '#e6a23c', green: '#18a058', unjudged: '#c0c4cc' }
