-- One settings table: the aid rules (帮扶规则设置) move into policy_params,
-- which already holds values by area prefix and year. Aid rows have year 0
-- (they apply to every year) and keys prefixed "aid.".
INSERT INTO policy_params (area, year, key, value, updated_at, updated_by)
SELECT area, 0, 'aid.' || key, CAST(value AS TEXT), updated_at, updated_by FROM aid_settings;

DROP TABLE aid_settings;
