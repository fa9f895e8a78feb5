SET spark.sql.cli.print.header=true;
CREATE OR REPLACE TEMPORARY VIEW temps AS SELECT * FROM VALUES ('Berlin', 1, 4.0D), ('Berlin', 2, 3.5D), ('Berlin', 3, CAST(NULL AS DOUBLE)), ('Berlin', 4, 6.0D), ('Lisbon', 1, 14.5D), ('Lisbon', 2, 15.25D) AS t(city, day, temp);
SELECT city, day, temp, temp - lag(temp, 1, temp) OVER (PARTITION BY city ORDER BY day) AS delta FROM temps ORDER BY city, day;
SELECT city, day, lag(temp, 1, temp) OVER (PARTITION BY city ORDER BY day) FROM temps ORDER BY city, day;
SELECT city, day, lead(temp, 2, -temp) OVER (PARTITION BY city ORDER BY day) AS ahead, lag(day, 1, 0) OVER (PARTITION BY city ORDER BY day) AS prev_day FROM temps ORDER BY city, day;
SELECT city, day, lag(temp, 1, day) OVER (PARTITION BY city ORDER BY day) AS prev, typeof(lag(temp, 1, day) OVER (PARTITION BY city ORDER BY day)) FROM temps ORDER BY city, day;
SELECT city, day, lead(CAST(day AS STRING), 1, city) OVER (ORDER BY city, day) AS nxt FROM temps ORDER BY city, day;
SELECT i, sum(v) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s, avg(v) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS a, sum(v) OVER (ORDER BY i RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS r, avg(v) OVER (PARTITION BY i % 2 ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS p FROM VALUES (1, 0.1D), (2, 0.2D), (3, 0.3D), (4, 0.7D), (5, 1.1D), (6, 0.35D), (7, 2.2D), (8, CAST(NULL AS DOUBLE)), (9, 0.15D) AS t(i, v) ORDER BY i;
