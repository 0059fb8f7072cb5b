-- Broken Spark SQL analytics queries over seed.sql's tables, one statement per query (each ends
-- with `;` at the end of a line). A `-- category: NAME` line starts a category. Spark is the
-- truth: `DESCRIBE QUERY` must fail at analysis time with an error class the test maps to Rocky
-- codes, usually with the position of the offending fragment (the query context).

-- category: unknown columns
select id, nmae from customers;
select c.id, c.emial from customers c;
select id from orders where stauts = 'shipped';
select customer_id, sum(amout) from orders group by customer_id;
select o.id, c.name from orders o join customers c on c.id = o.customerid;
select id, total from (select id, amount as revenue from orders) t;
with t as (select id from customers) select id, name from t;
select id, row_number() over (partition by segmnt order by id) from customers;
select country, count(*) from customers group by contry;
select id from customers order by nmae;

-- category: unknown tables
select * from custmers;
select id from orders o join order_item i on i.order_id = o.id;
select * from nosuchdb.orders;
with t as (select 1 as a) select * from t2;
select id from customers where id in (select customer_id from ordrs);

-- category: ambiguous columns
select id from orders o join customers c on c.id = o.customer_id;
select name from customers a join customers b on a.id = b.id;
select o.id, status from orders o join orders p on p.id = o.id;

-- category: functions
select uppr(name) from customers;
select lenght(email) from customers;
select sum(amount, quantity) from orders;
select substr(name) from customers;
select year(tags) from customers;
select size(name) from customers;
select array_contains(name, 'x') from customers;
select date_add(ordered_on, 'x', 1) from orders;

-- category: type mismatches
select is_active + 1 from customers;
select tags + 1 from customers;
select ordered_on * 2 from orders;
select 1 as a union all select date'2020-01-01';
select id, name from customers union all select id from orders;
select case when is_active then 1 else ordered_on end from customers join orders on orders.customer_id = customers.id;
select coalesce(ordered_on, quantity) from orders;
select cast(ordered_on as int) from orders;
select cast(tags as int) from customers;
select profile + 1 from customers;
select -is_active from customers;
select id from customers where tags = 1;

-- category: grouping
select customer_id, amount from orders group by customer_id;
select status, sum(sum(amount)) from orders group by status;
select id, count(*) from customers;
select country from customers group by country having score > 1;
select sum(amount) from orders where sum(amount) > 10;
select id from orders group by 5;

-- category: boolean conditions
select id from orders where quantity;
select id from customers where 'true';
select id from customers where null;
select o.id from orders o join customers c on 1;
