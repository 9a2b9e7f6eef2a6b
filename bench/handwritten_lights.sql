-- The lower bound for `lianbang evaluate --all` (PostgreSQL): DOMAIN §4's default rules as one
-- hand-written statement that only reads. Parameters, in order of the named placeholders:
--   %(year)s, %(c16)s, %(c65)s, %(c6)s, %(start)s, %(as_of)s, %(line)s
-- where cN is the birth-date cut-off for age N at the evaluation date and line is in 元.
WITH cur AS (
  SELECT DISTINCT ON (household_id) *
  FROM registry_income WHERE year <= %(year)s ORDER BY household_id, year DESC
),
mem AS (
  SELECT household_id,
    COUNT(*) FILTER (WHERE status = 'active') AS n_active,
    COUNT(*) FILTER (WHERE status = 'active' AND birth_date <= %(c16)s AND birth_date > %(c65)s
      AND labor_skill IN ('ordinary', 'skilled', 'weak')
      AND schooling IN ('', 'preschool_child', 'dropout')) AS n_labour,
    COUNT(*) FILTER (WHERE status = 'active' AND birth_date <= %(c16)s AND birth_date > %(c65)s
      AND labor_skill IN ('ordinary', 'skilled', 'weak')
      AND schooling IN ('', 'preschool_child', 'dropout') AND work_location <> '') AS n_employed,
    BOOL_OR(status = 'active' AND birth_date <= %(c6)s AND birth_date > %(c16)s
      AND schooling = 'dropout') AS dropout,
    BOOL_OR(status = 'active' AND medical_insurance = '') AS uninsured
  FROM registry_member GROUP BY household_id
),
ev AS (
  SELECT e.household_id,
    BOOL_OR(e.type = 'serious_illness') AS illness,
    BOOL_OR(e.type = 'death' AND m.birth_date <= (e.date - interval '16 years')
      AND m.birth_date > (e.date - interval '65 years')
      AND m.labor_skill IN ('ordinary', 'skilled', 'weak')
      AND m.schooling IN ('', 'preschool_child', 'dropout')) AS death,
    BOOL_OR(e.type = 'accident' AND e.severity = 'serious') AS accident,
    BOOL_OR(e.type = 'disaster' AND (e.loss >= 10000 OR e.house_damaged)) AS disaster,
    BOOL_OR(e.type = 'job_loss' AND m.work_location = '') AS job_loss
  FROM registry_event e LEFT JOIN registry_member m ON m.id = e.member_id
  WHERE e.date > %(start)s AND e.date <= %(as_of)s
  GROUP BY e.household_id
),
facts AS (
  SELECT h.id, h.housing_safe, h.water_safe,
    c.medical_self_paid AS med, c.education_expense AS edu,
    (c.wage + c.business + c.property_income + c.transfer - c.business_expense) AS net,
    NULLIF(COALESCE(c.household_size, mem.n_active, 0), 0) AS size,
    (p.wage + p.business + p.property_income + p.transfer - p.business_expense) AS pnet,
    NULLIF(COALESCE(p.household_size, mem.n_active, 0), 0) AS psize,
    mem.n_labour, mem.n_employed, mem.dropout, mem.uninsured,
    ev.illness, ev.death, ev.accident, ev.disaster, ev.job_loss
  FROM registry_household h
  LEFT JOIN cur c ON c.household_id = h.id
  LEFT JOIN registry_income p ON p.household_id = h.id AND p.year = c.year - 1
  LEFT JOIN mem ON mem.household_id = h.id
  LEFT JOIN ev ON ev.household_id = h.id
  WHERE h.status = 'active'
),
judged AS (
  SELECT id,
    (COALESCE(illness, false) OR med >= 20000 OR COALESCE(death, false)
     OR COALESCE(accident, false) OR COALESCE(disaster, false)
     OR NOT housing_safe OR NOT water_safe OR COALESCE(dropout, false)
     OR COALESCE(uninsured, false) OR net < %(line)s * size) AS red,
    (net * 10 * psize <= 8 * pnet * size
     OR (net >= %(line)s * size AND net * 10 < 11 * %(line)s * size)
     OR COALESCE(job_loss, false) OR (n_labour >= 1 AND n_employed = 0)
     OR med >= 5000 OR edu >= 10000 OR (net > 0 AND (med + edu) * 2 >= net)) AS yellow
  FROM facts
)
SELECT id, CASE WHEN red THEN 'red' WHEN yellow THEN 'yellow' ELSE 'green' END AS color
FROM judged
