-- One row per customer, cleaned up.
select
    id as customer_id,
    name,
    lower(email) as email,
    signed_up
from raw.customers
