CREATE TABLE t (a int, b int) PARTITION BY RANGE (a);
