SET spark.sql.cli.print.header=true;
CREATE OR REPLACE TEMPORARY VIEW temps AS SELECT * FROM VALUES ('Berlin', 1, 4.0D), ('Berlin', 2, 3.5D), ('Berlin', 3, CAST(NULL AS DOUBLE)), ('Berlin', 4, 6.0D), ('Lisbon', 1, 14.5D), ('Lisbon', 2, 15.25D) AS t(city, day, temp);
SELECT city, day, temp, temp - lag(temp, 1, temp) OVER (PARTITION BY city ORDER BY day) AS delta FROM temps ORDER BY city, day;
SELECT city, day, lag(temp, 1, temp) OVER (PARTITION BY city ORDER BY day) FROM temps ORDER BY city, day;
SELECT city, day, lead(temp, 2, -temp) OVER (PARTITION BY city ORDER BY day) AS ahead, lag(day, 1, 0) OVER (PARTITION BY city ORDER BY day) AS prev_day FROM temps ORDER BY city, day;
SELECT city, day, lag(temp, 1, day) OVER (PARTITION BY city ORDER BY day) AS prev, typeof(lag(temp, 1, day) OVER (PARTITION BY city ORDER BY day)) FROM temps ORDER BY city, day;
SELECT city, day, lead(CAST(day AS STRING), 1, city) OVER (ORDER BY city, day) AS nxt FROM temps ORDER BY city, day;
