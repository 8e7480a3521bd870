"""The append-only audit log: its table (``models``), its one writer (``writer``) and its guards
(``guards``) at the bottom of the layers, where every slice can write; its reads (``reads``) above the
slices, since they join the tables of every one of them."""
