-- 0038: the departments' sector assignments become duty items (职责清单), so that the items
--   are the one record of which sectors a department supervises on which day.
-- Each department_sectors row turns into an item naming its sector: the assignment's note as
--   the duty's words, or 负责{行业领域名称}行业领域安全生产监督管理 without one
--   (anjian_domain::duty::sector_duty_text); doc_kind 'other', doc_title 原行业领域分工, doc_no
--   the decision number if one was recorded, decided_on the decision date; in force from the
--   decision date, or from 1900-01-01 when none was recorded (an undated assignment held on
--   any day before), with no last day. county_code is the county of the department's region
--   (the region itself above county level); created_at/updated_at are the department's
--   updated_at, when its assignments were last written. The conversion writes no audit rows
--   (a migration, not a user's change); every later change of a department's sectors is an
--   audited duty.create / duty.update / duty.delete (anjian_store::duties).
-- department_sectors is then dropped: a department's sectors are read from the duty items in
--   force on the day asked about.
-- Keep in step with sqlite/0038_duty_sectors.sql.

INSERT INTO duty_items (county_code, department_id, content, doc_kind, doc_title, doc_no, decided_on, sector_code, valid_from, valid_to, created_at, updated_at)
SELECT
    CASE WHEN SUBSTR(d.region_code, 5, 2) <> '00'
         THEN SUBSTR(d.region_code, 1, 6) || '000000'
         ELSE d.region_code END,
    ds.department_id,
    CASE WHEN TRIM(ds.note) <> '' THEN TRIM(ds.note)
         ELSE '负责' || s.name || '行业领域安全生产监督管理' END,
    'other',
    '原行业领域分工',
    COALESCE(TRIM(ds.decision_no), ''),
    ds.decided_on,
    ds.sector_code,
    COALESCE(ds.decided_on, '1900-01-01'),
    NULL,
    d.updated_at,
    d.updated_at
FROM department_sectors ds
JOIN departments d ON d.id = ds.department_id
JOIN sectors s ON s.code = ds.sector_code
ORDER BY ds.department_id, s.sort_order, s.code;

DROP TABLE department_sectors;
