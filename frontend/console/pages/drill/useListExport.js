// The Excel export of a console list (户列表, 人员列表): POST the list's current filters and sort
// to its export endpoint, which starts a masked, audited transfer job; `exporting.job` is the
// started job ({ job_id, status, url }), whose page shows the progress and the download.
// `path` may be a function (a list whose unit changes: 三安关爱).
import { reactive } from 'vue'

import { api } from '@shared/api.js'

export function useListExport(path, query) {
  const exporting = reactive({ busy: false, job: null, error: '' })

  async function startExport() {
    Object.assign(exporting, { busy: true, job: null, error: '' })
    try {
      exporting.job = await api.post(typeof path === 'function' ? path() : path, query())
    } catch (e) {
      exporting.error = e.message
    } finally {
      exporting.busy = false
    }
  }

  return { exporting, startExport }
}
