"""How the visit went: the visitor's rating and comment after a finished visit."""
