SET spark.sql.cli.print.header=true;
CREATE OR REPLACE TEMPORARY VIEW sales AS SELECT * FROM VALUES (1, 10, 100.0D), (2, 10, 50.0D), (3, 20, 70.0D), (4, 10, NULL), (5, 20, 30.0D), (6, NULL, 20.0D) AS t(sale_id, emp_id, amount);
SELECT sale_id, (SELECT count(*) FROM sales x WHERE x.emp_id = s.emp_id AND x.sale_id < s.sale_id) AS prior FROM sales s ORDER BY sale_id;
SELECT sale_id, (SELECT sum(amount) FROM sales x WHERE x.sale_id <= s.sale_id) AS running, (SELECT max(amount) FROM sales x WHERE x.sale_id < s.sale_id AND x.emp_id = s.emp_id) AS best_before FROM sales s ORDER BY sale_id;
SELECT sale_id, amount FROM sales s WHERE amount > (SELECT avg(amount) FROM sales x WHERE x.sale_id <> s.sale_id) ORDER BY sale_id;
SELECT sale_id, (SELECT count(amount) + 1 FROM sales x WHERE x.amount > s.amount) AS rnk FROM sales s ORDER BY sale_id;
SELECT s.sale_id, (SELECT count(*) FROM sales x WHERE x.sale_id < s.sale_id AND x.amount > 40) AS big_before FROM sales s ORDER BY s.sale_id;
