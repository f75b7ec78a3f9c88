-- 0035: reserved for a feature built in parallel (its branch brings the real file).
SELECT 1;
