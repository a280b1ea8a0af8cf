"""Mail that must go out at most once: the sent-mail states, the Thai message, delivery through the ledger."""
