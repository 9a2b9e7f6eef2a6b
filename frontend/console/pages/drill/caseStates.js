// 帮扶状态 filters: the states of a risk case (lianbang/cases/workflow.py RISK), and ``open`` for
// any case not closed yet; labels are the ``case_state_<code>`` messages.
export const CASE_STATES = ['open', 'discovered', 'verifying', 'identification', 'assistance', 'tracking', 'elimination_requested', 'review', 'eliminated', 'not_identified']
