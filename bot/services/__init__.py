"""The domain. Services own transactions and reach the outside only through small protocols."""
