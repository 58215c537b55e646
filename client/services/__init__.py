"""Use cases over the local store, called by the UI (never flet, fastapi or httpx here).

session.py          sign_in, resume_session, sign_out, unsynced_count, remembered_login
synchronization.py  sync_now (one sync round with progress), sync_status
portfolio.py        search_customers, count_customers, get_customer, list_filter_options
credit_chip.py      CreditChip and the chips of a customer's credit
"""
