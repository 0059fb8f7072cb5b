-- One row per order.
select
    id as order_id,
    customer_id,
    status,
    amount,
    updated_at
from raw.orders
